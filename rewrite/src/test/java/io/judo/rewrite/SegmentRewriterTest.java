package io.judo.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.TsharkTcp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Segments of a conversation rewritten with growing and shrinking edits in both directions, checked by tshark as the
 * oracle: every IP and TCP checksum good, no sequence-analysis flag that the input did not have, and the streams
 * tshark reassembles equal to the input streams with the edits applied. ISNs sit just below 2^32 so sequence numbers
 * wrap mid-stream.
 */
class SegmentRewriterTest {
    private static final byte[] REQUEST = ("GET /index.html HTTP/1.1\r\nHost: example.net\r\nUser-Agent: tester\r\n"
            + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 40\r\n\r\n"
            + "<html><body>hello, world, once more</body></html>").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /** Client segments: each 'e' becomes "EEE" (growth). Server segments: each 'o' is removed (shrink). */
    private static void editsFor(byte[] payload, int offset, int length, boolean fromClient, PayloadEdits edits,
                                 ByteArrayOutputStream expected) {
        byte target = (byte) (fromClient ? 'e' : 'o');
        byte[] replacement = fromClient ? "EEE".getBytes(StandardCharsets.US_ASCII) : new byte[0];
        for (int i = 0; i < length; i++) {
            if (payload[offset + i] == target) {
                edits.add(i, 1, replacement);
                expected.writeBytes(replacement);
            } else {
                expected.write(payload[offset + i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ipv4", "ipv6"})
    void rewrittenConversationPassesTshark(String family) throws IOException, InterruptedException {
        ExternalTools.require("tshark");
        boolean v6 = family.equals("ipv6");
        long clientIsn = 0xffffffe0L;
        long serverIsn = 0xfffffff8L;
        TcpConversation conversation = new TcpConversation(PacketBuilder::ethernet, v6 ? "2001:db8::1" : "10.0.0.1",
                40000, v6 ? "2001:db8::2" : "10.0.0.2", 80, clientIsn, serverIsn)
                .mss(24).handshake().clientSends(REQUEST).serverSends(RESPONSE).close();
        List<TcpConversation.Frame> input = new ArrayList<>(conversation.frames());
        input.add(5, input.get(3)); // the client's first data segment again: a retransmission of edited data
        Path in = dir.resolve("in.pcap");
        Path out = dir.resolve("out.pcap");

        PacketDecoder decoder = new PacketDecoder();
        PacketView view = new PacketView();
        SegmentRewriter rewriter = SegmentRewriter.forCapture();
        PayloadEdits edits = new PayloadEdits();
        DeltaMap clientMap = new DeltaMap();
        DeltaMap serverMap = new DeltaMap();
        ByteArrayOutputStream clientStream = new ByteArrayOutputStream();
        ByteArrayOutputStream serverStream = new ByteArrayOutputStream();
        long clientNext = -1;
        byte[] firstRewrite = null;
        try (OutputStream inFile = Files.newOutputStream(in); OutputStream outFile = Files.newOutputStream(out);
             PcapWriter inPcap = new PcapWriter(inFile, LinkType.ETHERNET, 65535, false);
             PcapWriter outPcap = new PcapWriter(outFile, LinkType.ETHERNET, 65535, false)) {
            for (int n = 0; n < input.size(); n++) {
                byte[] frame = input.get(n).bytes();
                inPcap.write(input.get(n).timestampNanos(), frame, 0, frame.length, frame.length);
                decoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.ETHERNET, view);
                boolean fromClient = view.srcPort() == 40000;
                edits.clear();
                boolean retransmission = fromClient && view.payloadLength() > 0 && view.seq() != clientNext
                        && clientNext >= 0;
                ByteArrayOutputStream stream = retransmission ? new ByteArrayOutputStream()
                        : fromClient ? clientStream : serverStream;
                editsFor(frame, view.payloadOffset(), view.payloadLength(), fromClient, edits, stream);
                if (fromClient && view.payloadLength() > 0 && !retransmission) {
                    clientNext = (view.seq() + view.payloadLength()) & 0xffffffffL;
                }
                int length = fromClient
                        ? rewriter.rewrite(view, edits, clientMap, clientIsn, serverMap, serverIsn)
                        : rewriter.rewrite(view, edits, serverMap, serverIsn, clientMap, clientIsn);
                assertTrue(length > 0, "frame " + n + " rewritten: " + length);
                byte[] rewritten = java.util.Arrays.copyOf(rewriter.output(), length);
                if (n == 3) {
                    firstRewrite = rewritten;
                }
                if (n == 5) {
                    assertArrayEquals(firstRewrite, rewritten, "a retransmission is re-edited identically");
                }
                outPcap.write(input.get(n).timestampNanos(), rewritten, 0, length, length);
            }
        }

        // every checksum good (IPv6 has no header checksum)
        List<String> statuses = TsharkTcp.fields(out, null, "tcp.checksum.status", "ip.checksum.status");
        assertEquals(input.size(), statuses.size());
        for (String line : statuses) {
            assertEquals(v6 ? "1" : "1\t1", line.strip(), "checksum statuses (1 = good)");
        }
        // no sequence-analysis finding the input did not already have (the retransmission)
        assertEquals(TsharkTcp.analysisFlags(in, null), TsharkTcp.analysisFlags(out, null));
        // tshark's reassembled streams equal the input with the edits applied
        byte[][] streams = TsharkTcp.follow(out, 0);
        assertEquals(clientStream.toString(StandardCharsets.US_ASCII), new String(streams[0], StandardCharsets.US_ASCII));
        assertEquals(serverStream.toString(StandardCharsets.US_ASCII), new String(streams[1], StandardCharsets.US_ASCII));
        assertTrue(clientStream.toString(StandardCharsets.US_ASCII).contains("UsEEEr-AgEEEnt"), "growth applied");
        assertTrue(serverStream.toString(StandardCharsets.US_ASCII).contains("hell, wrld, nce mre"), "shrink applied");
    }
}
