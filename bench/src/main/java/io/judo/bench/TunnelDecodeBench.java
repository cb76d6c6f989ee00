package io.judo.bench;

import io.judo.packet.build.Encapsulation;
import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.DecodeCounters;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.flow.FlowKey;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding through tunnels against decoding the same packets bare: the generator's untagged IPv4 frames (65,536 of
 * them, in cache), as they are ({@code NONE}) or inside one tunnel ({@code GRE}, {@code VXLAN}) or two
 * ({@code GRE_IN_GRE}); one packet per operation, decoded, counted and keyed (the tunnel id goes into the flow key).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
public class TunnelDecodeBench {
    static final int FRAMES = 65_536;

    @Param({"NONE", "GRE", "VXLAN", "GRE_IN_GRE"})
    String encapsulation;

    private ByteBuffer frames;
    private int[] offsets;
    private int[] lengths;
    private int count;
    private int next;
    private final PacketDecoder decoder = new PacketDecoder(false);
    private final PacketView view = new PacketView();
    private final DecodeCounters counters = new DecodeCounters();
    private final FlowKey key = new FlowKey();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path file = Files.createTempFile("judo-bench", ".pcap");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            new TrafficGenerator(1).write(out, 4 * FRAMES, Long.MAX_VALUE);
        }
        List<byte[]> kept = new ArrayList<>();
        PacketRecord record = new PacketRecord();
        try (CaptureReader r = Captures.open(file)) {
            while (kept.size() < FRAMES && r.next(record) == ReadStatus.RECORD) {
                byte[] f = new byte[record.capturedLength()];
                record.buffer().get(record.offset(), f);
                if (f.length > 34 && f[12] == 0x08 && f[13] == 0x00) {
                    kept.add(encapsulation.equals("NONE") ? f : Encapsulation.valueOf(encapsulation).wrap(f, true));
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
        count = kept.size();
        frames = ByteBuffer.allocateDirect(kept.stream().mapToInt(f -> f.length).sum());
        offsets = new int[count];
        lengths = new int[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = frames.position();
            lengths[i] = kept.get(i).length;
            frames.put(kept.get(i));
        }
    }

    @Benchmark
    public boolean decode() {
        int i = next;
        next = i + 1 == count ? 0 : i + 1;
        decoder.decode(frames, offsets[i], lengths[i], lengths[i], LinkType.ETHERNET, view);
        counters.count(view);
        return key.set(view);
    }
}
