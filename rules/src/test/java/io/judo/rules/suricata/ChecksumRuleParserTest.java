package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import io.judo.rules.suricata.SuricataRule.ChecksumTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ipv4-csum}, {@code tcpv4-csum}, {@code tcpv6-csum}, {@code udpv4-csum}, {@code udpv6-csum},
 * {@code icmpv4-csum} and {@code icmpv6-csum}: each names the IP version and transport it judges, and takes
 * {@code valid} or {@code invalid} without case and with or without double quotes, as Suricata's parser does.
 */
class ChecksumRuleParserTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static SuricataRule parse(String proto, String options) {
        return PARSER.parse("alert " + proto + " any any -> any any (" + options + " sid:1;)", "t.rules", 1);
    }

    @Test
    void everyKeywordNamesItsLayers() {
        assertEquals(List.of(new ChecksumTest("ipv4-csum", 4, -1, false)), parse("ip", "ipv4-csum:invalid;")
                .checksums());
        assertEquals(List.of(new ChecksumTest("tcpv4-csum", 4, 6, true)), parse("tcp", "tcpv4-csum:valid;")
                .checksums());
        assertEquals(List.of(new ChecksumTest("tcpv6-csum", 6, 6, true)), parse("tcp", "tcpv6-csum:valid;")
                .checksums());
        assertEquals(List.of(new ChecksumTest("udpv4-csum", 4, 17, false)), parse("udp", "udpv4-csum:invalid;")
                .checksums());
        assertEquals(List.of(new ChecksumTest("udpv6-csum", 6, 17, true)), parse("udp", "udpv6-csum:valid;")
                .checksums());
        assertEquals(List.of(new ChecksumTest("icmpv4-csum", 4, 1, true)), parse("icmp", "icmpv4-csum:valid;")
                .checksums());
        assertEquals(List.of(new ChecksumTest("icmpv6-csum", 6, 58, false)), parse("icmp", "icmpv6-csum:invalid;")
                .checksums());
        assertEquals(2, parse("tcp", "ipv4-csum:valid; tcpv4-csum:invalid;").checksums().size());
        assertEquals(List.of(), parse("tcp", "content:\"x\";").checksums());
    }

    @Test
    void valuesAsSuricataReadsThem() {
        for (String v : new String[] {"valid", "VALID", "vaLid", "\"valid\"", " valid "}) {
            assertTrue(parse("ip", "ipv4-csum:" + v + ";").checksums().get(0).valid(), v);
        }
        for (String v : new String[] {"invalid", "iNvaLid", "\"INVALID\""}) {
            assertEquals(false, parse("ip", "ipv4-csum:" + v + ";").checksums().get(0).valid(), v);
        }
    }

    @Test
    void aBadValueIsAnErrorNamingTheKeywordAndItsValues() {
        for (String k : new String[] {"ipv4-csum", "tcpv4-csum", "tcpv6-csum", "udpv4-csum", "udpv6-csum",
                "icmpv4-csum", "icmpv6-csum"}) {
            for (String bad : new String[] {"vaid", "invaalid", "yes", "valid,invalid", "\"\""}) {
                RuleError e = assertThrows(RuleError.class, () -> parse("ip", k + ":" + bad + ";"), k + ":" + bad);
                assertTrue(e.getMessage().contains(k + ": expected valid or invalid, found '" + bad + "'"),
                        e.getMessage());
            }
            RuleError none = assertThrows(RuleError.class, () -> parse("ip", k + ";"));
            assertTrue(none.getMessage().contains("'" + k + "' needs a value"), none.getMessage());
        }
    }

    @Test
    void aChecksumRuleJudgesPacketsNotTheStream() {
        // the stream has no checksum; and with validation on a bad segment never reaches it
        assertEquals(CompiledRuleSet.Hook.PACKET, RuleSetCompiler.hookOf(parse("tcp",
                "flow:established,to_server; tcpv4-csum:invalid; content:\"x\";")));
        assertEquals(CompiledRuleSet.Hook.STREAM, RuleSetCompiler.hookOf(parse("tcp",
                "flow:established,to_server; content:\"x\";")));
    }
}
