package io.judo.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked single segments: acknowledgement and SACK translation in both placements, and the refusals. The
 * client's stream (ISN 1000) has "a" at offset 5 replaced by "abc", so its bytes from offset 6 on move by +2.
 */
class SegmentRewriterVectorsTest {
    private final PacketDecoder checkingDecoder = new PacketDecoder(true);
    private final PacketView in = new PacketView();
    private final PacketView out = new PacketView();
    private final PayloadEdits none = new PayloadEdits();

    private static DeltaMap clientEdited() {
        DeltaMap map = new DeltaMap();
        map.edit(5, 1, 3);
        return map;
    }

    private PacketView decode(byte[] frame, PacketView view) {
        return checkingDecoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.ETHERNET, view);
    }

    private PacketView rewriteServerAck(SegmentRewriter rewriter, long ack, long... sack) {
        byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000).seq(5001).ack(ack)
                .flags(PacketBuilder.TcpFlags.ACK).timestamps(7, 9).sack(sack).build();
        decode(frame, in);
        int length = rewriter.rewrite(in, none, new DeltaMap(), 5000, clientEdited(), 1000);
        byte[] result = java.util.Arrays.copyOf(rewriter.output(), length);
        decode(result, out);
        assertFalse(out.malformed(), "checksums verify after the rewrite");
        return out;
    }

    @Test
    void inlineMovesAcksAndSackEdgesBackToTheOriginal() {
        PacketView v = rewriteServerAck(SegmentRewriter.inline(), 1018, 1020, 1030);
        assertEquals(1016, v.ack());
        assertEquals(1018, v.sackLeft(0));
        assertEquals(1028, v.sackRight(0));
        assertEquals(9, v.tsEcho()); // other options untouched
    }

    @Test
    void captureMovesAcksForwardIntoTheRewrittenStream() {
        PacketView v = rewriteServerAck(SegmentRewriter.forCapture(), 1016, 1018, 1028);
        assertEquals(1018, v.ack());
        assertEquals(1020, v.sackLeft(0));
        assertEquals(1030, v.sackRight(0));
    }

    @Test
    void refusalsAreReportedNotGuessed() {
        SegmentRewriter rewriter = SegmentRewriter.inline();
        byte[] udp = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload("x").build();
        assertEquals(SegmentRewriter.NOT_TCP, rewriter.rewrite(decode(udp, in), none, new DeltaMap(), 0, null, 0));

        byte[] data = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).seq(1001)
                .flags(PacketBuilder.TcpFlags.ACK).payload("GET /").build();
        PayloadEdits beyond = new PayloadEdits().add(4, 2, new byte[] {'x'});
        assertEquals(SegmentRewriter.EDIT_OUTSIDE,
                rewriter.rewrite(decode(data, in), beyond, new DeltaMap(), 1000, null, 0));

        byte[] inside = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).seq(1007)
                .flags(PacketBuilder.TcpFlags.ACK).payload("xyz").build();
        DeltaMap map = new DeltaMap();
        map.edit(4, 4, 1); // original offsets 4..7 were replaced; this segment starts at offset 6
        assertEquals(SegmentRewriter.SPLIT_EDIT, rewriter.rewrite(decode(inside, in), none, map, 1000, null, 0));

        checkingDecoder.decode(ByteBuffer.wrap(data), 0, data.length - 2, data.length, LinkType.ETHERNET, in);
        assertEquals(SegmentRewriter.SNAPPED, rewriter.rewrite(in, none, new DeltaMap(), 1000, null, 0));
    }
}
