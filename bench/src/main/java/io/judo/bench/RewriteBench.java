package io.judo.bench;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.rewrite.DeltaMap;
import io.judo.rewrite.PayloadEdits;
import io.judo.rewrite.SegmentRewriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of rewriting one full-size TCP segment (IPv4, 1,448 payload bytes) in a flow that already has 1,000 edits
 * per direction: with a payload edit that grows the segment by 17 bytes (the edit is recorded once, then re-applied
 * as a retransmission would be), and with only the sequence and acknowledgement numbers moved (an RFC 1624 checksum
 * update instead of a pass over the payload). Run with {@code -prof gc} to see that a rewrite allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class RewriteBench {
    private static final long CLIENT_ISN = 1_000;
    private static final long SERVER_ISN = 7_000;
    private final SegmentRewriter rewriter = SegmentRewriter.forCapture();
    private final PayloadEdits edits = new PayloadEdits();
    private final PayloadEdits none = new PayloadEdits();
    private final PacketView view = new PacketView();
    private final DeltaMap client = new DeltaMap();
    private final DeltaMap server = new DeltaMap();
    private byte[] replacement;

    @Setup
    public void setUp() {
        for (int i = 0; i < 1_000; i++) { // earlier edits of both directions, before this segment
            client.edit(i * 100L, 14, 32);
            server.edit(i * 100L, 10, 4);
        }
        byte[] payload = new byte[1_448];
        Arrays.fill(payload, (byte) 'x');
        byte[] old = "Server: Apache".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(old, 0, payload, 700, old.length);
        replacement = "Server: Judo-rewrite-engine/1.0".getBytes(StandardCharsets.US_ASCII);
        long seq = CLIENT_ISN + 1 + 200_000;
        byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80).seq(seq)
                .ack(SERVER_ISN + 1 + 150_000).flags(PacketBuilder.TcpFlags.ACK).payload(payload).build();
        new PacketDecoder().decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.ETHERNET, view);
    }

    @Benchmark
    public int payloadEdit() {
        edits.clear().add(700, 14, replacement);
        return rewriter.rewrite(view, edits, client, CLIENT_ISN, server, SERVER_ISN);
    }

    @Benchmark
    public int sequenceOnly() {
        return rewriter.rewrite(view, none, client, CLIENT_ISN, server, SERVER_ISN);
    }
}
