package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.build.TcpConversation;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.Variables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Rule cases built with the project's packet builders: each states the traffic, the rules and the hand-checked alerts
 * per sid, run through the whole detection path (decode, flows, reassembly, VM regions, prefilter, inspection).
 */
class DetectorTest {
    private static final String CLIENT = "192.168.1.10";
    private static final String SERVER = "203.0.113.80";

    /** Alerts per sid after running {@code frames} against {@code rules}. */
    private static Map<Long, Integer> run(String rules, List<byte[]> frames, Engine engine) {
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(rules, "case.rules");
        assertTrue(loader.errors().isEmpty(), () -> loader.errors().get(0).display());
        CompiledRuleSet set = RuleSetCompiler.compile(loader.rules());
        Map<Long, Integer> bySid = new TreeMap<>();
        List<Alert> alerts = new ArrayList<>();
        try (Detector d = new Detector(set, engine, StreamConfig.defaults(), true, alerts::add)) {
            Replay.frames(frames, d::packet);
            d.finish();
        }
        for (Alert a : alerts) {
            bySid.merge(a.rule().sid(), 1, Integer::sum);
        }
        return bySid;
    }

    private static Map<Long, Integer> run(String rules, List<byte[]> frames) {
        return run(rules, frames, Engine.DFA);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A client/server conversation cut into segments of {@code mss} bytes. */
    private static List<byte[]> conversation(long isn, int mss, String request, String response) {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, CLIENT, 40000, SERVER, 80, isn, 7_000_000L)
                .mss(mss);
        c.handshake().clientSends(ascii(request)).serverSends(ascii(response)).close();
        return c.frames().stream().map(TcpConversation.Frame::bytes).toList();
    }

    /**
     * Issue 15: the kept window shows a chain's first content again with every chunk, and it must not be paired with
     * a content that a later chunk brings within reach. IRC commands cut into segments of many sizes: each rule
     * alerts once per segment in which one of its occurrences ends (one alert per rule and chunk, as Suricata's per
     * packet), the occurrences counted by hand-written regexes with the rules' meaning (ET's IRC rules).
     */
    @ParameterizedTest(name = "mss {0}")
    @ValueSource(ints = {1, 2, 3, 5, 7, 11, 13, 17, 24, 31, 40, 64, 80, 1460})
    void aStreamMatchIsReportedOnceAtTheChunkThatCompletesIt(int mss) {
        String request = "CAP LS\r\nNICK tim\r\nUSER tim tim 127.0.0.1 :Tim\r\nJOIN #a\r\nPING x\r\n"
                + "USER bob bob 10.0.0.1 :Bob\r\nNICK bob\r\nJOIN #b\r\nJOIN #c\r\nNICK b\r\nPRIVMSG #c :hi\r\n";
        String rules = String.join("\n",
                "alert tcp any any -> any any (msg:\"user\"; flow:to_server,established; content:\"USER|20|\"; nocase; "
                        + "content:\"|203a|\"; within:40; content:\"|0a|\"; within:40; sid:1;)",
                "alert tcp any any -> any any (msg:\"nick\"; flow:to_server,established; content:\"NICK|20|\"; nocase; "
                        + "content:\"|0a|\"; within:40; sid:2;)",
                "alert tcp any any -> any any (msg:\"join\"; flow:to_server,established; content:\"JOIN|2023|\"; "
                        + "nocase; content:\"|0a|\"; within:40; sid:3;)");
        Map<Long, String> occurrences = Map.of(1L, "(?i:USER )[\\s\\S]{0,38}? :[\\s\\S]{0,39}?\n",
                2L, "(?i:NICK )[\\s\\S]{0,39}?\n", 3L, "(?i:JOIN #)[\\s\\S]{0,39}?\n");
        Map<Long, Integer> expected = new TreeMap<>();
        occurrences.forEach((sid, regex) -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(request);
            java.util.Set<Integer> segments = new java.util.TreeSet<>();
            while (m.find()) {
                segments.add((m.end() - 1) / mss); // the segment holding the occurrence's last byte
            }
            expected.put(sid, segments.size());
        });
        assertEquals(expected, run(rules, conversation(7, mss, request, "HTTP/1.0 200 OK\r\n\r\n")));
    }

    @ParameterizedTest(name = "isn {0}")
    @ValueSource(longs = {0L, 1L, 0xFFFF_FFFFL, 0xFFFF_FFF5L})
    void aContentSplitAcrossSegmentsMatchesOnceInTheStream(long isn) {
        String rules = "alert tcp any any -> any 80 (msg:\"split\"; flow:established,to_server; "
                + "content:\"EVIL-PAYLOAD-MARKER\"; sid:1;)\n"
                + "alert tcp any any -> any 80 (msg:\"per packet\"; flow:established,to_server,no_stream; "
                + "content:\"EVIL-PAYLOAD-MARKER\"; sid:2;)\n";
        // 7-byte segments: the 19-byte marker is in no single packet.
        List<byte[]> frames = conversation(isn, 7, "GET /?q=EVIL-PAYLOAD-MARKER HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK\r\n\r\n");
        assertEquals(Map.of(1L, 1), run(rules, frames));
    }

    /**
     * The stream prefilter scans each byte once: a rule whose fast pattern (its longest content) arrived in an earlier
     * chunk still runs when a later chunk brings the rest of its chain, while the pattern is in the kept window; a
     * fast pattern split across chunks is found; and a chunk with more distinct patterns than the memory keeps
     * (40 rules) makes the next window be scanned whole, so every rule still alerts.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"DFA", "AUTO"})
    void aFastPatternFromAnEarlierChunkStillMakesItsRuleACandidate(Engine engine) {
        String rules = "alert tcp any any -> any 80 (msg:\"later tail\"; flow:established,to_server; "
                + "content:\"LONG-FAST-PATTERN-XYZ\"; content:\"end\"; distance:0; within:200; sid:1;)\n";
        for (int mss : new int[] {3, 7, 22, 30}) {
            String request = "GET /?q=LONG-FAST-PATTERN-XYZ&pad=" + "p".repeat(60) + "&end HTTP/1.0\r\n\r\n";
            assertEquals(Map.of(1L, 1), run(rules, conversation(9, mss, request, "HTTP/1.0 200 OK\r\n\r\n"), engine),
                    "mss " + mss);
        }
        StringBuilder many = new StringBuilder();
        StringBuilder request = new StringBuilder("GET /?");
        for (int i = 0; i < 40; i++) {
            String marker = String.format("MARKER-%02d-QZ", i);
            many.append("alert tcp any any -> any 80 (msg:\"m").append(i).append("\"; flow:established,to_server; ")
                    .append("content:\"").append(marker).append("\"; content:\"TAIL\"; distance:0; sid:")
                    .append(100 + i).append(";)\n");
            request.append(marker).append('&');
        }
        String first = request.toString(); // 486 bytes: one 600-byte chunk holds every marker, the next the tail
        String req = first + "x".repeat(600 - first.length()) + "TAIL HTTP/1.0\r\n\r\n";
        Map<Long, Integer> expected = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            expected.put(100L + i, 1);
        }
        assertEquals(expected, run(many.toString(), conversation(9, 600, req, "HTTP/1.0 200 OK\r\n\r\n"), engine));
    }

    /** ET Open sid 2012970 as it is in emerging-shellcode.rules (its pcre has a '/' in its expression). */
    private static final String HEAP_SPRAY = "alert http $EXTERNAL_NET any -> $HOME_NET any (msg:\"ET SHELLCODE "
            + "Possible Backslash Unicode Heap Spray Attempt\"; flow:established,to_client; content:\"|5C|u0\"; "
            + "nocase; content:\"|5C|u0\"; distance:1; within:4; "
            + "pcre:\"/\\x5Cu0[a-d](\\x5Cu0|0)[a-d]/\\x5Cu0[a-d](\\x5Cu0|0)[a-d]/i\"; sid:2012970; rev:3;)\n"
            // the same leading contents with a relative pcre, and a plain content alone
            + "alert tcp any any -> any any (msg:\"relative\"; flow:established,to_client; content:\"|5C|u0\"; "
            + "nocase; content:\"|5C|u0\"; distance:1; within:4; pcre:\"/^b\\x2f/R\"; sid:2;)\n"
            + "alert tcp any any -> any any (msg:\"alone\"; flow:established,to_client; content:\"SPRAY-END\"; "
            + "sid:3;)\n";

    /**
     * A response body with many {@code \\u00XX} escapes (occurrences of sid 2012970's first content whose second
     * content is never within reach) around one heap spray {@code \\u0a\\u0b/\\u0c\\u0d} that the whole rule
     * matches, then {@code tail} more escapes.
     */
    private static String sprayResponse(int tail) {
        String noise = "\\u0041\\u0042\\u0043 ".repeat(12);
        String body = noise + "x=\\u0a\\u0b/\\u0c\\u0d;SPRAY-END " + "\\u0044\\u0045 ".repeat(tail);
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Alerts of {@code rules} on a conversation whose response is sent as the given pieces (a segment each). */
    private static Map<Long, Integer> pieces(String rules, List<String> response, boolean remember) {
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(rules, "case.rules");
        assertTrue(loader.errors().isEmpty(), () -> loader.errors().get(0).display());
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, CLIENT, 40000, SERVER, 80, 3, 7_000_000L)
                .mss(1460);
        c.handshake().clientSends(ascii("GET /s HTTP/1.1\r\nHost: h\r\n\r\n"));
        for (String piece : response) {
            c.serverSends(ascii(piece));
        }
        c.close();
        Map<Long, Integer> bySid = new TreeMap<>();
        try (Detector d = new Detector(RuleSetCompiler.compile(loader.rules()), Engine.DFA, StreamConfig.defaults(),
                true, a -> bySid.merge(a.rule().sid(), 1, Integer::sum))) {
            d.rememberSearched(remember);
            Replay.frames(c.frames().stream().map(TcpConversation.Frame::bytes).toList(), d::packet);
            d.finish();
        }
        return bySid;
    }

    /**
     * Issue 18: a stream rule whose leading contents cannot start at the stream bytes an earlier window searched
     * does not search them again. A heap spray cut in two at every byte alerts once for each rule, whether the cut
     * splits it (the match straddles old and new bytes) or not (it lies wholly in the first segment, and the second
     * segment's window shows it again), with the memory as without it.
     */
    @Test
    void aStreamMatchCutAtEveryByteAlertsOnceWithTheSearchedMemoryAsWithout() {
        String response = sprayResponse(4);
        Map<Long, Integer> once = Map.of(2012970L, 1, 2L, 1, 3L, 1);
        for (int cut = 1; cut < response.length(); cut++) {
            List<String> two = List.of(response.substring(0, cut), response.substring(cut));
            assertEquals(once, pieces(HEAP_SPRAY, two, true), "cut " + cut);
            assertEquals(once, pieces(HEAP_SPRAY, two, false), "cut " + cut + ", no memory");
        }
    }

    /**
     * Longer streams (past the window's kept bytes) in pieces of many sizes: the same alerts with the searched
     * memory and without, each spray once; and nothing when the spray's second content is missing.
     */
    @ParameterizedTest(name = "piece {0}")
    @ValueSource(ints = {1, 2, 3, 5, 7, 13, 64, 300, 1460})
    void longSprayStreamsAlertAsWithoutTheSearchedMemory(int size) {
        String response = sprayResponse(400) + sprayResponse(0).replace("HTTP/1.1 200 OK", "HTTP/1.1 201 OK");
        List<String> cut = new ArrayList<>();
        for (int i = 0; i < response.length(); i += size) {
            cut.add(response.substring(i, Math.min(response.length(), i + size)));
        }
        Map<Long, Integer> twice = Map.of(2012970L, 2, 2L, 2, 3L, 2);
        assertEquals(twice, pieces(HEAP_SPRAY, cut, false));
        assertEquals(twice, pieces(HEAP_SPRAY, cut, true));
        String broken = response.replace("\\u0b/", "\\x0b/");
        List<String> whole = List.of(broken);
        assertEquals(Map.of(3L, 2), pieces(HEAP_SPRAY, whole, true));
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"DFA", "AUTO"})
    void relativeMatchesFollowSuricataSemantics(Engine engine) {
        String request = "USER anonymous\r\nPASS secret\r\nRETR ../../etc/passwd\r\n";
        String rules = String.join("\n",
                // distance/within from the end of the previous match
                "alert tcp any any -> any 80 (msg:\"a\"; content:\"USER \"; content:\"anonymous\"; distance:0; within:9; sid:10;)",
                // distance 1: the second content would have to start one byte after the first one's end
                "alert tcp any any -> any 80 (msg:\"b\"; content:\"USER \"; content:\"anonymous\"; distance:1; within:9; sid:11;)",
                // offset/depth
                "alert tcp any any -> any 80 (msg:\"c\"; content:\"USER\"; offset:0; depth:4; sid:12;)",
                "alert tcp any any -> any 80 (msg:\"d\"; content:\"PASS\"; depth:10; sid:13;)",
                // pcre relative to the previous content
                "alert tcp any any -> any 80 (msg:\"e\"; content:\"RETR\"; pcre:\"/^\\s+(\\.\\.\\/){2}/R\"; sid:14;)",
                "alert tcp any any -> any 80 (msg:\"f\"; content:\"USER\"; pcre:\"/^\\s+\\.\\./R\"; sid:15;)",
                // negated content
                "alert tcp any any -> any 80 (msg:\"g\"; content:\"PASS\"; content:!\"root\"; sid:16;)",
                "alert tcp any any -> any 80 (msg:\"h\"; content:\"PASS\"; content:!\"secret\"; distance:0; sid:17;)",
                // backtracking: the first \"a\" is not followed within 3 bytes by \"ret\"; a later one is (s-e-c-r-e-t)
                "alert tcp any any -> any 80 (msg:\"i\"; content:\"c\"; content:\"ret\"; distance:0; within:3; sid:18;)",
                // nocase and endswith
                "alert tcp any any -> any 80 (msg:\"j\"; content:\"etc/PASSWD|0d 0a|\"; nocase; endswith; sid:19;)",
                // isdataat
                "alert tcp any any -> any 80 (msg:\"k\"; content:\"passwd\"; isdataat:2,relative; sid:20;)",
                "alert tcp any any -> any 80 (msg:\"l\"; content:\"passwd\"; isdataat:!3,relative; sid:21;)");
        List<byte[]> frames = conversation(1000, 1460, request, "HTTP/1.0 200 OK\r\n\r\n");
        Map<Long, Integer> expected = new TreeMap<>(Map.of(10L, 1, 12L, 1, 14L, 1, 16L, 1, 18L, 1, 19L, 1, 20L, 1,
                21L, 1));
        assertEquals(expected, run(rules, frames, engine));
    }

    @Test
    void headerKeywordsCompileToVmTests() {
        byte[] syn = PacketBuilder.ethernet().ipv4(CLIENT, SERVER).ttl(3).tcp(40001, 23).seq(5).flags(TcpFlags.SYN)
                .build();
        byte[] synack = PacketBuilder.ethernet().ipv4(SERVER, CLIENT).ttl(64).tcp(23, 40001).seq(9).ack(6)
                .flags(TcpFlags.SYN | TcpFlags.ACK).build();
        byte[] ping = PacketBuilder.ethernet().ipv4(CLIENT, "10.9.9.9").icmp(8, 0, 1).payload(ascii("abcd"))
                .build();
        byte[] dns = PacketBuilder.ethernet().ipv4("10.1.1.1", "8.8.8.8").udp(5353, 53).payload(ascii("xyz12345"))
                .build();
        String rules = String.join("\n",
                "alert tcp $HOME_NET any -> $EXTERNAL_NET 23 (msg:\"syn\"; flags:S; sid:30;)",
                "alert tcp any any -> any any (msg:\"syn+\"; flags:S+; sid:31;)",
                "alert tcp any any -> any any (msg:\"synack exact\"; flags:SA; sid:32;)",
                "alert tcp any any -> any any (msg:\"ttl\"; ttl:<5; sid:33;)",
                "alert tcp $EXTERNAL_NET 23 <> $HOME_NET any (msg:\"bidirectional\"; sid:34;)",
                "alert icmp any any -> any any (msg:\"echo\"; itype:8; icode:0; sid:35;)",
                "alert icmp any any -> any any (msg:\"reply\"; itype:0; sid:36;)",
                "alert udp [10.0.0.0/8,!10.1.0.0/16] any -> any 53 (msg:\"excluded\"; sid:37;)",
                "alert udp 10.0.0.0/8 any -> any [1:52,53] (msg:\"included\"; dsize:8; sid:38;)",
                "alert udp any any -> any !53 (msg:\"negated port\"; sid:39;)",
                "alert ip any any -> 10.9.9.9 any (msg:\"ip\"; sid:40;)");
        Map<Long, Integer> expected = new TreeMap<>(Map.of(30L, 1, 31L, 2, 32L, 1, 33L, 1, 34L, 2, 35L, 1, 38L, 1,
                40L, 1));
        assertEquals(expected, run(rules, List.of(syn, synack, ping, dns)));
    }

    @Test
    void flowbitsCarryStateBetweenRulesAndPassStopsInspection() {
        String rules = String.join("\n",
                "alert tcp any any -> any 80 (msg:\"login seen\"; flow:to_server; content:\"LOGIN\"; "
                        + "flowbits:set,logged; flowbits:noalert; sid:50;)",
                "alert tcp any 80 -> any any (msg:\"secret after login\"; flow:to_client; content:\"SECRET\"; "
                        + "flowbits:isset,logged; sid:51;)",
                "alert tcp any 80 -> any any (msg:\"never without bit\"; flow:to_client; content:\"SECRET\"; "
                        + "flowbits:isnotset,logged; sid:52;)",
                "pass tcp any 80 -> any any (msg:\"trusted\"; flow:to_client; content:\"TRUSTED\"; sid:53;)",
                "alert tcp any 80 -> any any (msg:\"hidden by pass\"; flow:to_client; content:\"TRUSTED\"; sid:54;)");
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, CLIENT, 40000, SERVER, 80, 77, 7_000_000L);
        c.handshake().clientSends(ascii("LOGIN bob\r\n")).serverSends(ascii("SECRET data\r\n"))
                .serverSends(ascii("TRUSTED\r\n")).close();
        List<byte[]> frames = c.frames().stream().map(TcpConversation.Frame::bytes).toList();
        assertEquals(Map.of(51L, 1), run(rules, frames));
    }

    @Test
    void thresholdLimitsAlertsPerTrackedAddress() {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            frames.add(PacketBuilder.ethernet().ipv4(CLIENT, "10.2.2.2").udp(1000 + i, 9).payload(ascii("ping"))
                    .build());
        }
        String rules = String.join("\n",
                "alert udp any any -> any 9 (msg:\"limit\"; content:\"ping\"; threshold:type limit, track by_src, "
                        + "count 3, seconds 60; sid:60;)",
                "alert udp any any -> any 9 (msg:\"every 4th\"; content:\"ping\"; threshold:type threshold, track by_src, "
                        + "count 4, seconds 60; sid:61;)",
                "alert udp any any -> any 9 (msg:\"after 8\"; content:\"ping\"; detection_filter:track by_dst, "
                        + "count 8, seconds 60; sid:62;)");
        assertEquals(Map.of(60L, 3, 61L, 2, 62L, 2), run(rules, frames));
    }

    @Test
    void actionsProtocolsAndFlowStates() {
        List<byte[]> frames = new ArrayList<>(conversation(5000, 1460, "ONE TWO", "THREE"));
        frames.add(PacketBuilder.ethernet().ipv4(CLIENT, "10.3.3.3").udp(2000, 4000).payload(ascii("udp-data"))
                .build());
        String rules = String.join("\n",
                "drop tcp any any -> any 80 (msg:\"drop\"; content:\"ONE\"; sid:70;)",
                "alert ip any any -> any any (msg:\"ip_proto\"; ip_proto:17; sid:71;)",
                "alert tcp any any -> any 80 (msg:\"not established\"; flow:not_established; flags:S; sid:72;)",
                "alert tcp any any -> any 80 (msg:\"set\"; content:\"ONE\"; flowbits:set,x; flowbits:noalert; sid:73;)",
                "alert tcp any any -> any 80 (msg:\"unset\"; content:\"TWO\"; flowbits:unset,x; flowbits:noalert; sid:74;)",
                "alert tcp any 80 -> any any (msg:\"isset after unset\"; content:\"THREE\"; flowbits:isset,x; sid:75;)",
                "alert tcp any 80 -> any any (msg:\"isnotset\"; content:\"THREE\"; flowbits:isnotset,x; sid:76;)",
                "alert tcp any any -> any 80 (msg:\"toggle on\"; content:\"ONE\"; flowbits:toggle,y; flowbits:noalert; sid:77;)",
                "alert tcp any 80 -> any any (msg:\"toggled\"; content:\"THREE\"; flowbits:isset,y|z; sid:78;)",
                "alert tcp any any -> any 80 (msg:\"fast pattern\"; content:\"O\"; fast_pattern; content:\"TWO\"; rawbytes; sid:79;)",
                "alert tcp-pkt any any -> any 80 (msg:\"packet\"; content:\"ONE TWO\"; sid:80;)",
                "alert tcp any any -> any 80 (msg:\"only stream\"; flow:only_stream; content:\"ONE TWO\"; sid:81;)",
                "alert udp any any -> any any (msg:\"stateless\"; flow:stateless; content:\"udp\"; sid:82;)");
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(rules, "case.rules");
        assertTrue(loader.errors().isEmpty(), () -> loader.errors().get(0).display());
        List<Alert> alerts = new ArrayList<>();
        try (Detector d = new Detector(RuleSetCompiler.compile(loader.rules()), Engine.DFA, StreamConfig.defaults(),
                true, alerts::add)) {
            Replay.frames(frames, d::packet);
            d.finish();
        }
        Map<Long, Integer> bySid = new TreeMap<>();
        for (Alert a : alerts) {
            bySid.merge(a.rule().sid(), 1, Integer::sum);
            assertEquals(a.rule().sid() == 70, a.blocked(), "only the drop rule blocks");
        }
        assertEquals(new TreeMap<>(Map.of(70L, 1, 71L, 1, 72L, 1, 76L, 1, 78L, 1, 79L, 1, 80L, 1, 81L, 1, 82L, 1)),
                bySid);
    }
}
