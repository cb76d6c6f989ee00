package io.judo.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random segments (IPv4 or IPv6, with or without TCP options, any sequence number) with random edits: the rewritten
 * frame decodes with every checksum verified, carries the model's payload, and, split to a random MTU, its pieces
 * decode clean, join to the same payload, and carry contiguous sequence numbers with FIN/PSH only on the last.
 */
class SegmentRewriterProperties {
    private final PacketDecoder checking = new PacketDecoder(true);

    @Property(tries = 300)
    void rewrittenAndSplitSegmentsAreSound(@ForAll long seed, @ForAll @IntRange(min = 576, max = 1500) int mtu) {
        Random random = new Random(seed);
        boolean v6 = random.nextBoolean();
        byte[] payload = new byte[random.nextInt(2_000)];
        random.nextBytes(payload);
        long seq = random.nextLong() & 0xffffffffL;
        long isn = (seq - 1 - random.nextInt(1_000_000)) & 0xffffffffL;
        PacketBuilder b = PacketBuilder.ethernet();
        b = v6 ? b.ipv6("2001:db8::1", "2001:db8::2") : b.ipv4("10.0.0.1", "10.0.0.2");
        b = b.tcp(40000, 80).seq(seq).ack(123).flags(PacketBuilder.TcpFlags.ACK | PacketBuilder.TcpFlags.PSH
                | PacketBuilder.TcpFlags.FIN);
        if (random.nextBoolean()) {
            b = b.timestamps(random.nextInt(), random.nextInt());
        }
        byte[] frame = b.payload(payload).build();
        PacketView in = checking.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.ETHERNET,
                new PacketView());

        PayloadEdits edits = new PayloadEdits();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int at = 0;
        boolean lastInserted = false;
        while (at < payload.length) {
            // an insertion and a following edit cannot share an offset (the caller merges them)
            int gap = Math.max(random.nextInt(300), lastInserted ? 1 : 0);
            if (at + gap >= payload.length) {
                break;
            }
            expected.write(payload, at, gap);
            at += gap;
            int old = Math.min(random.nextInt(20), payload.length - at);
            lastInserted = old == 0;
            byte[] replacement = new byte[random.nextInt(60)];
            random.nextBytes(replacement);
            edits.add(at, old, replacement);
            expected.writeBytes(replacement);
            at += old;
        }
        expected.write(payload, at, payload.length - at);

        SegmentRewriter rewriter = SegmentRewriter.forCapture();
        DeltaMap own = new DeltaMap();
        int length = rewriter.rewrite(in, edits, own, isn, null, 0);
        byte[] out = Arrays.copyOf(rewriter.output(), length);
        PacketView v = checking.decode(ByteBuffer.wrap(out), 0, length, length, LinkType.ETHERNET, new PacketView());
        assertFalse(v.malformed(), "problems " + Long.toHexString(v.problems()));
        assertEquals(seq, v.seq(), "edits inside the segment do not move its own start");
        assertArrayEquals(expected.toByteArray(), payloadOf(v));
        assertEquals(edits.delta(), own.delta());

        int pieces = rewriter.split(length, v, mtu);
        if (pieces == 1) {
            return;
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        long next = seq;
        for (int i = 0; i < pieces; i++) {
            PacketView p = checking.decode(ByteBuffer.wrap(rewriter.pieces()), rewriter.pieceOffset(i),
                    rewriter.pieceLength(i), rewriter.pieceLength(i), LinkType.ETHERNET, new PacketView());
            assertFalse(p.malformed(), "piece " + i + " problems " + Long.toHexString(p.problems()));
            assertEquals(next, p.seq());
            assertEquals(i == pieces - 1, (p.tcpFlags() & (PacketBuilder.TcpFlags.FIN | PacketBuilder.TcpFlags.PSH))
                    != 0);
            assertFalse(p.l3End() - p.l3Offset() > mtu, "piece " + i + " fits the MTU");
            byte[] bytes = payloadOf(p);
            joined.writeBytes(bytes);
            next = (next + bytes.length) & 0xffffffffL;
        }
        assertArrayEquals(expected.toByteArray(), joined.toByteArray());
    }

    private static byte[] payloadOf(PacketView v) {
        byte[] bytes = new byte[v.payloadLength()];
        v.buffer().get(v.payloadOffset(), bytes);
        return bytes;
    }
}
