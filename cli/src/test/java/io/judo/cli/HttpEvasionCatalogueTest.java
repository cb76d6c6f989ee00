package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP evasion catalogue: each of src/test/resources/http-cases/NAME holds a case from RFC 9112 and HTTP-evasion
 * research, as raw stream bytes ({@code client.txt}, {@code server.txt}, the notation of {@link HttpCaseCaptures}),
 * {@code case.txt} (what it is, its source, how its segments are cut), the capture built from them ({@code
 * capture.pcap}, checked to be exactly what the builder makes; regenerate with -Djudo.golden.update=true) and
 * {@code expected.txt}, what {@code judo http --json --bodies} must show:
 * <ul>
 *   <li>{@code transactions N}: the number of transactions</li>
 *   <li>{@code tx I FIELD VALUE}: an EVE http field of transaction I (hostname, url, http_method, status, ...)</li>
 *   <li>{@code tx I request_body VALUE} or {@code response_body}: the decoded body, VALUE in the notation;
 *       {@code request_body~} and {@code response_body~}: the body contains VALUE</li>
 *   <li>{@code event NAME}: the app-layer event is raised</li>
 * </ul>
 * A case whose directory has {@code known-bug.txt} shows a parser bug that is reported but not fixed: its
 * expectation stays what it should be, and the test demands that it still fails, so the note cannot outlive the
 * fix.
 */
class HttpEvasionCatalogueTest {
    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(HttpCaseCaptures.CASES)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String text(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e]", ".") + (b.length > 200 ? "... (" + b.length + " bytes)" : "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseReadsAsExpected(String name) throws Exception {
        Path dir = HttpCaseCaptures.CASES.resolve(name);
        Path capture = dir.resolve("capture.pcap");
        byte[] built = HttpCaseCaptures.pcap(name);
        if (Boolean.getBoolean("judo.golden.update")) {
            Files.write(capture, built);
        }
        assertArrayEquals(built, Files.readAllBytes(capture), "capture.pcap differs from what " + name
                + "'s stream files build (-Djudo.golden.update=true rewrites it)");
        JudoHttp.Result r = JudoHttp.run(capture.toString());
        List<Map<String, Object>> txs = r.all();
        List<String> failures = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("expected.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ", 4);
            switch (f[0]) {
                case "transactions" -> {
                    if (txs.size() != Integer.parseInt(f[1])) {
                        failures.add(line + ": " + txs.size() + " transactions");
                    }
                }
                case "event" -> {
                    boolean raised = r.events().stream().anyMatch(e -> f[1].equals(
                            ((Map<?, ?>) e.get("anomaly")).get("event")));
                    if (!raised) {
                        failures.add(line + ": not raised");
                    }
                }
                case "tx" -> {
                    int i = Integer.parseInt(f[1]);
                    if (i >= txs.size()) {
                        failures.add(line + ": no transaction " + i);
                        continue;
                    }
                    String field = f[2];
                    String value = f.length > 3 ? f[3] : "";
                    if (field.startsWith("request_body") || field.startsWith("response_body")) {
                        boolean partial = field.endsWith("~");
                        byte[] want = HttpCaseCaptures.decode(value);
                        byte[] got = JudoHttp.body(txs.get(i), partial ? field.substring(0, field.length() - 1)
                                : field);
                        if (partial ? !contains(got, want) : !java.util.Arrays.equals(want, got)) {
                            failures.add(line + ": got '" + text(got) + "'");
                        }
                    } else {
                        Object got = JudoHttp.http(txs.get(i)).get(field);
                        if (!value.equals(String.valueOf(got))) {
                            failures.add(line + ": got " + got);
                        }
                    }
                }
                default -> throw new IllegalArgumentException(name + "/expected.txt: unknown line: " + line);
            }
        }
        assertEquals(0, r.run().status());
        Path knownBug = dir.resolve("known-bug.txt");
        if (Files.exists(knownBug)) {
            // A parser bug reported and not fixed yet: the case keeps its right expectation and must still fail;
            // once it passes, the note goes.
            assertFalse(failures.isEmpty(), name + " reads as expected now: delete its known-bug.txt ("
                    + Files.readString(knownBug).strip() + ")");
            return;
        }
        assertTrue(failures.isEmpty(), name + ":\n  " + String.join("\n  ", failures) + "\njudo http:\n"
                + r.run().out());
    }

    /** The marker the catalogue's bodies carry where an attacker would hide a payload. */
    private static final String MARKER = "EVIL-PAYLOAD-MARKER";

    /**
     * The same cases through {@code judo scan}: a rule looking for the marker in the decoded body of its side
     * ({@code file.data} to the client, {@code http.request_body} to the server) alerts once in each transaction
     * whose expected body holds it, however the body was chunked, compressed or cut into segments.
     */
    /** The cases without a known parser bug whose expected bodies hold the marker. */
    static Stream<String> markerCases() throws IOException {
        List<String> out = new ArrayList<>();
        for (String name : cases().toList()) {
            Path dir = HttpCaseCaptures.CASES.resolve(name);
            if (!Files.exists(dir.resolve("known-bug.txt"))
                    && Files.readString(dir.resolve("expected.txt")).contains(MARKER)) {
                out.add(name);
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("markerCases")
    void caseAlertsWhereTheBodyHoldsTheMarker(String name, @org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path dir = HttpCaseCaptures.CASES.resolve(name);
        long toClient = 0;
        long toServer = 0;
        for (String line : Files.readAllLines(dir.resolve("expected.txt"))) {
            String[] f = line.split(" ", 4);
            if (f.length == 4 && f[0].equals("tx") && f[2].startsWith("response_body")
                    && contains(HttpCaseCaptures.decode(f[3]), MARKER.getBytes(StandardCharsets.US_ASCII))) {
                toClient++;
            } else if (f.length == 4 && f[0].equals("tx") && f[2].startsWith("request_body")
                    && contains(HttpCaseCaptures.decode(f[3]), MARKER.getBytes(StandardCharsets.US_ASCII))) {
                toServer++;
            }
        }
        assertTrue(toClient + toServer > 0, name + ": the marker is in no body line of expected.txt");
        Path rules = Files.writeString(tmp.resolve("marker.rules"), String.join("\n",
                "alert http any any -> any any (msg:\"decoded response body\"; flow:to_client; file.data; "
                        + "content:\"" + MARKER + "\"; sid:1;)",
                "alert http any any -> any any (msg:\"decoded request body\"; flow:to_server; http.request_body; "
                        + "content:\"" + MARKER + "\"; sid:2;)") + "\n");
        Run scan = Run.judo("scan", "--rules", rules.toString(), "--json", dir.resolve("capture.pcap").toString());
        assertEquals(0, scan.status(), scan.err());
        String by = scan.out();
        assertEquals(toClient, count(by, "1:1:0"), name + ": response-body alerts\n" + by);
        if (toServer > 0) { // a case that does not state its request body (100 Continue's upload) is not counted
            assertEquals(toServer, count(by, "1:2:0"), name + ": request-body alerts\n" + by);
        }
    }

    /** The alert count of rule {@code id} in a scan's --json summary (0 when it did not alert). */
    private static long count(String json, String id) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\"id\":\"" + java.util.regex.Pattern.quote(id)
                + "\"[^}]*?\"alerts\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
