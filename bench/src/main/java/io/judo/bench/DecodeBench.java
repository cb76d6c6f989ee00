package io.judo.bench;

import io.judo.engine.CaptureScanner;
import io.judo.engine.ScanProgress;
import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.DecodeCounters;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode throughput over 1M packets of the generator's mix (TCP conversations over IPv4/IPv6 with some VLAN tags,
 * DNS-like UDP, ICMP, fragments), one packet per operation.
 *
 * <ul>
 *   <li>{@code decode}: frames already in memory (one direct buffer), decoder only.</li>
 *   <li>{@code readDecodeCount}: the scan loop of {@code judo scan} over the pcap file (page cache): reader,
 *       decoder, counters, flow keys.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class DecodeBench {
    static final int PACKETS = 1_000_000;

    @Param({"true", "false"})
    boolean checksums;

    /** Frames cycled through by {@code decode}: 65536 stays in cache, 1000000 (450 MB) streams from memory. */
    @Param({"65536", "1000000"})
    int workingSet;
    private int next;

    private ByteBuffer frames;
    private int[] offsets;
    private int[] lengths;
    private PacketDecoder decoder;
    private final PacketView view = new PacketView();
    private final DecodeCounters counters = new DecodeCounters();
    private Path file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile("judo-bench", ".pcap");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            new TrafficGenerator(1).write(out, PACKETS, Long.MAX_VALUE);
        }
        long size = Files.size(file);
        frames = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, size));
        offsets = new int[PACKETS];
        lengths = new int[PACKETS];
        PacketRecord record = new PacketRecord();
        try (CaptureReader r = Captures.open(file)) {
            for (int i = 0; i < PACKETS && r.next(record) == ReadStatus.RECORD; i++) {
                offsets[i] = frames.position();
                lengths[i] = record.capturedLength();
                ByteBuffer src = record.buffer().duplicate();
                src.limit(record.offset() + record.capturedLength()).position(record.offset());
                frames.put(src);
            }
        }
        decoder = new PacketDecoder(checksums);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    /** One packet per operation: decode and count, as the scan loop does. */
    @Benchmark
    public int decode() {
        int i = next;
        next = i + 1 == workingSet ? 0 : i + 1;
        decoder.decode(frames, offsets[i], lengths[i], lengths[i], 1, view);
        counters.count(view);
        return view.protocols();
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public long readDecodeCount() {
        CaptureScanner scanner = new CaptureScanner(checksums);
        scanner.scan("bench", () -> Captures.open(file), ScanProgress.NONE);
        return scanner.flows();
    }
}
