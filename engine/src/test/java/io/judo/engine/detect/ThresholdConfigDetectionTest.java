package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.decode.LinkType;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.ThresholdConfig;
import io.judo.rules.suricata.Variables;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Thresholds, suppressions and rate filters end to end: UDP packets at chosen capture times, and the alerts and
 * verdicts each packet gets. The expected timelines are worked by hand from Suricata's definitions (its user guide's
 * thresholding and global-thresholds pages): a window opens at a key's first match and holds matches up to and
 * including {@code seconds} later; limit alerts on the first {@code count} matches of a window, threshold on every
 * count-th, both once on the count-th; a rate filter's new action starts with the match that makes more than count in
 * a window and lasts {@code timeout} seconds.
 */
class ThresholdConfigDetectionTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * SECOND;

    /** One packet: when, from and to where, and what it carries. */
    private record Packet(double second, String src, String dst, String payload) {
    }

    /** What a packet got: whether each rule alerted, and whether the packet was blocked. */
    private record Outcome(List<Long> alerts, List<Boolean> blockedAlerts, boolean blocked) {
    }

    private static List<Outcome> run(String rules, String config, List<Packet> packets) {
        return run(rules, config, packets, false, 9);
    }

    private static List<Outcome> run(String rules, String config, List<Packet> packets, boolean oneFlow) {
        return run(rules, config, packets, oneFlow, 9);
    }

    /** {@code oneFlow}: every packet from the same source port (one UDP flow per address pair); else each its own. */
    private static List<Outcome> run(String rules, String config, List<Packet> packets, boolean oneFlow,
            int dport) {
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(rules, "case.rules");
        assertTrue(loader.errors().isEmpty(), () -> loader.errors().get(0).display());
        ThresholdConfig c = ThresholdConfig.parse(config, "threshold.config", Variables.defaults());
        assertTrue(c.errors().isEmpty(), () -> c.errors().get(0).display());
        loader.applyThresholds(c);
        List<Alert> alerts = new ArrayList<>();
        List<Outcome> out = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView v = new PacketView();
        try (Detector d = new Detector(RuleSetCompiler.compile(loader.rules()), Engine.DFA, StreamConfig.defaults(),
                true, alerts::add)) {
            int port = 1000;
            for (Packet p : packets) {
                byte[] b = PacketBuilder.ethernet().ipv4(p.src(), p.dst()).udp(oneFlow ? port : port++, dport)
                        .payload(p.payload().getBytes(StandardCharsets.ISO_8859_1)).build();
                decoder.decode(ByteBuffer.wrap(b), 0, b.length, b.length, LinkType.ETHERNET, v);
                alerts.clear();
                d.packet(v, T0 + Math.round(p.second() * SECOND));
                out.add(new Outcome(alerts.stream().map(a -> a.rule().sid()).toList(),
                        alerts.stream().map(Alert::blocked).toList(), d.blocked()));
            }
        }
        return out;
    }

    private static List<Packet> at(String src, String dst, double... seconds) {
        List<Packet> l = new ArrayList<>();
        for (double s : seconds) {
            l.add(new Packet(s, src, dst, "ping"));
        }
        return l;
    }

    /** For each packet, whether sid alerted on it. */
    private static List<Boolean> alerted(List<Outcome> o, long sid) {
        return o.stream().map(x -> x.alerts().contains(sid)).toList();
    }

    private static final String PING = "alert udp any any -> any 9 (msg:\"ping\"; content:\"ping\"; sid:1;)";

    @Test
    void limitWindowIncludesItsLastSecond() {
        // limit 2 per 10 s: t=10 is still in the window opened at 0 (0 + 10 >= 10), so it stays silent; t=11 opens a
        // new window and alerts, as do 12; 21 is the new window's last second (silent, third match); 22 opens another.
        List<Outcome> o = run(PING, "threshold gen_id 1, sig_id 1, type limit, track by_src, count 2, seconds 10",
                at("10.0.0.1", "10.9.9.9", 0, 1, 2, 10, 11, 12, 21, 22));
        assertEquals(List.of(true, true, false, false, true, true, false, true), alerted(o, 1));
    }

    @Test
    void thresholdAlertsOnEveryCountThMatchOfAWindow() {
        // threshold 3 per 10 s: the 3rd and 6th matches alert; 20 s starts over with a count of one.
        List<Outcome> o = run(PING, "threshold gen_id 1, sig_id 1, type threshold, track by_src, count 3, seconds 10",
                at("10.0.0.1", "10.9.9.9", 0, 1, 2, 3, 4, 5, 6, 20, 21, 22));
        assertEquals(List.of(false, false, true, false, false, true, false, false, false, true), alerted(o, 1));
    }

    @Test
    void bothAlertsOncePerWindowOnTheCountThMatch() {
        List<Outcome> o = run(PING, "event_filter gen_id 1, sig_id 1, type both, track by_src, count 3, seconds 10",
                at("10.0.0.1", "10.9.9.9", 0, 1, 2, 3, 4, 11, 12, 13, 14));
        assertEquals(List.of(false, false, true, false, false, false, false, true, false), alerted(o, 1));
    }

    @Test
    void eachTrackHasItsOwnCounters() {
        List<Packet> p = new ArrayList<>();
        p.addAll(at("10.0.0.1", "10.9.9.9", 0, 1)); // a -> x twice
        p.addAll(at("10.0.0.2", "10.9.9.9", 2)); // b -> x
        p.addAll(at("10.9.9.9", "10.0.0.1", 3)); // x -> a: the same pair as a -> x
        String limitOne = "type limit, count 1, seconds 60";
        assertEquals(List.of(true, false, true, true),
                alerted(run(PING, "threshold gen_id 1, sig_id 1, track by_src, " + limitOne, p), 1));
        assertEquals(List.of(true, false, false, true),
                alerted(run(PING, "threshold gen_id 1, sig_id 1, track by_dst, " + limitOne, p), 1));
        assertEquals(List.of(true, false, false, false),
                alerted(run(PING, "threshold gen_id 1, sig_id 1, track by_rule, " + limitOne, p), 1));
        assertEquals(List.of(true, false, true, false),
                alerted(run(PING, "threshold gen_id 1, sig_id 1, track by_both, " + limitOne, p), 1));
    }

    @Test
    void suppressionsSilenceTheirAddressesOnly() {
        List<Packet> p = new ArrayList<>();
        p.addAll(at("10.1.2.3", "192.0.2.1", 0));
        p.addAll(at("10.8.0.1", "192.0.2.1", 1));
        p.addAll(at("10.8.0.1", "10.1.0.9", 2));
        p.addAll(at("172.16.0.1", "192.0.2.1", 3));
        assertEquals(List.of(false, true, true, true),
                alerted(run(PING, "suppress gen_id 1, sig_id 1, track by_src, ip 10.1.0.0/16", p), 1));
        assertEquals(List.of(true, true, false, true),
                alerted(run(PING, "suppress gen_id 1, sig_id 1, track by_dst, ip 10.1.0.0/16", p), 1));
        assertEquals(List.of(false, true, false, true),
                alerted(run(PING, "suppress gen_id 1, sig_id 1, track by_either, ip 10.1.0.0/16", p), 1));
        assertEquals(List.of(false, false, false, true),
                alerted(run(PING, "suppress gen_id 1, sig_id 1, track by_src, ip [10.1.0.0/16, 10.8.0.1]", p), 1));
        assertEquals(List.of(false, false, false, false),
                alerted(run(PING, "suppress gen_id 1, sig_id 1", p), 1));
        assertEquals(List.of(true, true, true, true),
                alerted(run(PING, "suppress gen_id 1, sig_id 2", p), 1), "another rule's suppression");
    }

    @Test
    void aSuppressedRuleStillSetsItsFlowbitsAndStillDrops() {
        String rules = String.join("\n",
                "drop udp any any -> any 9 (msg:\"mark\"; content:\"ping\"; flowbits:set,seen; sid:1;)",
                "alert udp any any -> any 9 (msg:\"second\"; content:\"again\"; flowbits:isset,seen; sid:2;)");
        List<Packet> p = List.of(new Packet(0, "10.0.0.1", "10.9.9.9", "ping"),
                new Packet(1, "10.0.0.1", "10.9.9.9", "again"));
        List<Outcome> o = run(rules, "suppress gen_id 1, sig_id 1", p, true);
        assertEquals(List.of(), o.get(0).alerts(), "suppressed");
        assertTrue(o.get(0).blocked(), "the drop still applies to the packet");
        assertEquals(List.of(2L), o.get(1).alerts(), "the flowbit was set all the same");
    }

    @Test
    void aConfigThresholdReplacesTheRulesDetectionFilterAndAGlobalOneSparesRulesWithTheirOwn() {
        String rules = String.join("\n",
                "alert udp any any -> any 9 (msg:\"filtered\"; content:\"ping\"; detection_filter:track by_src, count 3, "
                        + "seconds 60; sid:1;)",
                "alert udp any any -> any 9 (msg:\"own\"; content:\"ping\"; threshold:type limit, track by_src, "
                        + "count 2, seconds 60; sid:2;)",
                "alert udp any any -> any 9 (msg:\"plain\"; content:\"ping\"; sid:3;)");
        List<Packet> p = at("10.0.0.1", "10.9.9.9", 0, 1, 2, 3, 4);
        List<Outcome> none = run(rules, "", p);
        assertEquals(List.of(false, false, false, true, true), alerted(none, 1), "detection_filter: after 3");
        assertEquals(List.of(true, true, false, false, false), alerted(none, 2));
        List<Outcome> o = run(rules, String.join("\n",
                "threshold gen_id 1, sig_id 1, type limit, track by_src, count 1, seconds 60",
                "threshold gen_id 0, sig_id 0, type threshold, track by_rule, count 2, seconds 60"), p);
        assertEquals(List.of(true, false, false, false, false), alerted(o, 1), "the filter is gone, limit 1 rules");
        assertEquals(List.of(true, true, false, false, false), alerted(o, 2), "its own threshold stays");
        assertEquals(List.of(false, true, false, true, false), alerted(o, 3), "the global threshold: every 2nd");
    }

    @Test
    void rateFilterDropsFromTheMatchOverCountUntilItsTimeout() {
        // count 3 per 10 s, then drop for 5 s: the 4th match (t=3) drops, t=4 too (1 s into the timeout); t=9 is 6 s
        // after it began (> 5): back to alert, uncounted; t=10 is still in the window opened at 0: its 5th match,
        // so drop again, and t=11.
        List<Outcome> o = run(PING, "rate_filter gen_id 1, sig_id 1, track by_src, count 3, seconds 10, "
                + "new_action drop, timeout 5", at("10.0.0.1", "10.9.9.9", 0, 1, 2, 3, 4, 9, 10, 11));
        assertEquals(List.of(false, false, false, true, true, false, true, true),
                o.stream().map(Outcome::blocked).toList());
        assertEquals(List.of(true, true, true, true, true, true, true, true), alerted(o, 1), "every match alerts");
        assertEquals(List.of(false, false, false, true, true, false, true, true),
                o.stream().map(x -> x.blockedAlerts().get(0)).toList(), "the alert says it blocked");
    }

    @Test
    void rateFilterCanTurnADropRuleIntoAnAlertOrAPass() {
        String drop = "drop udp any any -> any 9 (msg:\"ping\"; content:\"ping\"; sid:1;)";
        List<Packet> p = at("10.0.0.1", "10.9.9.9", 0, 1, 2);
        List<Outcome> alert = run(drop, "rate_filter gen_id 1, sig_id 1, track by_rule, count 1, seconds 10, "
                + "new_action alert, timeout 60", p);
        assertEquals(List.of(true, false, false), alert.stream().map(Outcome::blocked).toList());
        assertEquals(List.of(true, true, true), alerted(alert, 1));
        List<Outcome> pass = run(drop, "rate_filter gen_id 1, sig_id 1, track by_rule, count 1, seconds 10, "
                + "new_action pass, timeout 60", p);
        assertEquals(List.of(true, false, false), pass.stream().map(Outcome::blocked).toList());
        assertEquals(List.of(true, false, false), alerted(pass, 1), "a pass logs nothing");
    }

    @Test
    void etOpensOwnThresholdAndAConfigThatRetunesIt() throws Exception {
        // ET 2021172 (Sentinel LM amplification): threshold type both, track by_dst, count 10, seconds 60. 25
        // requests from 5 outside hosts to one inside host within a minute: one alert, on the 10th.
        String rule = Replay.etRule(2021172);
        List<Packet> p = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            p.add(new Packet(i, "198.51.100." + (1 + i % 5), "192.168.1.5", "\u007a\0\0\0\0\0"));
        }
        List<Boolean> expected = new ArrayList<>(java.util.Collections.nCopies(25, false));
        expected.set(9, true);
        assertEquals(expected, alerted(run(rule, "", p, false, 5093), 2021172));
        // the sensor's own tuning: one alert per source a minute instead
        List<Boolean> perSource = new ArrayList<>(java.util.Collections.nCopies(25, false));
        for (int i = 0; i < 5; i++) {
            perSource.set(i, true);
        }
        assertEquals(perSource, alerted(run(rule, "threshold gen_id 1, sig_id 2021172, type limit, track by_src, "
                + "count 1, seconds 60", p, false, 5093), 2021172));
        assertEquals(java.util.Collections.nCopies(25, false), alerted(run(rule, "suppress gen_id 1, sig_id 2021172, "
                + "track by_dst, ip $HOME_NET", p, false, 5093), 2021172));
    }
}
