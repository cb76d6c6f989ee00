package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import io.judo.rules.ir.Xbit;
import io.judo.rules.ir.Xbit.Track;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code xbits} as Suricata writes it, its default lifetime, and the numbering the programs and the engine share. */
class XbitsRuleParserTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static SuricataRule parse(String options, int sid) {
        return PARSER.parse("alert tcp any any -> any any (" + options + " sid:" + sid + ";)", "t.rules", 1);
    }

    @Test
    void everyCommandAndTrack() {
        assertEquals(List.of(new Xbit("set", "ET.infostealer.pattern.2", Track.IP_PAIR, 15)),
                parse("xbits:set,ET.infostealer.pattern.2,track ip_pair,expire 15;", 1).xbits());
        assertEquals(List.of(new Xbit("isset", "ET.PROPFIND", Track.IP_DST, Xbit.DEFAULT_EXPIRE)),
                parse("xbits:isset, ET.PROPFIND,track ip_dst;", 1).xbits());
        assertEquals(List.of(new Xbit("set", "ET.CVE-2023-46604.attempt", Track.IP_DST, 300)),
                parse("xbits:set,ET.CVE-2023-46604.attempt, track ip_dst, expire 300;", 1).xbits());
        for (String c : new String[] {"unset", "toggle", "isnotset"}) {
            assertEquals(c, parse("xbits:" + c + ",a,track ip_src;", 1).xbits().get(0).command());
        }
        SuricataRule quiet = parse("xbits:noalert; xbits:set,a,track ip_src;", 1);
        assertTrue(quiet.noalert());
        assertEquals(1, quiet.xbits().size());
    }

    @Test
    void badFormsAreClearErrorsAndTxIsSkippedByName() {
        for (String bad : new String[] {"set", "set,a", "set,,track ip_src", "set,a,track nonsense",
                "set,a,track ip_source, expire 3600", "set,a,track ip_src, expire -1", "set,a,track ip_src, expire 0",
                "set,a,ip_src", "flip,a,track ip_src", "set,a,track ip_src,expire 5,x"}) {
            RuleError e = assertThrows(RuleError.class, () -> parse("xbits:" + bad + ";", 1), bad);
            assertTrue(e.getMessage().contains("xbits"), e.getMessage());
        }
        assertEquals("xbits track tx", assertThrows(UnsupportedKeyword.class,
                () -> parse("xbits:set,a,track tx;", 1)).keyword());
    }

    /**
     * Host bits share one namespace whether tracked by source or destination (Suricata's host table), pair bits have
     * their own; a rule that sets a bit runs before the rules that test it.
     */
    @Test
    void numberingAndOrder() {
        SuricataRule reader = parse("content:\"b\"; xbits:isset,x,track ip_src;", 1);
        SuricataRule pair = parse("content:\"c\"; xbits:isset,x,track ip_pair;", 2);
        SuricataRule writer = parse("content:\"a\"; xbits:set,x,track ip_dst; xbits:set,y,track ip_src;", 3);
        Xbits bits = new Xbits(List.of(reader, pair, writer));
        assertEquals(2, bits.hostBitCount());
        assertEquals(1, bits.pairBitCount());
        assertEquals(bits.testsOf(0).get(0).bit(), bits.changesOf(2).get(0).bit(), "ip_src and ip_dst: one bit x");
        CompiledRuleSet set = RuleSetCompiler.compile(List.of(reader, pair, writer));
        assertEquals(3, set.rules().get(0).sid(), "the setter first");
        assertEquals(2, set.xbits().hostBitCount());
    }
}
