package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.Variables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP rules over whole TCP conversations through the Suricata stage: the transaction buffers the parser hands out
 * (normalized and raw URI, host, method, status, decoded bodies), when each rule runs (once per transaction and
 * direction), and the alert's http object. Each case's expected alerts are worked out by hand from the bytes sent;
 * every case runs at several segment sizes (an HTTP message cut anywhere must read the same) and with both
 * prefilter back ends where the machine has them.
 */
class HttpDetectionTest {
    private static final String CLIENT = "192.168.1.10";
    private static final String SERVER = "203.0.113.80";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<byte[]> conversation(int mss, byte[] request, byte[] response) {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, CLIENT, 40000, SERVER, 80, 0xFFFF_FF00L,
                7_000_000L).mss(mss);
        c.handshake().clientSends(request).serverSends(response).close();
        List<byte[]> frames = new ArrayList<>();
        c.frames().forEach(f -> frames.add(f.bytes()));
        return frames;
    }

    private static List<Alert> alerts(String rules, List<byte[]> frames, Engine engine) {
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, true).load(rules, "http.rules");
        assertTrue(loader.errors().isEmpty(), () -> loader.errors().get(0).display());
        assertEquals(rules.lines().filter(l -> !l.isBlank()).count(), loader.rules().size(), "every rule loads");
        CompiledRuleSet set = RuleSetCompiler.compile(loader.rules());
        List<Alert> alerts = new ArrayList<>();
        try (Detector d = new Detector(set, engine, StreamConfig.defaults(), true, alerts::add)) {
            Replay.frames(frames, d::packet);
            d.finish();
        }
        return alerts;
    }

    private static Map<Long, Integer> bySid(List<Alert> alerts) {
        Map<Long, Integer> m = new TreeMap<>();
        alerts.forEach(a -> m.merge(a.rule().sid(), 1, Integer::sum));
        return m;
    }

    private static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(ascii(s));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 40, 1460})
    void requestBuffersAreNormalizedWhereSuricataNormalizesThem(int mss) {
        String rules = String.join("\n",
                "alert http any any -> any any (msg:\"normalized\"; flow:to_server; http.uri; "
                        + "content:\"/admin.php\"; sid:1;)",
                "alert http any any -> any any (msg:\"raw\"; flow:to_server; http.uri.raw; "
                        + "content:\"/admin.php\"; sid:2;)",
                "alert http any any -> any any (msg:\"host\"; http.host; content:\"www.example.com\"; "
                        + "bsize:15; sid:3;)",
                "alert http any any -> any any (msg:\"method\"; http.method; content:\"POST\"; sid:4;)",
                "alert tcp any any -> any any (msg:\"legacy\"; content:\"/admin\"; http_uri; "
                        + "content:\"Example\"; http_raw_host; sid:5;)");
        byte[] request = ascii("GET /a/../admin%2ephp HTTP/1.1\r\nHost: WWW.Example.com:8080\r\n\r\n");
        byte[] response = ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        Map<Long, Integer> got = bySid(alerts(rules, conversation(mss, request, response), Engine.DFA));
        assertEquals(Map.of(1L, 1, 3L, 1, 5L, 1), got);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"DFA", "HYPERSCAN"})
    void aChunkedGzipBodyIsInspectedDecodedAndOncePerTransaction(Engine engine) {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine != Engine.HYPERSCAN
                || io.judo.matcher.hyperscan.HyperscanDatabase.available(), "Hyperscan loads here");
        String rules = String.join("\n",
                "alert http any any -> any any (msg:\"decoded body\"; flow:to_client; file.data; "
                        + "content:\"secret token\"; sid:10;)",
                "alert tcp any any -> any any (msg:\"raw stream never sees it\"; flow:to_client; "
                        + "content:\"secret token\"; sid:11;)",
                "alert http any any -> any any (msg:\"status and uri\"; flow:to_client; http.stat_code; "
                        + "content:\"200\"; http.uri; content:\"/doc\"; sid:12;)",
                "alert http any any -> any any (msg:\"twice in one body, one alert\"; flow:to_client; "
                        + "file.data; content:\"line\"; sid:13;)");
        byte[] body = gzip("line one\nline two with the secret token\nline three\n");
        byte[] head = ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n");
        int half = body.length / 2;
        byte[] chunked = concat(ascii(Integer.toHexString(half) + ";ext=1\r\n"),
                java.util.Arrays.copyOfRange(body, 0, half), ascii("\r\n"),
                ascii(Integer.toHexString(body.length - half) + "\r\n"),
                java.util.Arrays.copyOfRange(body, half, body.length), ascii("\r\n0\r\n\r\n"));
        byte[] request = ascii("GET /doc HTTP/1.1\r\nHost: h\r\n\r\nGET /doc2 HTTP/1.1\r\nHost: h\r\n\r\n");
        byte[] responses = concat(head, chunked, head, chunked);
        for (int mss : new int[] {5, 100, 1460}) {
            List<Alert> got = alerts(rules, conversation(mss, request, responses), engine);
            assertEquals(Map.of(10L, 2, 12L, 2, 13L, 2), bySid(got), "mss " + mss);
            Alert first = got.stream().filter(a -> a.rule().sid() == 12).findFirst().orElseThrow();
            assertNotNull(first.http());
            assertEquals("h", first.http().hostname());
            assertEquals("/doc", first.http().url());
            assertEquals(200, first.http().status());
            assertEquals(SERVER, first.srcIp(), "a to_client inspection has the server as source");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 1460})
    void theRequestBodyAndAppLayerProtocol(int mss) {
        String rules = String.join("\n",
                "alert http any any -> any any (msg:\"posted\"; flow:to_server; http.method; content:\"POST\"; "
                        + "http.request_body; content:\"user=admin\"; sid:20;)",
                "alert tcp any any -> any any (msg:\"tcp on an http flow\"; flow:to_client; "
                        + "app-layer-protocol:http; content:\"HTTP/1.1 302\"; sid:21;)",
                "alert tcp any any -> any any (msg:\"not http\"; flow:to_client; app-layer-protocol:!http; "
                        + "content:\"HTTP/1.1 302\"; sid:22;)",
                "alert http any any -> any any (msg:\"location\"; http.location; content:\"/login\"; sid:23;)");
        byte[] request = ascii("POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 23\r\n\r\n"
                + "user=admin&pass=hunter2");
        byte[] response = ascii("HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n");
        List<Alert> got = alerts(rules, conversation(mss, request, response), Engine.DFA);
        assertEquals(Map.of(20L, 1, 21L, 1, 23L, 1), bySid(got));
        Alert stream = got.stream().filter(a -> a.rule().sid() == 21).findFirst().orElseThrow();
        assertNull(stream.http(), "a stream match carries no transaction");
        Alert location = got.stream().filter(a -> a.rule().sid() == 23).findFirst().orElseThrow();
        assertEquals("/login", location.http().redirect());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 1460})
    void anHttpRuleThatReadsNoHttpBufferAloneStillTestsTheFlowsProtocol(int mss) {
        // the only rule of its set: nothing else asks for the application layer, yet its http header must
        String rules = "alert http any any -> any any (msg:\"302 on http\"; flow:to_client; "
                + "content:\"HTTP/1.1 302\"; sid:24;)";
        byte[] response = ascii("HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n");
        byte[] http = ascii("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertEquals(Map.of(24L, 1), bySid(alerts(rules, conversation(mss, http, response), Engine.DFA)));
        // the same bytes on an SSH flow: the content is there, the protocol is not
        byte[] ssh = ascii("SSH-2.0-OpenSSH_9.2\r\n");
        byte[] banner = ascii("SSH-2.0-srv HTTP/1.1 302\r\n");
        assertEquals(Map.of(), bySid(alerts(rules, conversation(mss, ssh, banner), Engine.DFA)));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 1460})
    void anAppLayerEventOfTheTransactionIsTestable(int mss) {
        String rules = String.join("\n",
                "alert http any any -> any any (msg:\"no host\"; flow:to_server; "
                        + "app-layer-event:http.missing_host_header; sid:30;)",
                "alert http any any -> any any (msg:\"bad chunk\"; flow:to_client; "
                        + "app-layer-event:http.invalid_response_chunk_len; sid:31;)");
        byte[] request = ascii("GET /one HTTP/1.1\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\n\r\n");
        byte[] response = ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n");
        List<Alert> got = alerts(rules, conversation(mss, request, response), Engine.DFA);
        assertEquals(Map.of(30L, 1, 31L, 1), bySid(got));
        assertEquals("/one", got.stream().filter(a -> a.rule().sid() == 30).findFirst().orElseThrow().http().url(),
                "the event is the first transaction's, not the connection's");
        assertEquals("/two", got.stream().filter(a -> a.rule().sid() == 31).findFirst().orElseThrow().http().url());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 1460})
    void packetDataInAnHttpRuleIsLookedForInTheStreamWindow(int mss) {
        String rules = String.join("\n",
                "alert http any any -> any any (msg:\"raw and uri\"; flow:to_server; content:\"X-Secret: 1\"; "
                        + "http.uri; content:\"/a\"; sid:40;)",
                "alert http any any -> any any (msg:\"raw fast pattern\"; flow:to_server; content:\"X-Secret\"; "
                        + "http.method; content:\"GET\"; sid:41;)",
                "alert http any any -> any any (msg:\"raw absent\"; flow:to_server; content:\"X-Other\"; "
                        + "http.method; content:\"GET\"; sid:42;)");
        byte[] request = ascii("GET /a HTTP/1.1\r\nHost: h\r\nX-Secret: 1\r\n\r\n");
        byte[] response = ascii("HTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(Map.of(40L, 1, 41L, 1), bySid(alerts(rules, conversation(mss, request, response), Engine.DFA)));
    }

    /**
     * A request buffer's prefilter result is kept from the request's inspection for the response's (the buffer is
     * final then), per transaction: pipelined transactions whose URIs differ, answered alike, alert for the one URI
     * that has the fast pattern, and a rule reading the request body from the response side sees it.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"DFA", "HYPERSCAN"})
    void requestBuffersScannedAtTheRequestServeTheResponseOfTheSameTransactionOnly(Engine engine) {
        String rules = String.join("\n",
                "alert http any any -> any any (msg:\"uri then status\"; flow:to_client; http.uri; "
                        + "content:\"/download/payload.exe\"; http.stat_code; content:\"200\"; sid:50;)",
                "alert http any any -> any any (msg:\"ua then server\"; http.user_agent; content:\"EvilAgent/1.0\"; "
                        + "http.server; content:\"nginx\"; sid:51;)",
                "alert http any any -> any any (msg:\"request body then status\"; flow:to_client; "
                        + "http.request_body; content:\"secret-upload\"; http.stat_code; content:\"201\"; sid:52;)");
        // 80 pipelined transactions (more than the kept table's entries, so entries are taken over): every second one
        // fetches the payload, every third one has the agent
        StringBuilder request = new StringBuilder();
        StringBuilder response = new StringBuilder();
        int payloads = 0;
        int agents = 0;
        for (int i = 0; i < 80; i++) {
            boolean payload = i % 2 == 0;
            boolean agent = i % 3 == 0;
            payloads += payload ? 1 : 0;
            agents += agent ? 1 : 0;
            request.append("GET /download/").append(payload ? "payload" : "other").append(".exe HTTP/1.1\r\nHost: h\r\n")
                    .append("User-Agent: ").append(agent ? "EvilAgent/1.0" : "Good/2").append("\r\n\r\n");
            response.append("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 1\r\n\r\na");
        }
        request.append("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 13\r\n\r\nsecret-upload");
        response.append("HTTP/1.1 201 Created\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n");
        for (int mss : new int[] {5, 1460}) {
            List<Alert> got = alerts(rules, conversation(mss, ascii(request.toString()), ascii(response.toString())),
                    engine);
            assertEquals(Map.of(50L, payloads, 51L, agents, 52L, 1), bySid(got), "mss " + mss);
            assertTrue(got.stream().filter(a -> a.rule().sid() == 50)
                    .allMatch(a -> a.http().url().equals("/download/payload.exe")));
        }
    }

    /**
     * {@code file.data} and a side's body buffer are the same bytes and share one merged prefilter database per side:
     * rules with their fast pattern in either, on either side, still become candidates and alert once.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"DFA", "HYPERSCAN"})
    void fileDataAndTheBodyBuffersShareOneScanPerSide(Engine engine) {
        String rules = String.join("\n",
                "alert http any any -> any any (msg:\"file data out\"; flow:to_client; file.data; "
                        + "content:\"MZ-sample-header\"; sid:60;)",
                "alert http any any -> any any (msg:\"response body\"; flow:to_client; http.response_body; "
                        + "content:\"document.write(unescape\"; sid:61;)",
                "alert http any any -> any any (msg:\"file data in\"; flow:to_server; file.data; "
                        + "content:\"uploaded-secret\"; sid:62;)",
                "alert http any any -> any any (msg:\"request body\"; flow:to_server; http.request_body; "
                        + "content:\"password=hunter2\"; sid:63;)",
                "alert http any any -> any any (msg:\"absent\"; flow:to_client; http.response_body; "
                        + "content:\"never-in-any-body\"; sid:64;)");
        String up = "uploaded-secret&password=hunter2";
        String down = "<html>MZ-sample-header<script>document.write(unescape('%41'))</script></html>";
        byte[] request = ascii("POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: " + up.length() + "\r\n\r\n" + up);
        byte[] response = ascii("HTTP/1.1 200 OK\r\nContent-Length: " + down.length() + "\r\n\r\n" + down);
        for (int mss : new int[] {7, 1460}) {
            assertEquals(Map.of(60L, 1, 61L, 1, 62L, 1, 63L, 1),
                    bySid(alerts(rules, conversation(mss, request, response), engine)), "mss " + mss);
        }
    }
}
