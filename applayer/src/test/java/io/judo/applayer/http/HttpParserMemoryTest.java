package io.judo.applayer.http;

import static io.judo.applayer.http.Recorder.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.ProtocolDetection;
import io.judo.applayer.Slice;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Memory: what an idle parser costs, and that a connection in steady state allocates nothing per transaction
 * (transactions and their buffers are reused). Measured with the JVM's per-thread allocation counter, which
 * counts every byte this thread allocates; the figures are printed for docs/BENCHMARKS.md.
 */
class HttpParserMemoryTest {
    private static final HttpListener NONE = new HttpListener() {
        private final Slice s = new Slice();

        @Override public void requestHeaders(HttpTransaction tx) {
            tx.fill(HttpBuffer.URI, 0, s);
            tx.fill(HttpBuffer.HOST, 0, s);
            tx.fill(HttpBuffer.HEADER, 0, s);
        }
        @Override public void requestBody(HttpTransaction tx) { }
        @Override public void requestComplete(HttpTransaction tx) { }
        @Override public void responseHeaders(HttpTransaction tx) {
            tx.fill(HttpBuffer.STAT_CODE, 1, s);
        }
        @Override public void responseBody(HttpTransaction tx) {
            tx.fill(HttpBuffer.FILE_DATA, 1, s);
        }
        @Override public void responseComplete(HttpTransaction tx) { }
        @Override public void event(HttpTransaction tx, HttpEvent e) { }
    };

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void anIdleParserIsSmall() {
        HttpConfig cfg = HttpConfig.defaults();
        int n = 20_000;
        Object[] keep = new Object[n];
        for (int i = 0; i < n; i++) {
            keep[i] = new HttpParser(cfg, NONE); // warm-up: class loading and the counter itself
        }
        long before = allocated();
        for (int i = 0; i < n; i++) {
            keep[i] = new HttpParser(cfg, NONE);
        }
        long perParser = (allocated() - before) / n;
        before = allocated();
        for (int i = 0; i < n; i++) {
            keep[i] = new ProtocolDetection();
        }
        long perDetection = (allocated() - before) / n;
        System.out.printf("idle HttpParser: %d bytes; ProtocolDetection: %d bytes%n", perParser, perDetection);
        assertTrue(perParser <= 320, perParser + " bytes per idle parser");
        assertTrue(perDetection <= 160, perDetection + " bytes per detection");
        assertEquals(n, keep.length);
    }

    @Test
    void steadyStateAllocatesNothingPerTransaction() {
        HttpParser p = new HttpParser(HttpConfig.defaults(), NONE);
        byte[] req = bytes("GET /index.html?a=1 HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: bench/1\r\n"
            + "Accept: */*\r\n\r\n");
        byte[] resp = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\nhello world!");
        for (int i = 0; i < 20_000; i++) {
            p.data(0, req, 0, req.length);
            p.data(1, resp, 0, resp.length);
        }
        int n = 50_000;
        long before = allocated();
        for (int i = 0; i < n; i++) {
            p.data(0, req, 0, req.length);
            p.data(1, resp, 0, resp.length);
        }
        long total = allocated() - before;
        System.out.printf("steady state: %d bytes allocated over %d transactions; after them the parser keeps "
            + "%d bytes of buffers (0 after trim())%n", total, n, p.retainedBytes());
        assertEquals(0, total / n, total + " bytes over " + n + " transactions");
        p.trim();
        assertTrue(p.retainedBytes() < 200, "after trim: " + p.retainedBytes());
        assertEquals(70_000, p.transactions());
    }
}
