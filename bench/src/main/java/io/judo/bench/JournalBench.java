package io.judo.bench;

import io.judo.journal.EventType;
import io.judo.journal.JournalEvent;
import io.judo.journal.JournalReader;
import io.judo.journal.JournalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Journal append rate: one alert record (addresses, ports, rule ids, a 64-byte excerpt) per operation, one thread,
 * into a fresh directory per trial. {@link #main} measures the rest of the figures: bytes on disk per event
 * and a filtered stats pass over N events ({@code java --add-exports ... -cp benchmarks.jar io.judo.bench.JournalBench
 * 10000000}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED"})
public class JournalBench {
    private Path dir;
    private JournalWriter writer;
    private final JournalEvent event = new JournalEvent();
    private long i;

    static void fill(JournalEvent e, long i) {
        e.clear();
        e.type = (i & 15) == 0 ? EventType.DROP : EventType.ALERT;
        e.timeNanos = 1_764_000_000_000_000_000L + i * 1_000L;
        e.flowId = i >>> 3;
        e.addresses(new byte[] {10, 0, (byte) (i >>> 8), (byte) i}, new byte[] {(byte) 192, (byte) 168, 1, (byte) i});
        e.srcPort = (int) (40000 + (i & 1023));
        e.dstPort = 80;
        e.protocol = 6;
        e.gid = 1;
        e.sid = 2_000_000 + (i % 97);
        e.rev = 3;
        e.excerptLength = 64;
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("journal-bench");
        writer = JournalWriter.open(dir, JournalWriter.Roll.DAILY, JournalWriter.Retention.KEEP_ALL);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        writer.close();
        delete(dir);
    }

    @Benchmark
    public long append() {
        fill(event, i++);
        writer.append(event);
        return i;
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Writes N events, then times a filtered stats pass (drops of one sid from one /16, counted per hour). A second
     * argument names a directory that keeps the journal (for timing {@code judo journal stats} on it).
     */
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        boolean keep = args.length > 1;
        Path dir = keep ? Files.createDirectories(Path.of(args[1])) : Files.createTempDirectory("journal-query");
        JournalEvent e = new JournalEvent();
        long t0 = System.nanoTime();
        try (JournalWriter w = JournalWriter.open(dir, JournalWriter.Roll.DAILY, JournalWriter.Retention.KEEP_ALL)) {
            for (long i = 0; i < n; i++) {
                fill(e, i);
                w.append(e);
            }
        }
        long t1 = System.nanoTime();
        // Blocks actually used (the cycle files are sparse): du's figure, not the apparent size.
        Process du = new ProcessBuilder("du", "-sk", dir.toString()).start();
        long usedBytes = Long.parseLong(new String(du.getInputStream().readAllBytes()).split("\\s+")[0]) * 1024L;
        long matched = 0;
        long[] perHour = new long[1 << 16];
        long t2 = System.nanoTime();
        try (JournalReader r = JournalReader.open(dir)) {
            while (r.next(e)) {
                if (e.type == EventType.DROP && e.sid == 2_000_016 && e.src[0] == 10 && e.src[1] == 0) {
                    matched++;
                    perHour[(int) ((e.timeNanos / 3_600_000_000_000L) & 0xffff)]++;
                }
            }
        }
        long t3 = System.nanoTime();
        System.out.printf("%,d events: written in %.2f s (%.2f M/s), %,d bytes on disk (%.1f per event), "
                + "filtered stats pass %.2f s (%,d matched)%n", n, (t1 - t0) / 1e9, n / ((t1 - t0) / 1e3),
                usedBytes, usedBytes / (double) n, (t3 - t2) / 1e9, matched);
        if (!keep) {
            delete(dir);
        }
    }
}
