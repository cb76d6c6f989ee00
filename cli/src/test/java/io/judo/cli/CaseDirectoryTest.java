package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule case directories, end to end through {@code judo scan}: each of src/test/resources/cases/NAME holds a capture
 * built by {@link CaseCaptures}, a rule file (case.rules or case.judo) and expected.txt with the hand-checked result:
 * {@code sid N COUNT [blocked]} lines (EVE alerts per signature id) or, for a judo policy, {@code passed N},
 * {@code blocked N}, {@code rejected N}, {@code tag NAME N}, {@code queue NAME N}, {@code replace N}.
 * Regenerate a capture after changing its builder with -Djudo.golden.update=true.
 */
class CaseDirectoryTest {
    private static final Path CASES = Path.of("src/test/resources/cases");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(CASES)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void caseGivesItsExpectedResult(String name, @TempDir Path tmp) throws Exception {
        Path dir = CASES.resolve(name);
        Path capture = dir.resolve("capture.pcap");
        byte[] built = CaseCaptures.pcap(name);
        if (Boolean.getBoolean("judo.golden.update")) {
            Files.write(capture, built);
        }
        assertArrayEquals(built, Files.readAllBytes(capture), "capture.pcap differs from CaseCaptures." + name);
        boolean judo = Files.exists(dir.resolve("case.judo"));
        Path rules = dir.resolve(judo ? "case.judo" : "case.rules");
        Path eve = tmp.resolve("eve.json");
        Run r = Run.judo("scan", "--rules", rules.toString(), "--eve", eve.toString(), capture.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, String> expected = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("expected.txt"))) {
            if (!line.isBlank()) {
                int space = line.lastIndexOf(' ');
                String value = line.substring(space + 1);
                String key = line.substring(0, space);
                if (value.equals("blocked")) {
                    int s2 = key.lastIndexOf(' ');
                    expected.put(key.substring(0, s2), key.substring(s2 + 1) + " blocked");
                } else {
                    expected.put(key, value);
                }
            }
        }
        Map<String, String> actual = judo ? policyResult(r.out()) : alertsBySid(Files.readAllLines(eve));
        if (judo) {
            actual.keySet().retainAll(expected.keySet());
        }
        assertEquals(expected, actual, name + "\n" + r.out());
    }

    /** "sid N" to "COUNT" or "COUNT blocked", from EVE lines. */
    private static Map<String, String> alertsBySid(List<String> eve) {
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Boolean> blocked = new TreeMap<>();
        java.util.regex.Pattern sid = java.util.regex.Pattern.compile("\"signature_id\":(\\d+)");
        for (String line : eve) {
            Matcher m = sid.matcher(line);
            if (m.find()) {
                String key = "sid " + m.group(1);
                counts.merge(key, 1, Integer::sum);
                blocked.put(key, line.contains("\"action\":\"blocked\""));
            }
        }
        Map<String, String> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v + (blocked.get(k) ? " blocked" : "")));
        return out;
    }

    /** passed/blocked/rejected, tag NAME, queue NAME and replace counts from the scan summary. */
    private static Map<String, String> policyResult(String out) {
        Map<String, String> r = new TreeMap<>();
        Matcher m = java.util.regex.Pattern.compile("rules; ([\\d,]+) passed, ([\\d,]+) blocked, ([\\d,]+) rejected")
                .matcher(out);
        if (m.find()) {
            r.put("passed", m.group(1).replace(",", ""));
            r.put("blocked", m.group(2).replace(",", ""));
            r.put("rejected", m.group(3).replace(",", ""));
        }
        Matcher tags = java.util.regex.Pattern.compile("packets tagged (.*)").matcher(out);
        if (tags.find()) {
            for (String part : tags.group(1).split(", ")) {
                String[] kv = part.trim().split(" ");
                r.put("tag " + kv[0], kv[1].replace(",", ""));
            }
        }
        Matcher queues = java.util.regex.Pattern.compile("queues    (.*)").matcher(out);
        if (queues.find()) {
            for (String part : queues.group(1).split(", ")) {
                String[] kv = part.trim().split(" ");
                r.put("queue " + kv[0], kv[1].replace(",", ""));
            }
        }
        Matcher replace = java.util.regex.Pattern.compile("rewrites  ([\\d,]+) replace").matcher(out);
        r.put("replace", replace.find() ? replace.group(1).replace(",", "") : "0");
        return r;
    }
}
