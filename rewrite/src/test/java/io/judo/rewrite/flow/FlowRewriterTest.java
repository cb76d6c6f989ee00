package io.judo.rewrite.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.rewrite.SegmentRewriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked flows through a {@link FlowRewriter} with one edit kind, "cat" to "tiger" (+2 bytes). The client's
 * ISN is 1000 (its offset 0 is sequence 1001), the server's 5000. The test plays the rule engine: it reports the
 * occurrences reassembly would have found.
 */
class FlowRewriterTest {
    private static final int ACK = PacketBuilder.TcpFlags.ACK;
    private static final int PSH = PacketBuilder.TcpFlags.PSH;
    private final PacketDecoder decoder = new PacketDecoder(true);
    private final PacketView in = new PacketView();
    private final PacketView out = new PacketView();
    private final FlowRewriter flows = new FlowRewriter(new byte[][] {ascii("cat")}, new byte[][] {ascii("tiger")},
            List.of());
    private final FlowRewrite flow = new FlowRewrite();

    FlowRewriterTest() {
        flow.direction(0).isn(true, 1000);
        flow.direction(1).isn(true, 5000);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] client(long seq, int flags, String payload) {
        return PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).seq(seq).ack(5001).flags(flags)
                .payload(payload).build();
    }

    private static byte[] serverAck(long ack) {
        return PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000).seq(5001).ack(ack).flags(ACK)
                .build();
    }

    private PacketView decode(byte[] frame, PacketView view) {
        return decoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.ETHERNET, view);
    }

    /** Rewrites {@code frame} of direction {@code dir}; returns the frame written (or the length, if none). */
    private PacketView rewrite(SegmentRewriter rewriter, byte[] frame, int dir, long time) {
        int length = flows.rewrite(rewriter, decode(frame, in), flow, dir, 0, time);
        assertTrue(length > 0, "rewritten, result " + length);
        return written(rewriter.output(), length);
    }

    private PacketView written(byte[] frame, int length) {
        decode(Arrays.copyOf(frame, length), out);
        assertFalse(out.malformed(), "checksums verify after the rewrite");
        return out;
    }

    private static String payload(PacketView v) {
        byte[] b = new byte[v.payloadLength()];
        v.buffer().get(v.payloadOffset(), b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void aCaptureEditMovesLaterSequenceAndAckNumbersAndIsMadeAgainInARetransmission() {
        SegmentRewriter capture = SegmentRewriter.forCapture();
        byte[] first = client(1001, ACK | PSH, "a cat here");
        flows.startPacket();
        flows.found(2, 0, 0);
        flows.selected(0);
        PacketView v = rewrite(capture, first, 0, 1);
        assertEquals("a tiger here", payload(v));
        assertEquals(1001, v.seq());
        assertEquals(1, flows.lastEditCount());
        assertEquals(2, flows.lastEditStreamOffset(0));
        assertEquals(2, flow.direction(0).deltas().delta());

        flows.startPacket();
        assertEquals(1013, rewrite(capture, client(1011, ACK | PSH, "more"), 0, 2).seq(), "1011 moved by +2");
        flows.startPacket();
        // the recorded server acknowledged all 14 original bytes: the rewritten stream has 16
        assertEquals(1017, rewrite(capture, serverAck(1015), 1, 3).ack());

        flows.startPacket(); // the first segment again, no new find: the recorded edit is made again, same bytes
        assertEquals("a tiger here", payload(rewrite(capture, first, 0, 4)));
        assertEquals(2, flows.counters().get(RewriteCounter.REWRITES_APPLIED));
        assertEquals(1, flow.direction(0).deltas().size(), "recorded once");
    }

    @Test
    void inlineTheEndOfASegmentBeginningATextGoesOutWithTheNextOne() {
        SegmentRewriter inline = SegmentRewriter.inline();
        flows.startPacket();
        PacketView v = rewrite(inline, client(1001, ACK, "big ca"), 0, 1);
        assertEquals("big ", payload(v), "\"ca\" may begin \"cat\": held back");
        assertEquals(1, flows.counters().get(RewriteCounter.HOLDS));

        flows.startPacket();
        flows.found(4, 0, 0); // reassembly delivered "t!" and with it "cat" at offset 4
        flows.selected(0);
        v = rewrite(inline, client(1007, ACK | PSH, "t!"), 0, 2);
        assertEquals("tiger!", payload(v));
        assertEquals(1005, v.seq(), "starts with the held bytes, at offset 4");

        flows.startPacket();
        // the server received "big tiger!" (10 bytes, ack 1011); the client sent "big cat!" (8, ack 1009)
        assertEquals(1009, rewrite(inline, serverAck(1011), 1, 3).ack());
        assertEquals(0, flows.flushHeld(4 + HoldBack.HOLD_MAX_NANOS, true, inline, (port, frame, length) -> {
            throw new AssertionError("nothing is held");
        }));
    }

    @Test
    void inlineHeldBytesGoOutAloneWhenNoNextSegmentComes() {
        SegmentRewriter inline = SegmentRewriter.inline();
        flows.startPacket();
        rewrite(inline, client(1001, ACK | PSH, "big ca"), 0, 1);
        flows.startPacket();
        rewrite(inline, serverAck(1005), 1, 2); // the server has "big ": the client may send more from now
        List<String> sent = new ArrayList<>();
        FrameSink sink = (port, frame, length) -> {
            PacketView alone = written(frame, length);
            sent.add(alone.seq() + " " + payload(alone));
        };
        assertEquals(1, flows.flushHeld(1 + HoldBack.HOLD_NANOS, false, inline, sink), "the ack is too recent");
        assertEquals(0, flows.flushHeld(2 + HoldBack.HOLD_NANOS, false, inline, sink));
        assertEquals(List.of("1005 ca"), sent);
        assertEquals(1, flows.counters().get(RewriteCounter.HOLDS_FLUSHED));
    }
}
