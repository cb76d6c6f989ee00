package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.ir.Inspection;
import io.judo.vm.Buffer;
import io.judo.vm.Transform;
import io.judo.vm.interp.Helpers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DNS keywords: buffers, the {@code dns} header protocol, DNS events and app-layer-protocol, hook and direction. */
class DnsRuleParserTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static SuricataRule parse(String header, String options) {
        return PARSER.parse("alert " + header + " any any -> any any (" + options + " sid:1;)", "t.rules", 1);
    }

    @Test
    void dnsQueryAndItsLegacyNameAreTheSameStickyBuffer() {
        for (String kw : List.of("dns.query", "dns_query")) {
            SuricataRule r = parse("dns", kw + "; content:\"evil\"; nocase; endswith;");
            Inspection i = r.inspections().get(0);
            assertEquals(Buffer.DNS_QUERY, i.buffer(), kw);
            assertEquals(CompiledRuleSet.Hook.HTTP, RuleSetCompiler.hookOf(r), "DNS rules run in the transaction hook");
            assertEquals(0, RuleSetCompiler.txRule(r).direction(), "dns.query is a request buffer");
        }
        SuricataRule dot = parse("dns", "dns.query; dotprefix; content:\".example.com\"; endswith;");
        assertEquals(List.of(Transform.DOTPREFIX), dot.inspections().get(0).transforms());
        assertEquals(1, RuleSetCompiler.txRule(parse("dns", "dns.answers.rrname; content:\"x\";")).direction());
        assertEquals(-1, RuleSetCompiler.txRule(parse("dns", "dns.queries.rrname; content:\"x\";")).direction());
    }

    @Test
    void theDnsHeaderIsAnyTransportOfADnsFlow() {
        SuricataRule r = parse("dns", "content:\"|01 00 00 01|\"; offset:2; depth:4;");
        assertEquals(SuricataRule.Proto.IP, r.proto());
        assertEquals(List.of(new SuricataRule.AppProto(Helpers.APP_PROTO_DNS, false)), r.appProtos());
        assertEquals(CompiledRuleSet.Hook.PACKET, RuleSetCompiler.hookOf(r), "raw content stays on packets");
        SuricataRule p = parse("udp", "app-layer-protocol:!dns;");
        assertEquals(List.of(new SuricataRule.AppProto(Helpers.APP_PROTO_DNS, true)), p.appProtos());
    }

    @Test
    void dnsEventsAreKeptWithTheirLayer() {
        SuricataRule r = parse("dns", "app-layer-event:dns.z_flag_set;");
        assertEquals(List.of("dns.z_flag_set"), r.appEvents());
        assertTrue(r.transactionInspected());
        assertEquals(List.of("MISSING_HOST_HEADER"), parse("http", "app-layer-event:http.missing_host_header;")
                .appEvents());
        assertEquals(List.of("tls.invalid_record_type"), parse("dns", "app-layer-event:tls.invalid_record_type;")
                .appEvents());
        assertEquals(List.of("smtp.invalid_reply"), parse("smtp", "app-layer-event:smtp.invalid_reply;").appEvents());
        assertThrows(UnsupportedKeyword.class, () -> parse("dns", "app-layer-event:nfs.invalid_reply;"));
    }

    @Test
    void dnsOpcodeIsAByteTestOnTheOpcode() {
        SuricataRule r = parse("dns", "dns.opcode:!0;");
        Inspection i = r.inspections().get(0);
        assertEquals(Buffer.DNS_OPCODE, i.buffer());
        io.judo.rules.ir.ByteTest t = (io.judo.rules.ir.ByteTest) i.items().get(0);
        assertEquals("=", t.operator());
        assertTrue(t.negated());
        assertEquals(">=", ((io.judo.rules.ir.ByteTest) parse("dns", "dns.opcode:>=4;").inspections().get(0).items()
                .get(0)).operator());
        assertThrows(UnsupportedKeyword.class, () -> parse("dns", "dns.opcode:1-4;"));
        assertThrows(io.judo.rules.RuleError.class, () -> parse("dns", "dns.opcode:16;"));
        assertThrows(io.judo.rules.RuleError.class, () -> parse("dns", "dns.opcode;"));
    }

    @Test
    void dnsRulesCompile() {
        RuleLoader l = new RuleLoader(Variables.defaults(), null, false).load(String.join("\n",
                "alert dns $HOME_NET any -> any any (msg:\"q\"; dns.query; content:\"evil.example\"; nocase; "
                        + "endswith; fast_pattern; sid:10;)",
                "alert dns any any -> any any (msg:\"ev\"; app-layer-event:dns.malformed_data; sid:11;)",
                "alert udp any any -> any 53 (msg:\"raw\"; content:\"|01 00 00 01|\"; offset:2; depth:4; "
                        + "app-layer-protocol:dns; sid:12;)"), "dns.rules");
        assertEquals(List.of(), l.errors());
        assertEquals(3, l.rules().size());
        CompiledRuleSet set = RuleSetCompiler.compile(l.rules());
        assertEquals(2, set.hook(CompiledRuleSet.Hook.HTTP).ruleOfRegion().length);
        assertTrue(set.hook(CompiledRuleSet.Hook.HTTP).buffers().stream()
                .anyMatch(b -> b.buffer() == Buffer.DNS_QUERY.id()), "dns.query has a prefilter of its own");
        assertTrue(set.listing().contains("app-layer-event:dns.malformed_data"), set.listing());
    }
}
