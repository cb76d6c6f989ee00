package io.judo.bench;

import io.judo.engine.Decision;
import io.judo.engine.Partition;
import io.judo.engine.Programs;
import io.judo.matcher.Engine;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.Variables;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End to end through one {@link Partition}, as one {@code judo scan} worker runs it: every shared Ethernet capture
 * (the captures {@code shared/bench/real-mix.sh} concatenates 55 times) decoded, defragmented, tracked, reassembled
 * and inspected, with the 441 ET Open rules of {@code shared/bench/et441.sids} ({@code rules=et441}), all of ET Open
 * ({@code all}) or none. One operation is one pass over every packet through the same partition, as the 55 copies of
 * real-mix go through one worker (the captures' clocks start again with each pass, and their flows go on), so after
 * warm-up {@code -prof gc}'s bytes per operation divided by the packet count (printed at set-up) is what a packet
 * allocates in the steady state, without the partition's one-time buffers.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar ScanBench -prof gc}; {@code -Djudo.shared.dir=DIR} when the
 * shared data is not at {@code ../shared}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xss4m", "-XX:MetaspaceSize=256m"})
public class ScanBench {
    @Param({"et441", "none"})
    String rules;

    @Param({"HYPERSCAN", "DFA"})
    Engine matcher;

    /**
     * Every packet in one direct buffer, at {@code meta}'s offsets, as a capture reader hands them over from its read
     * buffer (no buffer per packet, which would cost Hyperscan a new native pointer each).
     */
    private ByteBuffer all;
    private final List<byte[]> frames = new ArrayList<>();
    private final List<long[]> meta = new ArrayList<>(); // timestamp, link type, original length, offset
    private Programs programs;
    private Partition partition;
    private final PacketDecoder decoder = new PacketDecoder(false);
    private final PacketView view = new PacketView();
    private long alerts;

    private static final java.util.regex.Pattern SID = java.util.regex.Pattern.compile("\\bsid:\\s*(\\d+)");

    /** Packets in one pass. */
    int packets;

    static Path sharedDir() {
        Path p = Path.of(System.getProperty("judo.shared.dir", "../shared"));
        return Files.isDirectory(p) ? p : Path.of("..", "shared");
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path data = sharedDir().resolve("data");
        try (Stream<Path> s = Files.list(data.resolve("pcaps"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".pcap") && !f.toString().contains("nflog"))
                    .sorted().toList()) {
                read(p);
            }
        }
        packets = frames.size();
        all = ByteBuffer.allocateDirect(frames.stream().mapToInt(f -> f.length).sum());
        for (int i = 0; i < packets; i++) {
            meta.get(i)[3] = all.position();
            all.put(frames.get(i));
        }
        all.clear();
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false);
        if (!rules.equals("none")) {
            Set<String> sids = rules.equals("all") ? null
                    : new HashSet<>(List.of(Files.readString(sharedDir().resolve("bench").resolve("et441.sids"))
                            .trim().split("\\s+")));
            try (Stream<Path> s = Files.list(data.resolve("rules").resolve("et-open"))) {
                for (Path f : s.filter(p -> p.toString().endsWith(".rules")).sorted().toList()) {
                    if (sids == null) {
                        loader.load(f);
                        continue;
                    }
                    StringBuilder chosen = new StringBuilder();
                    for (String line : Files.readAllLines(f)) {
                        java.util.regex.Matcher m = SID.matcher(line);
                        if (line.startsWith("alert") && m.find() && sids.remove(m.group(1))) {
                            chosen.append(line).append('\n');
                        }
                    }
                    loader.load(chosen.toString(), f.getFileName().toString());
                }
            }
        }
        programs = Programs.compile(rules.equals("none") ? null : RuleSetCompiler.compile(loader.rules()), null,
                matcher, StreamConfig.defaults(), false, true);
        partition = programs.partition(a -> alerts++, l -> { });
        System.out.printf("%n%d packets a pass, %d rules%n", packets, loader.rules().size());
    }

    private void read(Path capture) throws IOException {
        try (CaptureReader reader = Captures.open(capture)) {
            PacketRecord r = new PacketRecord();
            while (reader.next(r) == ReadStatus.RECORD) {
                frames.add(r.toBytes());
                meta.add(new long[] {r.timestampNanos(), r.linkType(), r.originalLength(), 0});
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        partition.finish();
        partition.close();
        programs.close();
    }

    /** One pass over every packet; returns the alerts and verdicts (kept live). */
    @Benchmark
    public long pass() {
        long sum = 0;
        for (int i = 0; i < packets; i++) {
            long[] m = meta.get(i);
            int length = frames.get(i).length;
            Decision d = partition.packet(decoder.decode(all, (int) m[3], length, (int) m[2], (int) m[1], view), m[0]);
            sum += d.verdict();
        }
        return sum + alerts;
    }
}
