package io.judo.bench;

import io.judo.matcher.Engine;
import io.judo.matcher.MatchSink;
import io.judo.matcher.Pattern;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.Scanner;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Block-mode scan throughput of both backends on a real literal set: the first 1,000 distinct content strings (4+
 * bytes) of the ET Open rules in ../shared/data/rules/et-open. Corpus: 16 MiB of random printable ASCII with one of
 * the patterns injected every 4 KiB; each operation scans the next buffer of {@code size} bytes (direct memory).
 * Bytes per second = ops/s x size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
public class MatcherBench {
    static final int CORPUS = 16 << 20;

    @Param({"dfa", "hyperscan"})
    String engine;

    @Param({"64", "1500", "65536"})
    int size;

    @Param({"1000"})
    int patterns;

    private PatternDatabase db;
    private Scanner scanner;
    private ByteBuffer corpus;
    private int position;
    private long matches;
    private final MatchSink sink = (id, start, end) -> matches++;

    static Path rulesDir() {
        String shared = System.getProperty("judo.shared.dir", "../shared");
        Path p = Path.of(shared, "data", "rules", "et-open");
        if (!Files.isDirectory(p)) {
            p = Path.of("..", "shared", "data", "rules", "et-open");
        }
        return p;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<byte[]> contents = RuleContents.load(rulesDir(), 4);
        List<Pattern> list = new ArrayList<>();
        for (int i = 0; i < patterns && i < contents.size(); i++) {
            list.add(Pattern.literal(i, contents.get(i), Set.of()));
        }
        db = Engine.named(engine).compile(list);
        scanner = db.scanner();
        byte[] data = corpus(contents, list.size());
        corpus = ByteBuffer.allocateDirect(CORPUS);
        corpus.put(data).flip();
    }

    /** Random printable ASCII with one of the first {@code patterns} contents every 4 KiB (seeded). */
    static byte[] corpus(List<byte[]> contents, int patterns) {
        SplittableRandom r = new SplittableRandom(3);
        byte[] data = new byte[CORPUS];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (0x20 + r.nextInt(95));
        }
        for (int at = 100; at < data.length - 300; at += 4096) {
            byte[] c = contents.get(r.nextInt(Math.min(patterns, contents.size())));
            System.arraycopy(c, 0, data, at, Math.min(c.length, 200));
        }
        return data;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println(db.describe() + "; matches counted: " + matches);
        scanner.close();
        db.close();
    }

    @Benchmark
    public long scan() {
        int at = position;
        position = at + size + size > CORPUS ? 0 : at + size;
        scanner.scan(corpus, at, size, sink);
        return matches;
    }
}
