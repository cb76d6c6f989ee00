package io.judo.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.judo.matcher.hyperscan.HyperscanDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HyperscanCacheTest {
    @TempDir
    Path cache;

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".hsdb")).sorted().toList();
        }
    }

    @Test
    void secondCompileLoadsTheSerializedDatabase() throws Exception {
        assumeTrue(HyperscanDatabase.available() || "true".equals(System.getenv("CI")),
                "Hyperscan does not load here: " + HyperscanDatabase.unavailableReason());
        List<Pattern> patterns = List.of(new Pattern(1, "attack", Set.of()),
                new Pattern(2, "GET /[a-z]+\\.php", Set.of(PatternFlag.CASELESS)), new Pattern(3, "x{2}", Set.of(), 0, 9));
        byte[] input = "attack get /INDEX.PHP xxxx xx".getBytes(StandardCharsets.ISO_8859_1);
        List<Oracle.Hit> expected = Oracle.matches(patterns, input);
        try (HyperscanDatabase first = HyperscanDatabase.compile(patterns, cache)) {
            assertEquals(0, first.cacheHits());
            assertEquals(expected, Engines.block(first, input));
        }
        assertEquals(1, files(cache).size());
        try (HyperscanDatabase second = HyperscanDatabase.compile(patterns, cache)) {
            assertEquals(1, second.cacheHits());
            assertEquals(expected, Engines.block(second, input));
            assertEquals(expected, Engines.stream(second, input, 3, 10), "stream mode is cached too");
        }
        assertEquals(2, files(cache).size(), "block and stream databases");
        for (Path f : files(cache)) {
            Files.write(f, new byte[] {1, 2, 3});
        }
        try (HyperscanDatabase corrupt = HyperscanDatabase.compile(patterns, cache)) {
            assertEquals(0, corrupt.cacheHits(), "a file that does not load is ignored");
            assertEquals(expected, Engines.block(corrupt, input));
        }
        try (HyperscanDatabase other = HyperscanDatabase.compile(List.of(new Pattern(1, "attacks", Set.of())), cache)) {
            assertEquals(0, other.cacheHits(), "another pattern set has another key");
        }
    }
}
