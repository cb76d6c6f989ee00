package io.judo.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A request carries all a rewrite needs: its acknowledgement limit applies to the rewrite it is given to and to no
 * later one, and a reshaped payload (held bytes in front, a payload range) comes out as asked. The client's stream
 * (ISN 1000) has "a" at offset 5 replaced by "abc" (+2 from offset 6 on).
 */
class SegmentRequestTest {
    private final PacketDecoder decoder = new PacketDecoder(true);
    private final PacketView in = new PacketView();
    private final PacketView out = new PacketView();

    private PacketView decode(byte[] frame, int length, PacketView view) {
        return decoder.decode(ByteBuffer.wrap(frame), 0, length, length, LinkType.ETHERNET, view);
    }

    private PacketView written(SegmentRewriter rewriter, int length) {
        decode(Arrays.copyOf(rewriter.output(), length), length, out);
        assertFalse(out.malformed(), "checksums verify after the rewrite");
        return out;
    }

    @Test
    void theAckLimitBelongsToItsRequestOnly() {
        DeltaMap client = new DeltaMap();
        client.edit(5, 1, 3);
        byte[] ack = PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000).seq(5001).ack(1016)
                .flags(PacketBuilder.TcpFlags.ACK).build();
        decode(ack, ack.length, in);
        SegmentRewriter rewriter = SegmentRewriter.forCapture();
        SegmentRequest request = new SegmentRequest().own(new DeltaMap(), 5000).other(client, 1000);
        // client bytes from offset 9 (sequence 1010) are held back: the ack is lowered to 1010, then moved forward
        // past the edit (+2) to 1012
        request.limitAcks(1010);
        assertEquals(1012, written(rewriter, rewriter.rewrite(in, request)).ack());
        // the same ack in a fresh request: 1016 moves forward to 1018, no limit left over from the last call
        request.clear().own(new DeltaMap(), 5000).other(client, 1000);
        assertEquals(1018, written(rewriter, rewriter.rewrite(in, request)).ack());
    }

    @Test
    void heldBytesGoOutInFrontOfAPayloadRange() {
        byte[] data = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).seq(1003)
                .flags(PacketBuilder.TcpFlags.ACK | PacketBuilder.TcpFlags.FIN).payload("cdefgh").build();
        decode(data, data.length, in);
        SegmentRewriter rewriter = SegmentRewriter.inline();
        byte[] held = "xab".getBytes(StandardCharsets.US_ASCII);
        // "ab" (offsets 0, 1) held from the last segment, then only "cdef" of this one's payload: the segment starts
        // two bytes earlier and loses its FIN (its last bytes come again)
        SegmentRequest request = new SegmentRequest().prefix(held, 1, 2).payload(0, 4).own(new DeltaMap(), 1000);
        PacketView v = written(rewriter, rewriter.rewrite(in, request));
        assertEquals(1001, v.seq());
        assertEquals(6, v.payloadLength());
        byte[] payload = new byte[6];
        v.buffer().get(v.payloadOffset(), payload);
        assertEquals("abcdef", new String(payload, StandardCharsets.US_ASCII));
        assertEquals(0, v.tcpFlags() & PacketBuilder.TcpFlags.FIN);
    }
}
