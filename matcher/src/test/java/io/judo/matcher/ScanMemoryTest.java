package io.judo.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.judo.matcher.hyperscan.HyperscanDatabase;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A warm scanner allocates nothing per scan, block or stream, from a heap or a direct buffer, with or without
 * matches: the engine scans every packet and buffer through these calls. Measured with the JVM's per-thread
 * allocation counter; a block scan once allocated a confirm-stage window (64 bytes) even for a database without
 * confirm-stage patterns.
 */
class ScanMemoryTest {
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"HYPERSCAN", "DFA"})
    void warmScansAllocateNothing(Engine engine) {
        if (engine == Engine.HYPERSCAN) {
            assumeTrue(HyperscanDatabase.available() || "true".equals(System.getenv("CI")),
                    "Hyperscan does not load here: " + HyperscanDatabase.unavailableReason());
        }
        List<Pattern> patterns = new ArrayList<>();
        String[] words = {"hello", "world", "GET /", "Host:", "zzzqqq"};
        for (int i = 0; i < words.length; i++) {
            patterns.add(Pattern.literal(i, words[i].getBytes(StandardCharsets.ISO_8859_1),
                    EnumSet.noneOf(PatternFlag.class)));
        }
        byte[] text = new byte[1500];
        java.util.Arrays.fill(text, (byte) 'a');
        System.arraycopy("hello world".getBytes(StandardCharsets.ISO_8859_1), 0, text, 100, 11);
        ByteBuffer heap = ByteBuffer.wrap(text);
        ByteBuffer direct = Engines.direct(text);
        long[] hits = new long[1];
        MatchSink sink = (id, from, to) -> hits[0]++;
        int n = 20_000;
        try (PatternDatabase db = engine.compile(patterns); Scanner s = db.scanner()) {
            StreamState stream = s.openStream();
            long bytes = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up (JIT, scratch growth)
                hits[0] = 0;
                long before = allocated();
                for (int i = 0; i < n; i++) {
                    s.scan(heap, 0, text.length, sink);
                    s.scan(direct, 0, text.length, sink);
                    s.scan(stream, heap, 0, text.length, sink);
                    s.scan(stream, direct, 0, text.length, sink);
                }
                bytes = allocated() - before;
            }
            assertEquals(4L * 2 * n, hits[0], "two matches per scan");
            System.out.printf("%s steady state: %d bytes over %d scans%n", engine, bytes, 4 * n);
            assertTrue(bytes < 4096, engine + ": " + bytes + " bytes allocated over " + 4 * n + " scans");
        }
    }
}
