package io.judo.bench;

import io.judo.applayer.Slice;
import io.judo.applayer.http.HttpBuffer;
import io.judo.applayer.http.HttpConfig;
import io.judo.applayer.http.HttpEvent;
import io.judo.applayer.http.HttpListener;
import io.judo.applayer.http.HttpParser;
import io.judo.applayer.http.HttpTransaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The HTTP/1.x parser alone (issue 18's targets: 500,000 pipelined GET transactions/s per core with 0 bytes
 * allocated per transaction; MB/s of decompressed chunked gzip bodies). One connection per benchmark, kept across
 * invocations (steady state: transactions are reused); the listener fills the buffers detection reads first
 * (http.uri, http.host, http.header, http.stat_code, file.data), so their cost is included. Run with
 * {@code -prof gc} to see the allocation per transaction.
 * {@code java -jar bench/target/benchmarks.jar HttpParserBench -f 1 -wi 2 -i 3 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class HttpParserBench {
    /** Requests per invocation. */
    static final int BATCH = 100;
    /** Requests sent before their responses (browsers that pipeline keep this under about 10). */
    static final int DEPTH = 10;
    /** Decompressed bytes per gzip response. */
    static final int BODY = 1 << 20;

    private byte[] requests;
    private final int[] requestAt = new int[BATCH + 1];
    private final int[] responseAt = new int[BATCH + 1];
    private byte[] responses;
    private byte[] gzipRequest;
    private byte[] gzipResponse;
    private HttpParser pipelined;
    private HttpParser gzip;
    private long bodyBytes;

    private final HttpListener listener = new HttpListener() {
        private final Slice s = new Slice();

        @Override
        public void requestHeaders(HttpTransaction tx) {
            tx.fill(HttpBuffer.URI, 0, s);
            tx.fill(HttpBuffer.HOST, 0, s);
            tx.fill(HttpBuffer.HEADER, 0, s);
        }

        @Override
        public void requestBody(HttpTransaction tx) {
        }

        @Override
        public void requestComplete(HttpTransaction tx) {
        }

        @Override
        public void responseHeaders(HttpTransaction tx) {
            tx.fill(HttpBuffer.STAT_CODE, 1, s);
        }

        @Override
        public void responseBody(HttpTransaction tx) {
        }

        @Override
        public void responseComplete(HttpTransaction tx) {
            bodyBytes += tx.responseBodyLength();
            tx.fill(HttpBuffer.FILE_DATA, 1, s);
        }

        @Override
        public void event(HttpTransaction tx, HttpEvent e) {
        }
    };

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Random r = new Random(18);
        StringBuilder q = new StringBuilder();
        StringBuilder a = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            requestAt[i] = q.length();
            responseAt[i] = a.length();
            q.append("GET /static/").append(i).append("/app.js?v=").append(r.nextInt(1000))
                .append(" HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n")
                .append("Accept: */*\r\nAccept-Encoding: gzip, deflate\r\nReferer: http://www.example.com/\r\n")
                .append("Cookie: session=abcdef0123456789\r\n\r\n");
            a.append("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: application/javascript\r\n")
                .append("Content-Length: 20\r\n\r\nconsole.log('hi!');\n");
        }
        requestAt[BATCH] = q.length();
        responseAt[BATCH] = a.length();
        requests = q.toString().getBytes(StandardCharsets.ISO_8859_1);
        responses = a.toString().getBytes(StandardCharsets.ISO_8859_1);

        byte[] plain = new byte[BODY];
        for (int i = 0; i < BODY; i++) {
            plain[i] = (byte) ("<html><body>text " .charAt(i % 17) + (r.nextInt(8) == 0 ? 1 : 0));
        }
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(plain);
        }
        byte[] compressed = z.toByteArray();
        ByteArrayOutputStream resp = new ByteArrayOutputStream();
        resp.writeBytes(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < compressed.length; i += 8192) {
            int n = Math.min(8192, compressed.length - i);
            resp.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            resp.write(compressed, i, n);
            resp.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        resp.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        gzipResponse = resp.toByteArray();
        gzipRequest = "GET /page.html HTTP/1.1\r\nHost: www.example.com\r\nAccept-Encoding: gzip\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
        // bodies beyond the inspection limit are still decompressed (their length counts); keep the default limit
        pipelined = new HttpParser(HttpConfig.defaults(), listener);
        gzip = new HttpParser(HttpConfig.defaults().withDecompression(2, 1L << 30, 2048, 1L << 30), listener);
    }

    /** Pipelined GETs, ten at a time, then their responses, in pieces of at most 1,460 bytes. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long pipelinedGets() {
        for (int k = 0; k < BATCH; k += DEPTH) {
            feed(pipelined, 0, requests, requestAt[k], requestAt[k + DEPTH]);
            feed(pipelined, 1, responses, responseAt[k], responseAt[k + DEPTH]);
        }
        return pipelined.transactions();
    }

    /** One chunked gzip response of 1 MiB decompressed; MB/s = ops/s x 1.048576. */
    @Benchmark
    public long chunkedGzipMiB() {
        gzip.data(0, gzipRequest, 0, gzipRequest.length);
        feed(gzip, 1, gzipResponse);
        return bodyBytes;
    }

    private static void feed(HttpParser p, int dir, byte[] b) {
        feed(p, dir, b, 0, b.length);
    }

    private static void feed(HttpParser p, int dir, byte[] b, int from, int to) {
        for (int i = from; i < to; i += 1460) {
            p.data(dir, b, i, Math.min(1460, to - i));
        }
    }
}
