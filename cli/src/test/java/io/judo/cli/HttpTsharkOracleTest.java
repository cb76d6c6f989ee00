package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.HttpTrafficGenerator;
import io.judo.packet.testing.SharedData;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code judo http} against tshark on every shared capture with HTTP and on generated traffic: per connection the
 * same transactions in the same order, each with the same method, URI, host, user agent, status, response content
 * type and decoded (dechunked, decompressed) request and response bodies. The exceptions, where tshark is the one
 * that is wrong, are listed in {@link #TSHARK_WRONG} with the reason for each.
 */
class HttpTsharkOracleTest {
    /** Bodies are compared whole: keep more than any capture here carries. */
    private static final String BODY_LIMIT = "64M";

    private static final String GAP_SKIP = "zeek_http_content-range-gap-skip.pcap: "
            + "192.168.1.105 49219 198.189.255.75 80 tx 0 ";

    /**
     * The response's third segment was not captured (tshark: "previous segment not captured", frame 8). tshark's
     * reassembly of the response waits for it to the end and never dissects the response; with desegmentation off
     * ({@code -o tcp.desegment_tcp_streams:FALSE}) it reads the same 206 and multipart/byteranges as judo, which skips
     * the lost bytes (STREAM_GAP) and keeps the body's other 55,121 bytes, as libhtp does.
     */
    private static final String GAP_SKIP_WHY = "tshark waits for a lost segment and never shows the response";

    /**
     * Differences where tshark 4.0 is wrong, as "capture: connection tx N field" prefixes with why; a difference
     * not listed fails the test.
     */
    private static final Map<String, String> TSHARK_WRONG = Map.of(
            GAP_SKIP + "status", GAP_SKIP_WHY, GAP_SKIP + "content type", GAP_SKIP_WHY,
            GAP_SKIP + "response body", GAP_SKIP_WHY);

    @TempDir
    Path dir;

    static Stream<Path> sharedHttpCaptures() throws Exception {
        return SharedData.captures().stream().filter(p -> p.equals(SharedData.ABSENT)
                || p.getFileName().toString().startsWith("zeek_http_")
                || p.getFileName().toString().equals("zeek_nflog-http.pcap"));
    }

    /** tshark's Host header as EVE's hostname: lower case, without a port. */
    static String hostname(String host) {
        if (host == null) {
            return null;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close > 0 ? h.substring(1, close) : h;
        }
        int colon = h.lastIndexOf(':');
        return colon >= 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
    }

    /** Every difference between tshark's and judo's reading of {@code capture}, one line each. */
    static List<String> differences(Path capture) throws Exception {
        return differences(capture, JudoHttp.run(capture.toString(), "--body-limit", BODY_LIMIT));
    }

    static List<String> differences(Path capture, JudoHttp.Result actual) throws Exception {
        Map<String, List<TsharkHttp.Tx>> expected = TsharkHttp.transactions(capture);
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, List<TsharkHttp.Tx>> e : expected.entrySet()) {
            List<Map<String, Object>> judo = actual.transactions().getOrDefault(e.getKey(), List.of());
            List<TsharkHttp.Tx> tshark = e.getValue();
            if (judo.size() != tshark.size()) {
                diffs.add(e.getKey() + " transactions: tshark " + tshark.size() + ", judo " + judo.size());
            }
            for (int i = 0; i < Math.min(judo.size(), tshark.size()); i++) {
                TsharkHttp.Tx t = tshark.get(i);
                Map<String, Object> j = JudoHttp.http(judo.get(i));
                String at = e.getKey() + " tx " + i + " ";
                compare(diffs, at + "method", t.method(), j.get("http_method"));
                compare(diffs, at + "url", t.uri(), j.get("url"));
                compare(diffs, at + "hostname", hostname(t.host()), j.get("hostname"));
                compare(diffs, at + "user agent", t.userAgent(), j.get("http_user_agent"));
                compare(diffs, at + "status", t.status() < 0 ? null : (long) t.status(), j.get("status"));
                compare(diffs, at + "content type", io.judo.engine.detect.HttpFields.mediaType(t.responseContentType()),
                        j.get("http_content_type"));
                body(diffs, at + "request body", t.requestBody(), JudoHttp.body(judo.get(i), "request_body"));
                body(diffs, at + "response body", t.responseBody(), JudoHttp.body(judo.get(i), "response_body"));
            }
        }
        for (String connection : actual.transactions().keySet()) {
            if (!expected.containsKey(connection)) {
                diffs.add(connection + " transactions: tshark 0, judo "
                        + actual.transactions().get(connection).size());
            }
        }
        String name = capture.getFileName().toString();
        diffs.removeIf(d -> TSHARK_WRONG.keySet().stream().anyMatch(k -> (name + ": " + d).startsWith(k)));
        return diffs;
    }

    private static void compare(List<String> diffs, String what, Object tshark, Object judo) {
        if (!Objects.equals(tshark, judo)) {
            diffs.add(what + ": tshark " + show(tshark) + ", judo " + show(judo));
        }
    }

    private static String show(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    private static void body(List<String> diffs, String what, byte[] tshark, byte[] judo) {
        if (!Arrays.equals(tshark, judo)) {
            int at = Arrays.mismatch(tshark, judo);
            diffs.add(what + ": tshark " + tshark.length + " bytes, judo " + judo.length + " bytes, first difference at "
                    + at + " (tshark '" + excerpt(tshark, at) + "', judo '" + excerpt(judo, at) + "')");
        }
    }

    private static String excerpt(byte[] b, int at) {
        int from = Math.max(0, Math.min(at, b.length));
        String s = new String(b, from, Math.min(24, b.length - from), StandardCharsets.ISO_8859_1);
        return s.replaceAll("[^\\x20-\\x7e]", ".");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedHttpCaptures")
    void sharedCapturesReadAsTsharkReadsThem(Path capture) throws Exception {
        SharedData.present(capture);
        List<String> diffs = differences(capture);
        assertEquals(List.of(), diffs, capture + ": " + diffs.size() + " differences");
    }

    @Test
    void generatedTrafficReadsAsTsharkReadsIt() throws Exception {
        for (long seed = 1; seed <= 2; seed++) {
            Path capture = dir.resolve("http-" + seed + ".pcap");
            HttpTrafficGenerator g = new HttpTrafficGenerator(seed);
            try (OutputStream out = Files.newOutputStream(capture)) {
                g.write(out, 12_000, Long.MAX_VALUE);
            }
            assertTrue(g.transactions() > 150, "transactions: " + g.transactions());
            JudoHttp.Result judo = JudoHttp.run(capture.toString(), "--body-limit", BODY_LIMIT);
            assertEquals(g.transactions(), judo.all().size(), "judo's transactions, seed " + seed);
            assertEquals(List.of(), judo.events(), "app-layer events on well-formed traffic, seed " + seed);
            List<String> diffs = differences(capture, judo);
            assertEquals(List.of(), diffs.subList(0, Math.min(diffs.size(), 40)),
                    "seed " + seed + ": " + diffs.size() + " differences");
        }
    }
}
