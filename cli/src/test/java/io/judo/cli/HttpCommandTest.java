package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code judo http} and {@code judo generate --http} as a user meets them: output forms, bad input, options. */
class HttpCommandTest {
    @TempDir
    Path dir;

    /** Generates an HTTP capture; returns its transaction count as generate reports it. */
    private long generate(Path out, long packets, long seed) {
        Run g = Run.judo("generate", "--http", "--out", out.toString(), "--packets", String.valueOf(packets),
                "--seed", String.valueOf(seed));
        assertEquals(0, g.status(), g.err());
        Matcher m = Pattern.compile("\\(([\\d,]+) HTTP transactions\\)").matcher(g.err());
        assertTrue(m.find(), g.err());
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void tableListsEveryTransactionAndTheSummary() throws Exception {
        Path capture = dir.resolve("web.pcap");
        long transactions = generate(capture, 3000, 5);
        Run r = Run.judo("http", capture.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("CONNECTION") && lines.get(0).contains("RESP-BODY"), lines.get(0));
        long rows = lines.stream().filter(l -> l.matches("^\\S+ > \\S+\\s+\\d+ .*")).count();
        assertEquals(transactions, rows, r.out());
        assertTrue(r.out().contains(String.format("%,d HTTP transactions in ", transactions)), r.out());
        assertFalse(r.out().contains("app-layer events"), "well-formed traffic raises no events:\n" + r.out());
    }

    @Test
    void jsonLinesCarrySuricatasFieldNames() throws Exception {
        Path capture = dir.resolve("web.pcap");
        long transactions = generate(capture, 2000, 6);
        JudoHttp.Result r = JudoHttp.run(capture.toString());
        assertEquals(transactions, r.all().size());
        for (Map<String, Object> record : r.all()) {
            assertEquals("http", record.get("event_type"));
            assertEquals("TCP", record.get("proto"));
            for (String key : List.of("timestamp", "flow_id", "src_ip", "src_port", "dest_ip", "dest_port",
                    "tx_id")) {
                assertTrue(record.containsKey(key), key + " in " + record);
            }
            Map<String, Object> http = JudoHttp.http(record);
            for (String key : List.of("hostname", "url", "http_user_agent", "http_method", "protocol", "length")) {
                assertTrue(http.containsKey(key), key + " in " + http);
            }
            assertTrue(((String) record.get("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+0000"),
                    record.toString());
            // the decoded body is kept whole here (all generated bodies are under the 100K default limit)
            assertEquals(((Long) http.get("length")).intValue(), JudoHttp.body(record, "response_body").length);
        }
        // without --bodies there are none
        Run plain = Run.judo("http", "--json", capture.toString());
        assertFalse(plain.out().contains("response_body"));
    }

    @Test
    void bodyLimitKeepsThatMuchButCountsAll() throws Exception {
        Path capture = dir.resolve("web.pcap");
        generate(capture, 2000, 7);
        JudoHttp.Result r = JudoHttp.run(capture.toString(), "--body-limit", "1K");
        boolean cut = false;
        for (Map<String, Object> record : r.all()) {
            long length = (Long) JudoHttp.http(record).get("length");
            byte[] kept = JudoHttp.body(record, "response_body");
            assertEquals(Math.min(length, 1024), kept.length, record.toString());
            cut |= length > 1024;
        }
        assertTrue(cut, "some body is longer than the limit");
    }

    @Test
    void badInputIsALineNotATrace() throws Exception {
        Run missing = Run.judo("http", dir.resolve("none.pcap").toString());
        assertEquals(Judo.EXIT_BAD_INPUT, missing.status());
        assertTrue(missing.err().contains("none.pcap: no such file"), missing.err());
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "not a capture at all");
        Run notCapture = Run.judo("http", text.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, notCapture.status());
        assertTrue(notCapture.err().startsWith("judo: " + text + ": "), notCapture.err());
        Path capture = dir.resolve("web.pcap");
        generate(capture, 500, 8);
        byte[] whole = Files.readAllBytes(capture);
        Path cutShort = dir.resolve("cut.pcap");
        Files.write(cutShort, Arrays.copyOf(whole, whole.length / 2 + 7));
        Run truncated = Run.judo("http", cutShort.toString());
        assertEquals(0, truncated.status(), truncated.err());
        assertTrue(truncated.err().startsWith("judo: warning: " + cutShort + ": "), truncated.err());
        Run bodies = Run.judo("http", "--bodies", capture.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, bodies.status());
        assertTrue(bodies.err().contains("--bodies needs --json"), bodies.err());
        Run limit = Run.judo("http", "--body-limit", "lots", capture.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, limit.status());
        assertTrue(limit.err().contains("'lots'"), limit.err());
        for (Run r : List.of(missing, notCapture, truncated, bodies, limit)) {
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
        Run both = Run.judo("generate", "--http", "--demo", "--out", dir.resolve("x.pcap").toString());
        assertEquals(Judo.EXIT_BAD_INPUT, both.status());
        assertTrue(both.err().contains("--demo and --http"), both.err());
    }
}
