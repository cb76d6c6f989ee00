package io.judo.bench;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.FlowTable;
import io.judo.reassembly.StreamConfig;
import io.judo.reassembly.StreamSink;
import io.judo.reassembly.TcpReassembler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Packets per second through decoding and TCP reassembly: 200 conversations of 1,460-byte segments (about 6,000
 * packets), in order or with 10% of data segments swapped with a neighbour. Decoding is included; see DecodeBench
 * for its share.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class ReassemblyBench {
    @Param({"0", "10"})
    int reorderPercent;

    private final List<ByteBuffer> packets = new ArrayList<>();
    private final PacketDecoder decoder = new PacketDecoder(false);
    private final PacketView view = new PacketView();
    private long delivered;
    private final StreamSink sink = new StreamSink() {
        @Override
        public void data(Flow flow, int direction, long offset, byte[] data, int from, int length) {
            delivered += length;
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        for (int i = 0; i < 200; i++) {
            byte[] body = new byte[20_000 + r.nextInt(20_000)];
            r.nextBytes(body);
            TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "10.0." + (i / 250) + "." + (i % 250 + 1),
                    30000 + i, "10.9.9.9", 80, r.nextInt(), r.nextInt());
            c.handshake().clientSends(new byte[300]).serverSends(body).close();
            List<byte[]> frames = new ArrayList<>();
            for (TcpConversation.Frame f : c.frames()) {
                frames.add(f.bytes());
            }
            for (int k = 3; k + 1 < frames.size(); k++) {
                if (r.nextInt(100) < reorderPercent) {
                    Collections.swap(frames, k, k + 1);
                }
            }
            for (byte[] f : frames) {
                ByteBuffer b = ByteBuffer.allocateDirect(f.length);
                b.put(f).flip();
                packets.add(b);
            }
        }
        System.out.println(packets.size() + " packets");
    }

    @Benchmark
    @OperationsPerInvocation(6000)
    public long reassemble() {
        TcpReassembler r = new TcpReassembler(FlowTable.defaults(), StreamConfig.defaults(), sink, f -> { }, false);
        int n = Math.min(6000, packets.size());
        for (int i = 0; i < n; i++) {
            ByteBuffer b = packets.get(i);
            r.packet(decoder.decode(b, 0, b.limit(), b.limit(), LinkType.ETHERNET, view), i);
        }
        r.finish();
        return delivered;
    }
}
