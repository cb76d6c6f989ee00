package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.Slice;
import io.judo.applayer.dns.DnsMessage;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.testing.ExternalTools;
import io.judo.reassembly.Flow;
import io.judo.reassembly.StreamConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DNS parser against tshark as the independent oracle: over a capture, the question names
 * ({@code dns.qry.name}), question types ({@code dns.qry.type}) and record owner names of every section
 * ({@code dns.resp.name}), in capture order, are the ones the application layer hands out (tshark writes the root
 * as {@code <Root>}, Suricata and Judo as the empty name). Run on the shared capture that holds DNS (EDNS, DNSSEC,
 * TCP answers) and on a built one: compression, several questions, case, the root, TCP with two messages in a
 * segment and messages split across segments.
 */
class DnsTsharkOracleTest {
    private static final Path SHARED = Path.of("../../shared/data/pcaps/zeek_dns-edns-ecs.pcap");

    @TempDir
    Path dir;

    /** What the application layer hands out, flattened: question names, their types, record names. */
    private record Seen(List<String> qnames, List<String> qtypes, List<String> rrnames) {
    }

    private static Seen judo(Path capture) throws Exception {
        Seen s = new Seen(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        FlowPath path = new FlowPath(StreamConfig.defaults(), false);
        Slice slice = new Slice();
        path.appLayer().subscribe(new AppLayer.Transactions() {
            @Override
            public void http(Flow f, io.judo.applayer.http.HttpTransaction tx, AppLayer.HttpProgress p) {
            }

            @Override
            public void dns(Flow f, DnsMessage m, long txId) {
                for (int i = 0; i < m.questionCount(); i++) {
                    s.qnames().add(m.questionName(i, slice).toString());
                    s.qtypes().add(Integer.toString(m.questionType(i)));
                }
                for (int i = 0; i < m.recordCount(); i++) {
                    s.rrnames().add(m.recordName(i, slice).toString());
                }
            }
        });
        Stage[] none = {};
        Replay.capture(capture, false, (v, t) -> path.run(none, v, t));
        path.finish();
        return s;
    }

    private static Seen tshark(Path capture) throws Exception {
        ExternalTools.require("tshark");
        String out = ExternalTools.run("tshark", "-n", "-r", capture.toString(), "-o", "tcp.check_checksum:FALSE",
                "-Y", "dns", "-T", "fields", "-E", "separator=|", "-e", "dns.qry.name", "-e", "dns.qry.type",
                "-e", "dns.resp.name");
        Seen s = new Seen(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String line : out.lines().toList()) {
            String[] f = line.split("\\|", -1);
            add(s.qnames(), f[0]);
            add(s.qtypes(), f[1]);
            add(s.rrnames(), f.length > 2 ? f[2] : "");
        }
        return s;
    }

    private static void add(List<String> to, String commaList) {
        if (commaList.isEmpty()) {
            return;
        }
        for (String v : commaList.split(",", -1)) {
            to.add(v.equals("<Root>") ? "" : v);
        }
    }

    private static void same(Path capture) throws Exception {
        Seen want = tshark(capture);
        Seen got = judo(capture);
        assertTrue(want.qnames().size() > 0, "tshark sees DNS in " + capture);
        assertEquals(want.qnames(), got.qnames(), "dns.qry.name");
        assertEquals(want.qtypes(), got.qtypes(), "dns.qry.type");
        assertEquals(want.rrnames(), got.rrnames(), "dns.resp.name");
        System.out.printf("%s: %d questions, %d records as tshark reads them%n", capture.getFileName(),
                got.qnames().size(), got.rrnames().size());
    }

    @Test
    void theSharedCaptureReadsAsTsharkReadsIt() throws Exception {
        Assumptions.assumeTrue(Files.exists(SHARED), "the shared captures are here");
        same(SHARED);
    }

    @Test
    void aBuiltCaptureReadsAsTsharkReadsIt() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        String c = "10.1.2.3";
        String s = "10.9.9.53";
        byte[] q1 = DnsDetectionTest.message(0x1111, 0x0100, "Mail.Example.ORG", "15");
        frames.add(PacketBuilder.ethernet().ipv4(c, s).udp(33000, 53).payload(q1).build());
        frames.add(PacketBuilder.ethernet().ipv4(s, c).udp(53, 33000).payload(compressedAnswer()).build());
        byte[] q2 = DnsDetectionTest.message(0x2222, 0x0100, "a.example", "1", "b.a.example", "28", "", "2");
        frames.add(PacketBuilder.ethernet().ipv4(c, s).udp(33001, 53).payload(q2).build());
        ByteArrayOutputStream tcp = new ByteArrayOutputStream();
        for (String n : List.of("first.tcp.example", "second.tcp.example")) {
            byte[] m = DnsDetectionTest.message(0x3333, 0x0100, n, "16");
            tcp.write(m.length >>> 8);
            tcp.write(m.length);
            tcp.writeBytes(m);
        }
        for (int mss : new int[] {1460, 7}) { // two messages in one segment, then both split at every 7 bytes
            TcpConversation conv = new TcpConversation(PacketBuilder::ethernet, c, 34000 + mss, s, 53, 1000L,
                    2000L).mss(mss);
            conv.handshake().clientSends(tcp.toByteArray()).close();
            conv.frames().forEach(f -> frames.add(f.bytes()));
        }
        Path capture = dir.resolve("dns.pcap");
        try (OutputStream o = Files.newOutputStream(capture); PcapWriter w = new PcapWriter(o, 1, 65535, false)) {
            long t = 1_700_000_000_000_000_000L;
            for (byte[] f : frames) {
                w.write(t += 1_000_000, f, 0, f.length, f.length);
            }
        }
        same(capture);
    }

    @Test
    void dnsRulesAlertWhereTsharkSelects() throws Exception {
        Assumptions.assumeTrue(Files.exists(SHARED), "the shared captures are here");
        ExternalTools.require("tshark");
        // requests whose question names hold "weberdns" in any case
        long queries = ExternalTools.run("tshark", "-n", "-r", SHARED.toString(), "-Y",
                "dns.flags.response == 0 && lower(dns.qry.name) contains \"weberdns\"", "-T", "fields", "-e",
                "frame.number").lines().filter(l -> !l.isBlank()).count();
        // responses with an answer-section record (the first ancount names) ending in netflix.com
        long answers = 0;
        for (String line : ExternalTools.run("tshark", "-n", "-r", SHARED.toString(), "-Y", "dns.flags.response == 1",
                "-T", "fields", "-E", "separator=|", "-e", "dns.count.answers", "-e", "dns.resp.name").lines().toList()) {
            String[] f = line.split("\\|", -1);
            String[] names = f[1].split(",");
            int n = Integer.parseInt(f[0]);
            for (int i = 0; i < n && i < names.length; i++) {
                if (names[i].endsWith("netflix.com")) {
                    answers++;
                    break;
                }
            }
        }
        String rules = "alert dns any any -> any any (msg:\"q\"; dns.query; content:\"weberdns\"; nocase; sid:1;)\n"
                + "alert dns any any -> any any (msg:\"a\"; dns.answers.rrname; content:\"netflix.com\"; endswith; "
                + "sid:2;)";
        io.judo.rules.suricata.RuleLoader loader = new io.judo.rules.suricata.RuleLoader(
                io.judo.rules.suricata.Variables.defaults(), null, true).load(rules, "oracle.rules");
        java.util.Map<Long, Long> got = new java.util.TreeMap<>();
        try (Detector d = new Detector(io.judo.rules.suricata.RuleSetCompiler.compile(loader.rules()),
                io.judo.matcher.Engine.DFA, StreamConfig.defaults(), false, a -> got.merge(a.rule().sid(), 1L,
                Long::sum))) {
            Replay.capture(SHARED, false, d::packet);
            d.finish();
        }
        assertTrue(queries > 0 && answers > 0, "the capture has both");
        assertEquals(java.util.Map.of(1L, queries, 2L, answers), got);
    }

    /** A response whose names are pointers into the question and into earlier records. */
    private static byte[] compressedAnswer() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] head = {0x11, 0x11, (byte) 0x81, (byte) 0x80, 0, 1, 0, 2, 0, 0, 0, 1};
        o.writeBytes(head);
        DnsDetectionTest.name(o, "Mail.Example.ORG"); // at 12; "Example.ORG" at 17
        o.writeBytes(new byte[] {0, 15, 0, 1});
        // MX: owner -> pointer to 12; rdata: preference, "mx1" + pointer to 17
        o.writeBytes(new byte[] {(byte) 0xC0, 12, 0, 15, 0, 1, 0, 0, 1, 0, 0, 8, 0, 10, 3, 'm', 'x', '1',
            (byte) 0xC0, 17});
        int mx1 = 12 + 18 + 4 + 12 + 2; // where "mx1" starts
        // CNAME-less second answer owned by pointer to "Example.ORG"
        o.writeBytes(new byte[] {(byte) 0xC0, 17, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 0, 0, 25});
        // additional: A for mx1.Example.ORG, owner is a pointer to the name inside the MX rdata
        o.writeBytes(new byte[] {(byte) 0xC0, (byte) mx1, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 0, 0, 26});
        byte[] r = o.toByteArray();
        assertEquals("mx1", new String(Arrays.copyOfRange(r, mx1 + 1, mx1 + 4), StandardCharsets.US_ASCII));
        return r;
    }
}
