package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --workers N} on {@code judo filter}, {@code judo streams} and {@code judo grep --pcap}: one worker is the
 * oracle (its output is checked against tcpdump and tshark by FilterCommandTest, StreamsCommandTest and
 * GrepCommandTest); with 2 and 4 workers the same counts, a byte-identical written capture, the same stream files
 * and manifest, and the same grep lines in the same order within each stream, on generated traffic with fragments,
 * IPv6, VLANs and thousands of flows, with the shared real captures beside it.
 */
class ShardedCommandsTest {
    @TempDir
    static Path dir;
    static Path capture;
    static List<String> captures = new ArrayList<>();

    @BeforeAll
    static void traffic() throws IOException {
        capture = dir.resolve("mix.pcap");
        assertEquals(0, Run.judo("generate", "--out", capture.toString(), "--packets", "30000", "--seed", "23")
                .status());
        captures.add(capture.toString());
        // the real captures of a link type filter and reassembly take (NFLOG is refused by filter on purpose)
        for (Path p : io.judo.packet.testing.SharedData.captures()) {
            if (Files.exists(p) && !p.getFileName().toString().contains("nflog")) {
                captures.add(p.toString());
            }
        }
    }

    private static String[] args(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(new String[0]);
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 4})
    void filterCountsAndWritesAsOneWorker(int workers) throws IOException {
        for (String expr : List.of("tcp port 80", "ip[6:2] & 0x3fff != 0 or ip6", "udp and not port 53")) {
            Run one = Run.judo(args(List.of("filter", "--workers", "1", expr), captures));
            Run many = Run.judo(args(List.of("filter", "--workers", String.valueOf(workers), expr), captures));
            assertEquals(0, one.status(), one.err());
            assertEquals(one.out(), many.out(), expr);
            assertTrue(one.out().contains(" packets matched in "), one.out());
        }
        Path w1 = dir.resolve("one.pcap");
        Path wn = dir.resolve("many-" + workers + ".pcap");
        Run one = Run.judo("filter", "--workers", "1", "-w", w1.toString(), "tcp or udp", capture.toString());
        Run many = Run.judo("filter", "--workers", String.valueOf(workers), "-w", wn.toString(), "tcp or udp",
                capture.toString());
        assertEquals(0, one.status(), one.err());
        assertEquals(0, many.status(), many.err());
        assertTrue(Files.size(w1) > 1_000_000, "the written capture holds most of the traffic");
        assertArrayEquals(Files.readAllBytes(w1), Files.readAllBytes(wn), "written in the input's order");
    }

    /** Every file of a streams output directory, by name, as its bytes (the manifest among them). */
    private static Map<String, byte[]> streams(int workers) throws IOException {
        Path out = dir.resolve("streams-" + workers);
        Run r = Run.judo(args(List.of("streams", "--workers", String.valueOf(workers), "--out", out.toString()),
                captures));
        assertEquals(0, r.status(), r.err());
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(out)) {
            for (Path p : list.toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        files.put("(stdout)", r.out().replace(out.toString(), "OUT").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return files;
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 4})
    void streamsWritesTheSameFilesAsOneWorker(int workers) throws IOException {
        Map<String, byte[]> one = streams(1);
        Map<String, byte[]> many = streams(workers);
        assertTrue(one.size() > 1_000, "thousands of stream directions: " + one.size());
        assertEquals(one.keySet(), many.keySet());
        for (String name : one.keySet()) {
            assertArrayEquals(one.get(name), many.get(name), name);
        }
    }

    /** grep's lines grouped by stream (the name before the first tab), each stream's in their printed order. */
    private static Map<String, List<String>> byStream(String out) {
        Map<String, List<String>> streams = new LinkedHashMap<>();
        out.lines().forEach(l -> streams.computeIfAbsent(l.substring(0, l.indexOf('\t')), k -> new ArrayList<>())
                .add(l));
        return new TreeMap<>(streams);
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {2, 4})
    void grepFindsTheSameMatchesInEachStreamAsOneWorker(int workers) {
        List<String> head = List.of("grep", "--pcap", "--som", "-e", "GET /", "-e", "HTTP/1\\.[01] [0-9]+",
                "-e", "lorem ipsum");
        List<String> one = new ArrayList<>(head);
        one.addAll(List.of("--workers", "1"));
        List<String> many = new ArrayList<>(head);
        many.addAll(List.of("--workers", String.valueOf(workers)));
        Run a = Run.judo(args(one, captures));
        Run b = Run.judo(args(many, captures));
        assertEquals(0, a.status(), a.err());
        assertEquals(0, b.status(), b.err());
        Map<String, List<String>> expected = byStream(a.out());
        assertTrue(expected.size() > 500, "matches in many streams: " + expected.size());
        assertEquals(expected, byStream(b.out()));
        List<String> countOne = new ArrayList<>(one);
        countOne.add("--count");
        List<String> countMany = new ArrayList<>(many);
        countMany.add("--count");
        assertEquals(Run.judo(args(countOne, captures)).out(), Run.judo(args(countMany, captures)).out());
    }

    @Test
    void workersOnPlainFilesOrOutOfRangeAreClearErrors() {
        Run plain = Run.judo("grep", "--workers", "2", "-e", "x", capture.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, plain.status());
        assertTrue(plain.err().contains("--workers: with --pcap"), plain.err());
        for (String command : List.of("filter", "streams")) {
            Run r = command.equals("filter") ? Run.judo("filter", "--workers", "300", "tcp", capture.toString())
                    : Run.judo("streams", "--workers", "0", "--out", dir.resolve("x").toString(), capture.toString());
            assertEquals(Judo.EXIT_BAD_INPUT, r.status(), command);
            assertTrue(r.err().contains("--workers: between 1 and 256"), r.err());
        }
    }
}
