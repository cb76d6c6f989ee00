package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.decode.LinkType;
import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.Frames;
import io.judo.packet.testing.TsharkTcp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo scan --rules P.judo --write OUT.pcap}, with tshark as the oracle: a flow whose strings are replaced
 * by longer ones in one direction and shorter ones in the other, many times, across a sequence wrap and with a
 * retransmission, comes out with every checksum good, no TCP analysis finding the input did not have, and streams
 * (as tshark reassembles them) equal to the input streams with the replacements made; a blocked flow is left out.
 */
class ScanWriteTest {
    private static final String POLICY = """
            block quick proto tcp from any to any port 23
            block quick proto tcp from any port 23 to any
            match proto tcp from any port 80 replace "Server: Apache" with "Server: Judo-rewrite-engine/1.0"
            match proto tcp from any to any port 80 replace "User-Agent: curl/8.0" with "UA: x"
            match proto udp from any to any port 53 set tos 184 set ttl 9
            """;

    @TempDir
    Path dir;

    /** {@code count} chunks of exactly 100 bytes, each holding {@code text} once (segments of 500 never cut one). */
    private static String chunks(String text, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String head = String.format("%04d ", i) + text + " ";
            sb.append(head).append("x".repeat(98 - head.length())).append("\r\n");
        }
        return sb.toString();
    }

    @Test
    void writtenCaptureIsWhatTsharkReassemblesAsTheEditedStreams() throws Exception {
        ExternalTools.require("tshark");
        String request = chunks("User-Agent: curl/8.0", 12);
        String response = chunks("Server: Apache", 40);
        TcpConversation http = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 40000, "10.2.0.2", 80,
                0xfffff000L, 0xffffff00L).mss(500);
        http.handshake().clientSends(request.getBytes(StandardCharsets.US_ASCII))
                .serverSends(response.getBytes(StandardCharsets.US_ASCII)).close();
        List<byte[]> frames = new ArrayList<>();
        for (TcpConversation.Frame f : http.frames()) {
            frames.add(f.bytes());
        }
        int retransmitted = frames.size() - 9; // a server data segment near the end, sent again after its ack
        frames.add(retransmitted + 2, frames.get(retransmitted));
        int httpFrames = frames.size();
        TcpConversation telnet = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 40001, "10.2.0.2", 23, 5,
                9).handshake().clientSends("root\r\n".getBytes(StandardCharsets.US_ASCII)).close();
        for (TcpConversation.Frame f : telnet.frames()) {
            frames.add(f.bytes());
        }
        frames.add(PacketBuilder.ethernet().ipv4("10.1.0.1", "10.2.0.53").udp(5353, 53).payload("query").build());
        frames.add(PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::53").udp(5353, 53).payload("query")
                .build());
        Path in = Frames.writePcap(dir.resolve("in.pcap"), LinkType.ETHERNET, frames);
        Path policy = Files.writeString(dir.resolve("p.judo"), POLICY);
        Path out = dir.resolve("out.pcap");

        Path journal = dir.resolve("journal");
        Run r = Run.judo("scan", "--rules", policy.toString(), "--write", out.toString(), "--journal",
                journal.toString(), in.toString());
        assertEquals(0, r.status(), r.err());
        // 12 + 40 occurrences, and the 5 in the retransmitted segment made again
        assertTrue(r.out().contains(", 57 replacements"), r.out());
        // each one journaled, at its offset in the original stream ("%04d " precedes the text in each 100-byte chunk)
        Run q = Run.judo("journal", "query", journal.toString(), "--type", "rewrite", "--format", "json");
        List<String> rewrites = q.out().lines().toList();
        assertEquals(57, rewrites.size(), q.err());
        assertTrue(rewrites.get(0).contains("\"stream_offset\":5,")
                && rewrites.get(0).contains("\"rewrite\":{\"before\":\"User-Agent: curl/8.0\",\"after\":\"UA: x\","
                + "\"delta\":-15}"), rewrites.get(0));
        assertTrue(rewrites.get(11).contains("\"stream_offset\":1105,"), rewrites.get(11));
        assertTrue(r.out().contains("dropped or rejected left out"), r.out());

        List<String> statuses = TsharkTcp.fields(out, null, "tcp.checksum.status", "ip.checksum.status", "tcp.port");
        assertEquals(httpFrames + 2, statuses.size(), "the telnet flow was blocked and left out");
        for (String line : statuses.subList(0, httpFrames)) {
            assertTrue(line.startsWith("1\t1\t"), "checksums good (1): " + line);
        }
        // set tos 184 (DSCP EF): the IPv4 TOS byte with a good header checksum, and the IPv6 traffic class
        List<String> tos = TsharkTcp.fields(out, "udp", "ip.dsfield", "ipv6.tclass", "ip.checksum.status", "ip.ttl",
                "ipv6.hlim");
        assertEquals(List.of("0xb8\t\t1\t9\t", "\t0x000000b8\t\t\t9"), tos);
        assertEquals(TsharkTcp.analysisFlags(in, "tcp.port == 80"), TsharkTcp.analysisFlags(out, "tcp.port == 80"),
                "no new TCP analysis findings (the retransmission stays one)");

        // the retransmission went out edited exactly as the first transmission (tshark's follow skips it)
        List<String> segments = TsharkTcp.fields(out, null, "tcp.seq_raw", "tcp.payload");
        assertEquals(segments.get(retransmitted), segments.get(retransmitted + 2));
        assertTrue(segments.get(retransmitted).contains(hex("Judo-rewrite-engine")), segments.get(retransmitted));

        byte[][] streams = TsharkTcp.follow(out, 0);
        assertEquals(request.replace("User-Agent: curl/8.0", "UA: x"),
                new String(streams[0], StandardCharsets.US_ASCII));
        assertEquals(response.replace("Server: Apache", "Server: Judo-rewrite-engine/1.0"),
                new String(streams[1], StandardCharsets.US_ASCII));
    }

    /**
     * nat-to on a TCP flow and rdr-to on an IPv6 UDP exchange: both directions come out as seen outside the
     * translator, every checksum good (tshark), the TCP stream still one clean stream.
     */
    @Test
    void remapsRewriteBothDirectionsWithGoodChecksums() throws Exception {
        ExternalTools.require("tshark");
        TcpConversation http = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 40000, "10.2.0.2", 80, 77,
                99).mss(100);
        http.handshake().clientSends(chunks("GET", 3).getBytes(StandardCharsets.US_ASCII))
                .serverSends(chunks("OK", 5).getBytes(StandardCharsets.US_ASCII)).close();
        List<byte[]> frames = new ArrayList<>();
        for (TcpConversation.Frame f : http.frames()) {
            frames.add(f.bytes());
        }
        int tcpFrames = frames.size();
        frames.add(PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::53").udp(5353, 53).payload("query").build());
        frames.add(PacketBuilder.ethernet().ipv6("2001:db8::53", "2001:db8::1").udp(53, 5353).payload("answer")
                .build());
        Path in = Frames.writePcap(dir.resolve("in.pcap"), LinkType.ETHERNET, frames);
        Path policy = Files.writeString(dir.resolve("p.judo"), """
                match proto tcp from 10.1.0.0/16 to any port 80 nat-to 192.0.2.7 port 61000
                match proto udp from any to any port 53 rdr-to 2001:db8::99 port 5300
                """);
        Path out = dir.resolve("out.pcap");
        Path journal = dir.resolve("journal");
        Run r = Run.judo("scan", "--rules", policy.toString(), "--write", out.toString(), "--journal",
                journal.toString(), in.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(", " + (tcpFrames + 2) + " address remaps"), r.out());
        // one REMAP record per flow, when its mapping is fixed, naming the rule (its line)
        List<String> remaps = Run.judo("journal", "query", journal.toString(), "--type", "remap", "--format", "json")
                .out().lines().toList();
        assertEquals(2, remaps.size(), remaps.toString());
        assertTrue(remaps.get(0).contains("\"signature_id\":1,") && remaps.get(0).contains("\"remap\":{\"before\":"
                + "\"10.1.0.1:40000 -> 10.2.0.2:80\",\"after\":\"192.0.2.7:61000 -> 10.2.0.2:80\"}"), remaps.get(0));
        assertTrue(remaps.get(1).contains("\"signature_id\":2,") && remaps.get(1).contains("\"after\":"
                + "\"[2001:db8::1]:5353 -> [2001:db8::99]:5300\""), remaps.get(1));

        List<String> rows = TsharkTcp.fields(out, null, "ip.src", "ipv6.src", "tcp.srcport", "udp.srcport", "ip.dst",
                "ipv6.dst", "tcp.dstport", "udp.dstport", "ip.checksum.status", "tcp.checksum.status",
                "udp.checksum.status").stream().map(row -> row.replace('\t', ',')).toList();
        assertEquals(tcpFrames + 2, rows.size());
        for (int i = 0; i < tcpFrames; i++) {
            String row = rows.get(i);
            assertTrue(row.equals("192.0.2.7,,61000,,10.2.0.2,,80,,1,1,")
                    || row.equals("10.2.0.2,,80,,192.0.2.7,,61000,,1,1,"), "frame " + (i + 1) + ": " + row);
        }
        assertEquals(",2001:db8::1,,5353,,2001:db8::99,,5300,,,1", rows.get(tcpFrames));
        assertEquals(",2001:db8::99,,5300,,2001:db8::1,,5353,,,1", rows.get(tcpFrames + 1));
        assertEquals(List.of(), TsharkTcp.analysisFlags(out, null));
    }

    /** Full-size segments that grow past the MTU are split; tshark sees one clean stream of small enough packets. */
    @Test
    void grownSegmentsAreSplitToFitTheMtu() throws Exception {
        ExternalTools.require("tshark");
        String response = chunks("Server: Apache", 56);
        TcpConversation http = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 40000, "10.2.0.2", 80,
                0xfffffa00L, 0xfffff800L).mss(1400);
        http.handshake().clientSends("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends(response.getBytes(StandardCharsets.US_ASCII)).close();
        List<byte[]> frames = new ArrayList<>();
        for (TcpConversation.Frame f : http.frames()) {
            frames.add(f.bytes());
        }
        Path out = dir.resolve("out.pcap");
        Run r = scanWithPolicy(frames, out);
        // 4 segments of 1,400 bytes, each 14 occurrences x 17 bytes longer: 1,638 bytes, over 1,460 -> 2 pieces each
        assertTrue(r.out().contains("4 grown segments split into 8 to fit MTU 1,500"), r.out());
        List<String> lengths = TsharkTcp.fields(out, null, "ip.len", "ip.checksum.status", "tcp.checksum.status");
        assertEquals(frames.size() + 4, lengths.size());
        for (String row : lengths) {
            String[] f = row.split("\t");
            assertTrue(Integer.parseInt(f[0]) <= 1500 && f[1].equals("1") && f[2].equals("1"), row);
        }
        assertEquals(List.of(), TsharkTcp.analysisFlags(out, null));
        byte[][] streams = TsharkTcp.follow(out, 0);
        assertEquals(response.replace("Server: Apache", "Server: Judo-rewrite-engine/1.0"),
                new String(streams[1], StandardCharsets.US_ASCII));
    }

    /**
     * Issue 15: segments that arrived larger than the MTU (captured before the NIC segmented them) are split too, and
     * counted apart from the ones a replacement grew, even when the replacement shrank them.
     */
    @Test
    void segmentsOverTheMtuAsCapturedAreCountedApartFromGrownOnes() throws Exception {
        ExternalTools.require("tshark");
        List<byte[]> frames = new ArrayList<>();
        // 4 full segments of 1,400 bytes that grow past the MTU (as in grownSegmentsAreSplitToFitTheMtu): 8 pieces
        TcpConversation grown = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 40000, "10.2.0.2", 80,
                1000, 2000).mss(1400);
        grown.handshake().clientSends("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends(chunks("Server: Apache", 56).getBytes(StandardCharsets.US_ASCII)).close();
        // one 3,000-byte request that shrinks by 30 x 15 bytes to 2,550 (2 pieces of at most 1,460) and one
        // 3,000-byte response that grows by 30 x 17 bytes to 3,510 (3 pieces): both were over the MTU as captured
        String request = chunks("User-Agent: curl/8.0", 30);
        String response = chunks("Server: Apache", 30);
        TcpConversation offloaded = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 40001, "10.2.0.2", 80,
                5000, 9000).mss(3000);
        offloaded.handshake().clientSends(request.getBytes(StandardCharsets.US_ASCII))
                .serverSends(response.getBytes(StandardCharsets.US_ASCII)).close();
        for (TcpConversation c : List.of(grown, offloaded)) {
            for (TcpConversation.Frame f : c.frames()) {
                frames.add(f.bytes());
            }
        }
        Path out = dir.resolve("out.pcap");
        Run r = scanWithPolicy(frames, out);
        assertTrue(r.out().contains(", 4 grown segments split into 8 to fit MTU 1,500, 2 segments over the MTU as "
                + "captured, split into 5"), r.out());
        List<String> lengths = TsharkTcp.fields(out, null, "ip.len", "ip.checksum.status", "tcp.checksum.status");
        assertEquals(frames.size() + 4 + 3, lengths.size());
        for (String row : lengths) {
            String[] f = row.split("\t");
            assertTrue(Integer.parseInt(f[0]) <= 1500 && f[1].equals("1") && f[2].equals("1"), row);
        }
        byte[][] streams = TsharkTcp.follow(out, 1);
        assertEquals(request.replace("User-Agent: curl/8.0", "UA: x"),
                new String(streams[0], StandardCharsets.US_ASCII));
        assertEquals(response.replace("Server: Apache", "Server: Judo-rewrite-engine/1.0"),
                new String(streams[1], StandardCharsets.US_ASCII));
    }

    /** The demo's fragmented datagrams go out whole, with the link header of their last fragment. */
    @Test
    void demoWriteKeepsReassembledDatagrams() throws Exception {
        ExternalTools.require("tshark");
        Path out = dir.resolve("demo-out.pcap");
        Run r = Run.judo("scan", "--write", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("96 packets (14 rewritten, 3 dropped or rejected left out), 2 replacements"),
                r.out());
        List<String> datagram = TsharkTcp.fields(out, "udp && ip.len > 1500", "eth.type", "ip.len",
                "ip.checksum.status", "udp.checksum.status");
        assertEquals(List.of("0x0800\t3028\t1\t1"), datagram);
        // the client's third connection in a minute (the mail, after TLS and SSH) loses the ACK that completed its
        // handshake to the demo policy's max-src-conn-rate 2/60; tshark reads both captures
        Path in = dir.resolve("demo-in.pcap");
        assertEquals(0, Run.judo("generate", "--demo", "--out", in.toString()).status());
        String handshakeAck = "tcp.dstport == 25 && tcp.flags == 0x010 && tcp.ack_raw == 17000001 && tcp.len == 0";
        assertEquals(1, TsharkTcp.fields(in, handshakeAck, "frame.number").size(), "the demo's handshake ACK");
        assertEquals(List.of(), TsharkTcp.fields(out, handshakeAck, "frame.number"), "left out");
    }

    /**
     * Suricata's {@code replace} (here of any length): each time a rule fires, the bytes its content matched are
     * replaced; a drop rule leaves its flow out. One occurrence per segment, since a rule fires once per packet.
     */
    @Test
    void suricataReplaceRewritesEachMatchOfAFiringRule() throws Exception {
        ExternalTools.require("tshark");
        StringBuilder request = new StringBuilder();
        StringBuilder response = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String head = String.format("%04d ", i);
            String r = head + "Server: Apache ";
            response.append(r).append("y".repeat(498 - r.length())).append("\r\n");
            if (i < 8) {
                String q = head + "User-Agent: curl/8.0 ";
                request.append(q).append("q".repeat(498 - q.length())).append("\r\n");
            }
        }
        TcpConversation http = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 40000, "10.2.0.2", 80,
                0xfffffe00L, 7).mss(500);
        http.handshake().clientSends(request.toString().getBytes(StandardCharsets.US_ASCII))
                .serverSends(response.toString().getBytes(StandardCharsets.US_ASCII)).close();
        List<byte[]> frames = new ArrayList<>();
        http.frames().forEach(f -> frames.add(f.bytes()));
        int httpFrames = frames.size();
        new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 40001, "10.2.0.2", 23, 5, 9).handshake()
                .clientSends("root\r\n".getBytes(StandardCharsets.US_ASCII)).close().frames()
                .forEach(f -> frames.add(f.bytes()));
        Path in = Frames.writePcap(dir.resolve("in.pcap"), LinkType.ETHERNET, frames);
        Path rules = Files.writeString(dir.resolve("r.rules"), String.join("\n",
                "alert tcp any 80 -> any any (msg:\"banner\"; flow:established,from_server; "
                        + "content:\"Server: Apache\"; replace:\"Server: Judo-rewrite-engine/1.0\"; sid:1001;)",
                "alert tcp any any -> any 80 (msg:\"agent\"; content:\"User-Agent: curl/8.0\"; replace:\"UA: x\"; "
                        + "sid:1002;)",
                "drop tcp any any -> any 23 (msg:\"telnet\"; sid:1003;)") + "\n");
        Path out = dir.resolve("out.pcap");
        Path journal = dir.resolve("journal");
        Run r = Run.judo("scan", "--rules", rules.toString(), "--write", out.toString(), "--journal",
                journal.toString(), in.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(", 38 replacements"), r.out());
        Run q = Run.judo("journal", "query", journal.toString(), "--type", "rewrite", "--sid", "1002", "--format",
                "json");
        assertEquals(8, q.out().lines().count(), q.out() + q.err());
        assertTrue(q.out().lines().findFirst().orElseThrow().contains("\"stream_offset\":5,"), q.out());
        List<String> statuses = TsharkTcp.fields(out, null, "tcp.checksum.status", "ip.checksum.status");
        assertEquals(httpFrames, statuses.size(), "the telnet flow was dropped and left out");
        statuses.forEach(line -> assertEquals("1\t1", line));
        assertEquals(TsharkTcp.analysisFlags(in, "tcp.port == 80"), TsharkTcp.analysisFlags(out, "tcp.port == 80"));
        byte[][] streams = TsharkTcp.follow(out, 0);
        assertEquals(request.toString().replace("User-Agent: curl/8.0", "UA: x"),
                new String(streams[0], StandardCharsets.US_ASCII));
        assertEquals(response.toString().replace("Server: Apache", "Server: Judo-rewrite-engine/1.0"),
                new String(streams[1], StandardCharsets.US_ASCII));
    }

    /**
     * Segments of 41 and 97 bytes cut many occurrences in two: the written capture moves the segment boundaries (the end
     * that begins a text waits for the next segment, as an inline judo sends it), every occurrence is replaced, acks
     * never run ahead of the written data, and tshark finds no analysis warning the input did not have.
     */
    @Test
    void occurrencesCutBySegmentationAreRewrittenWhole() throws Exception {
        ExternalTools.require("tshark");
        String request = chunks("User-Agent: curl/8.0", 20);
        String response = chunks("Server: Apache", 60);
        TcpConversation http = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 40000, "10.2.0.2", 80,
                0xfffffd00L, 0x7ffffff0L).mss(41);
        http.handshake().clientSends(request.getBytes(StandardCharsets.US_ASCII)).mss(97)
                .serverSends(response.getBytes(StandardCharsets.US_ASCII)).close();
        List<byte[]> frames = new ArrayList<>();
        http.frames().forEach(f -> frames.add(f.bytes()));
        Path out = dir.resolve("out.pcap");
        Run r = scanWithPolicy(frames, out);
        assertTrue(r.out().contains(", 80 replacements"), r.out());
        assertTrue(!r.out().contains("spanning"), r.out());
        assertTrue(r.out().matches("(?s).*, [1-9][0-9]* segment ends held back.*"), r.out());
        for (String line : TsharkTcp.fields(out, null, "tcp.checksum.status", "ip.checksum.status")) {
            assertEquals("1\t1", line);
        }
        assertEquals(TsharkTcp.analysisFlags(dir.resolve("in.pcap"), "tcp"), TsharkTcp.analysisFlags(out, "tcp"));
        byte[][] streams = TsharkTcp.follow(out, 0);
        assertEquals(request.replace("User-Agent: curl/8.0", "UA: x"), new String(streams[0],
                StandardCharsets.US_ASCII));
        assertEquals(response.replace("Server: Apache", "Server: Judo-rewrite-engine/1.0"),
                new String(streams[1], StandardCharsets.US_ASCII));
    }

    @Test
    void writeWithoutRulesIsAClearError() throws Exception {
        Path in = Frames.writePcap(dir.resolve("in.pcap"), LinkType.ETHERNET, List.of());
        Run r = Run.judo("scan", "--write", dir.resolve("o.pcap").toString(), in.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("--write needs rules to apply"), r.err());
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes {@code frames} as in.pcap, scans it with {@link #POLICY} writing {@code out}; exit 0 required. */
    private Run scanWithPolicy(List<byte[]> frames, Path out) throws Exception {
        Path in = Frames.writePcap(dir.resolve("in.pcap"), LinkType.ETHERNET, frames);
        Path policy = Files.writeString(dir.resolve("p.judo"), POLICY);
        Run r = Run.judo("scan", "--rules", policy.toString(), "--write", out.toString(), in.toString());
        assertEquals(0, r.status(), r.err());
        return r;
    }
}
