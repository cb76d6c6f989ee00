package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.decode.Malformed;
import io.judo.packet.decode.Protocol;
import io.judo.reassembly.StreamEvent;
import io.judo.rules.RuleError;
import io.judo.rules.suricata.SuricataRule.EventTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code decode-event}, {@code stream-event} and {@code engine-event} resolved as Suricata resolves them, and
 * the rules of Suricata's own decoder-events.rules and stream-events.rules (their actions, protocols, event names,
 * sids and other options as its repository has them; messages and classtypes left out): every rule loads or is
 * skipped with a counted reason, none is an error.
 */
class EngineEventRuleParserTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static SuricataRule parse(String proto, String options) {
        return PARSER.parse("alert " + proto + " any any -> any any (" + options + " sid:1;)", "t.rules", 1);
    }

    @Test
    void namesResolveToTheReasonOrStreamEventCoveringThem() {
        assertEquals(List.of(new EventTest("decoder.ipv4.trunc_pkt", false, Malformed.BAD_IPV4_TOTAL_LENGTH.ordinal(),
                -1)), parse("pkthdr", "decode-event:ipv4.trunc_pkt;").events());
        // compared without case, as Suricata's strcasecmp does
        assertEquals(Malformed.TRUNCATED_IPV6.ordinal(), parse("pkthdr", "decode-event:IPV6.Pkt_Too_Small;")
                .events().get(0).bit());
        assertEquals(List.of(new EventTest("decoder.gre.pkt_too_small", false,
                Malformed.TRUNCATED_ENCAPSULATION.ordinal(), Protocol.GRE.ordinal())),
                parse("pkthdr", "decode-event:gre.pkt_too_small;").events());
        assertEquals(List.of(new EventTest("stream.reassembly_overlap_different_data", true,
                StreamEvent.OVERLAP_DIFFERENT_DATA.ordinal(), -1)),
                parse("tcp", "stream-event:reassembly_overlap_different_data;").events());
        assertEquals(StreamEvent.GAP.ordinal(), parse("tcp", "engine-event:stream.reassembly_seq_gap;").events()
                .get(0).bit());
        assertEquals(Malformed.BAD_IHL.ordinal(), parse("ip", "engine-event:decoder.ipv4.hlen_too_small;").events()
                .get(0).bit());
        assertEquals(2, parse("tcp", "decode-event:tcp.opt_invalid_len; stream-event:reassembly_seq_gap;").events()
                .size());
    }

    @Test
    void everyMappedNameIsOneSuricataHas() {
        for (Malformed m : Malformed.values()) {
            for (String name : m.suricataEvents()) {
                assertTrue(EngineEvents.known(name), name);
                assertEquals(m, Malformed.ofSuricataEvent(name).reason());
            }
        }
        for (StreamEvent e : StreamEvent.values()) {
            if (e.suricataEvent() != null) {
                assertTrue(EngineEvents.known(e.suricataEvent()), e.suricataEvent());
                assertEquals(e, StreamEvent.ofSuricataEvent(e.suricataEvent()));
            }
        }
    }

    @Test
    void eventRulesRunOnPacketsAndDecoderRulesWithoutAnIpHeader() {
        SuricataRule stream = parse("tcp", "stream-event:reassembly_overlap_different_data; content:\"x\";");
        assertEquals(CompiledRuleSet.Hook.PACKET, RuleSetCompiler.hookOf(stream));
        assertTrue(!stream.decodeInspected());
        assertTrue(parse("pkthdr", "decode-event:ipv4.pkt_too_small;").decodeInspected());
    }

    @Test
    void aNameJudoNeverRaisesSkipsTheRuleByName() {
        UnsupportedKeyword u = assertThrows(UnsupportedKeyword.class,
                () -> parse("ipv4", "decode-event:ipv6.rh_type_0;").events());
        // the header protocol ipv4 is skipped first; with pkthdr the event is what skips it
        u = assertThrows(UnsupportedKeyword.class, () -> parse("pkthdr", "decode-event:ipv6.rh_type_0;"));
        assertEquals("decode-event:ipv6.rh_type_0 (judo never raises it)", u.keyword());
        u = assertThrows(UnsupportedKeyword.class, () -> parse("tcp", "stream-event:3whs_synack_resend_with_"
                + "different_ack;"));
        assertEquals("stream-event:3whs_synack_resend_with_different_ack (judo never raises it)", u.keyword());
    }

    @Test
    void unknownNamesAreErrorsWithAHint() {
        RuleError prefixed = assertThrows(RuleError.class, () -> parse("pkthdr",
                "decode-event:decoder.ipv4.trunc_pkt;"));
        assertTrue(prefixed.getMessage().contains("did you mean 'ipv4.trunc_pkt' or "
                + "engine-event:decoder.ipv4.trunc_pkt?"), prefixed.getMessage());
        RuleError typo = assertThrows(RuleError.class, () -> parse("pkthdr", "decode-event:ipv4.trunc_pk;"));
        assertTrue(typo.getMessage().contains("unknown event 'ipv4.trunc_pk'")
                && typo.getMessage().contains("did you mean 'ipv4.trunc_pkt'?"), typo.getMessage());
        RuleError stream = assertThrows(RuleError.class, () -> parse("tcp", "stream-event:reassembly_seq_gapp;"));
        assertTrue(stream.getMessage().contains("did you mean 'reassembly_seq_gap'?"), stream.getMessage());
        RuleError engine = assertThrows(RuleError.class, () -> parse("tcp", "engine-event:ipv4.trunc_pkt;"));
        assertTrue(engine.getMessage().contains("did you mean 'decoder.ipv4.trunc_pkt'?"), engine.getMessage());
        assertThrows(RuleError.class, () -> parse("tcp", "stream-event:;"));
    }

    /**
     * The active rules of one of Suricata's event rule files, rebuilt from the facts kept of each (action, header
     * protocol, and its options but msg, classtype and rev: {@code suricata/NAME.txt}, one rule per line).
     */
    private static RuleLoader load(String name) throws IOException {
        try (InputStream in = EngineEventRuleParserTest.class.getResourceAsStream("/suricata/" + name + ".txt")) {
            StringBuilder text = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.split("\t", 3);
                text.append(f[0]).append(' ').append(f[1]).append(" any any -> any any (msg:\"").append(name)
                        .append("\"; ").append(f[2]).append(")\n");
            }
            return new RuleLoader(Variables.defaults(), Classifications.empty(), false).load(text.toString(),
                    name + ".rules");
        }
    }

    /** The skip reasons other than "judo never raises it". */
    private static Set<String> otherSkips(RuleLoader l) {
        Set<String> other = new TreeSet<>();
        for (Map.Entry<String, RuleLoader.Skip> e : l.skips().entrySet()) {
            if (!e.getKey().endsWith("(judo never raises it)")) {
                other.add(e.getKey() + " x" + e.getValue().count());
            }
        }
        return other;
    }

    @Test
    void suricatasDecoderEventRulesLoadOrAreSkippedByName() throws IOException {
        RuleLoader l = load("decoder-events");
        assertEquals(List.of(), l.errors());
        // the 44 names Malformed maps, less the ones the file has no rule for
        Set<String> loaded = new TreeSet<>();
        Set<String> checksums = new TreeSet<>();
        for (SuricataRule r : l.rules()) {
            if (r.events().isEmpty()) {
                checksums.add(r.checksums().get(0).keyword());
            } else {
                loaded.add(r.events().get(0).name());
            }
        }
        Set<String> mapped = new TreeSet<>();
        for (Malformed m : Malformed.values()) {
            mapped.addAll(m.suricataEvents());
        }
        mapped.remove("decoder.udp.len_invalid"); // Suricata's file has the older udp.hlen_invalid only
        mapped.removeAll(List.of("decoder.nsh.header_too_small", "decoder.nsh.unsupported_version",
                "decoder.nsh.bad_header_length")); // nor NSH rules
        assertEquals(mapped, loaded);
        // the file's seven checksum rules, one per keyword, load too
        assertEquals(Set.of("icmpv4-csum", "icmpv6-csum", "ipv4-csum", "tcpv4-csum", "tcpv6-csum", "udpv4-csum",
                "udpv6-csum"), checksums);
        assertEquals(47, l.rules().size());
        // the four ipv6 rules Judo's decoder never raises are skipped by their header protocol first
        assertEquals(Set.of("protocol ipv6 x4"), otherSkips(l));
        assertEquals(115, l.rules().size() + l.skipped());
    }

    @Test
    void suricatasStreamEventRulesLoadOrAreSkippedByName() throws IOException {
        RuleLoader l = load("stream-events");
        assertEquals(List.of(), l.errors());
        Set<Long> sids = new TreeSet<>();
        for (SuricataRule r : l.rules()) {
            sids.add(r.sid());
        }
        // overlap with different data, ESTABLISHED out of window, and the flowint rule without an event
        assertEquals(Set.of(2210050L, 2210020L, 2210054L), sids);
        assertEquals(Set.of(), otherSkips(l));
        assertEquals(57, l.rules().size() + l.skipped());
    }
}
