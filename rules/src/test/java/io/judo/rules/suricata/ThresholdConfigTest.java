package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import io.judo.rules.suricata.SuricataRule.Action;
import io.judo.rules.suricata.SuricataRule.Threshold;
import io.judo.rules.suricata.SuricataRule.Track;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * threshold.config parsing and how entries reach rules, checked against Suricata's documented file syntax and its
 * rules for global and rule-specific entries (global-thresholds in Suricata's user guide).
 */
class ThresholdConfigTest {
    private static final String RULES = String.join("\n",
            "alert udp any any -> any any (msg:\"plain\"; content:\"a\"; sid:1;)",
            "alert udp any any -> any any (msg:\"own threshold\"; content:\"b\"; threshold:type limit, track by_dst, "
                    + "count 5, seconds 30; sid:2;)",
            "alert udp any any -> any any (msg:\"own filter\"; content:\"c\"; detection_filter:track by_src, count 8, "
                    + "seconds 60; sid:3;)",
            "alert udp any any -> any any (msg:\"other gid\"; content:\"d\"; gid:7; sid:4;)");

    private static Map<Long, SuricataRule> apply(String config) {
        ThresholdConfig c = ThresholdConfig.parse(config, "threshold.config", Variables.defaults());
        assertTrue(c.errors().isEmpty(), () -> c.errors().get(0).display());
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(RULES, "t.rules");
        assertTrue(loader.errors().isEmpty());
        loader.applyThresholds(c);
        return loader.rules().stream().collect(Collectors.toMap(SuricataRule::sid, Function.identity()));
    }

    @Test
    void parsesEveryEntryOfSuricatasExampleFile() {
        ThresholdConfig c = ThresholdConfig.parse(String.join("\n",
                "# Limit to 10 alerts every 10 seconds for each source host",
                "threshold gen_id 0, sig_id 0, type threshold, track by_src, count 10, seconds 10",
                "event_filter gen_id 1, sig_id 2404000, type both, track by_dst, count 1, seconds 10",
                "suppress gen_id 1, sig_id 2002087",
                "suppress gen_id 1, sig_id 2003614, track by_src, ip [217.110.97.128/25, 10.0.0.1]",
                "suppress gen_id 1, sig_id 2003615, track by_either, ip $HOME_NET",
                "rate_filter gen_id 1, sig_id 1000, track by_rule, count 100, seconds 60, \\",
                "    new_action alert, timeout 30",
                "  threshold gen_id 1,sig_id 5,type limit,track by_both,count 2,seconds 3\r"), "t.config",
                Variables.defaults());
        assertTrue(c.errors().isEmpty(), () -> c.errors().get(0).display());
        List<ThresholdConfig.Entry> e = c.entries();
        assertEquals(7, e.size());
        assertEquals(new Threshold("threshold", Track.SRC, 10, 10), e.get(0).threshold());
        assertEquals(0, e.get(0).sid());
        assertEquals(new Threshold("both", Track.DST, 1, 10), e.get(1).threshold());
        assertNull(e.get(2).suppression().track(), "a suppression without track silences the whole rule");
        assertTrue(e.get(3).suppression().addresses().contains(new byte[] {(byte) 217, 110, 97, (byte) 200}));
        assertTrue(e.get(3).suppression().addresses().contains(new byte[] {10, 0, 0, 1}));
        assertFalse(e.get(3).suppression().addresses().contains(new byte[] {(byte) 217, 110, 97, 127}));
        assertEquals(Track.EITHER, e.get(4).suppression().track());
        assertTrue(e.get(4).suppression().addresses().contains(new byte[] {(byte) 192, (byte) 168, 1, 1}),
                "$HOME_NET's default includes 192.168.0.0/16");
        assertEquals(new SuricataRule.RateFilter(Track.RULE, 100, 60, Action.ALERT, 30), e.get(5).rateFilter());
        assertEquals(7, e.get(5).line(), "a continued entry is named by its first line");
        assertEquals(new Threshold("limit", Track.BOTH, 2, 3), e.get(6).threshold());
    }

    @Test
    void badLinesAreErrorsWithTheirPlaceAndTheRestIsKept() {
        ThresholdConfig c = ThresholdConfig.parse(String.join("\n",
                "threshold gen_id 1, sig_id 9, type sometimes, track by_src, count 1, seconds 1",
                "suppress gen_id 1, sig_id 9, track by_src",
                "rate_filter gen_id 1, sig_id 9, track by_src, count 1, seconds 1, new_action log, timeout 1",
                "threshold gen_id 1, sig_id 9, type limit, track by_either, count 1, seconds 1",
                "limit gen_id 1, sig_id 9",
                "suppress gen_id 1, sig_id x",
                "suppress gen_id 1, sig_id 9, track by_src, ip 10.0.0.300",
                "suppress gen_id 1, sig_id 9, colour red",
                "suppress gen_id 1, , sig_id 9",
                "suppress gen_id 1, sig_id 9"), "bad.config", Variables.defaults());
        List<String> messages = c.errors().stream().map(RuleError::location).toList();
        assertEquals(List.of(
                "bad.config:1:36: type 'sometimes' (limit, threshold or both)",
                "bad.config:2:42: suppress with track needs ip",
                "bad.config:3:78: new_action 'log' (alert, drop, pass or reject)",
                "bad.config:4:49: threshold: track 'by_either' (by_src, by_dst, by_rule, by_both or by_flow)",
                "bad.config:5:1: unknown entry 'limit' (threshold, event_filter, suppress or rate_filter)",
                "bad.config:6:27: sig_id: 'x' is not a number from 0 to 4294967295",
                "bad.config:7:47: ip '10.0.0.300': " + messages.get(6).substring(messages.get(6).indexOf("': ") + 3),
                "bad.config:8:30: suppress: unknown option 'colour' (gen_id, sig_id, track, ip)",
                "bad.config:9:20: empty option (a stray comma?)"), messages);
        assertTrue(messages.get(6).contains("10.0.0.300"), messages.get(6));
        assertEquals(1, c.entries().size(), "the good line is kept");
        assertEquals(10, c.entries().get(0).line());
    }

    @Test
    void aRuleSpecificEntryReplacesTheRulesThresholdAndDetectionFilter() {
        Map<Long, SuricataRule> r = apply(String.join("\n",
                "threshold gen_id 1, sig_id 2, type both, track by_src, count 2, seconds 5",
                "threshold gen_id 1, sig_id 3, type limit, track by_rule, count 1, seconds 60"));
        assertEquals(new Threshold("both", Track.SRC, 2, 5), r.get(2L).threshold());
        assertEquals(new Threshold("limit", Track.RULE, 1, 60), r.get(3L).threshold());
        assertNull(r.get(3L).detectionFilter(), "Suricata drops the rule's detection_filter too");
        assertNull(r.get(1L).threshold());
    }

    @Test
    void aGlobalEntryOnlyReachesRulesWithoutTheirOwnAndTheFirstWins() {
        Map<Long, SuricataRule> r = apply(String.join("\n",
                "threshold gen_id 0, sig_id 0, type limit, track by_src, count 1, seconds 10",
                "threshold gen_id 0, sig_id 0, type limit, track by_dst, count 9, seconds 99",
                "rate_filter gen_id 7, sig_id 0, track by_rule, count 1, seconds 1, new_action drop, timeout 1"));
        assertEquals(new Threshold("limit", Track.SRC, 1, 10), r.get(1L).threshold());
        assertEquals(new Threshold("limit", Track.DST, 5, 30), r.get(2L).threshold(), "its own threshold stays");
        assertNull(r.get(3L).threshold(), "a rule with a detection_filter keeps it and takes no global threshold");
        assertEquals(new Threshold("limit", Track.SRC, 1, 10), r.get(4L).threshold(),
                "gen_id 0 covers every generator, and it came first");
        assertNull(r.get(4L).rateFilter());
    }

    @Test
    void aRuleSpecificEntryWinsOverAGlobalOneWhicheverComesFirst() {
        Map<Long, SuricataRule> before = apply(String.join("\n",
                "threshold gen_id 1, sig_id 1, type threshold, track by_src, count 3, seconds 10",
                "threshold gen_id 0, sig_id 0, type limit, track by_src, count 1, seconds 10"));
        Map<Long, SuricataRule> after = apply(String.join("\n",
                "threshold gen_id 0, sig_id 0, type limit, track by_src, count 1, seconds 10",
                "threshold gen_id 1, sig_id 1, type threshold, track by_src, count 3, seconds 10"));
        Threshold mine = new Threshold("threshold", Track.SRC, 3, 10);
        assertEquals(mine, before.get(1L).threshold());
        assertEquals(mine, after.get(1L).threshold());
    }

    @Test
    void suppressionsAddUpAndARateFilterReplacesAThreshold() {
        Map<Long, SuricataRule> r = apply(String.join("\n",
                "suppress gen_id 1, sig_id 2, track by_src, ip 10.0.0.0/8",
                "suppress gen_id 0, sig_id 0, track by_dst, ip 192.0.2.1",
                "rate_filter gen_id 1, sig_id 2, track by_src, count 3, seconds 10, new_action drop, timeout 5"));
        assertEquals(2, r.get(2L).suppressions().size());
        assertEquals(1, r.get(1L).suppressions().size());
        assertNull(r.get(2L).threshold(), "the rate filter took the threshold's place");
        assertEquals(Action.DROP, r.get(2L).rateFilter().newAction());
    }

    @Test
    void entriesForRulesNotLoadedAreWarnedOfAndRulesWithoutEntriesAreTheSameObjects() {
        ThresholdConfig c = ThresholdConfig.parse("suppress gen_id 1, sig_id 42\nsuppress gen_id 7, sig_id 1",
                "t.config", Variables.defaults());
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(RULES, "t.rules");
        List<SuricataRule> before = List.copyOf(loader.rules());
        List<String> warnings = loader.applyThresholds(c);
        assertEquals(List.of("t.config:1: no loaded rule has gen_id 1, sig_id 42",
                "t.config:2: no loaded rule has gen_id 7, sig_id 1"), warnings);
        for (int i = 0; i < before.size(); i++) {
            assertSame(before.get(i), loader.rules().get(i));
        }
    }

    @Test
    void ruleThresholdsTrackEveryWaySuricataDoes() {
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(String.join("\n",
                "alert udp any any -> any any (content:\"a\"; threshold:type limit, track by_rule, count 1, seconds 1; "
                        + "sid:1;)",
                "alert udp any any -> any any (content:\"a\"; threshold:type both, track by_both, count 1, seconds 1; "
                        + "sid:2;)",
                "alert udp any any -> any any (content:\"a\"; detection_filter:track by_flow, count 1, seconds 1; "
                        + "sid:3;)",
                "alert udp any any -> any any (content:\"a\"; threshold:type limit, track by_either, count 1, "
                        + "seconds 1; sid:4;)"), "t.rules");
        assertEquals(List.of(Track.RULE, Track.BOTH), loader.rules().stream().filter(x -> x.threshold() != null)
                .map(x -> x.threshold().track()).toList());
        assertEquals(Track.FLOW, loader.rules().get(2).detectionFilter().track());
        assertEquals(1, loader.errors().size());
        assertTrue(loader.errors().get(0).getMessage().contains("track 'by_either'"));
    }
}
