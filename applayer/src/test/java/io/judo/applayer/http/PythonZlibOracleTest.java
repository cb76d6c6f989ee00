package io.judo.applayer.http;

import static io.judo.applayer.http.Recorder.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.judo.applayer.Slice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Python's gzip and zlib modules as the oracle for decompression: Python compresses a body in several framings
 * (gzip with a file name and mtime, zlib at levels 1 and 9, raw deflate, gzip of zlib, two gzip members), and the
 * parser must hand back exactly the body Python compressed, whatever the segmentation.
 */
class PythonZlibOracleTest {
    private static final String SCRIPT = String.join("\n",
        "import base64, gzip, io, sys, zlib",
        "body = bytes(range(256)) * 40 + b'text that repeats ' * 300",
        "def gz(data, name=None, mtime=0):",
        "    b = io.BytesIO()",
        "    with gzip.GzipFile(filename=name, mode='wb', fileobj=b, mtime=mtime) as f:",
        "        f.write(data)",
        "    return b.getvalue()",
        "def raw(data):",
        "    c = zlib.compressobj(6, zlib.DEFLATED, -15)",
        "    return c.compress(data) + c.flush()",
        "cases = [",
        "    ('gzip', gz(body, 'evil.exe', 1234567890)),",
        "    ('x-gzip', gzip.compress(body, 9)),",
        "    ('deflate', zlib.compress(body, 1)),",
        "    ('deflate', zlib.compress(body, 9)),",
        "    ('deflate', raw(body)),",
        "    ('deflate, gzip', gzip.compress(zlib.compress(body))),",
        "    ('gzip', gzip.compress(body[:1000]) + gzip.compress(body[1000:])),",
        "]",
        "sys.stdout.write(base64.b64encode(body).decode() + '\\n')",
        "for enc, data in cases:",
        "    sys.stdout.write(enc + '|' + base64.b64encode(data).decode() + '\\n')");

    @Test
    void parserDecodesWhatPythonEncoded() throws Exception {
        List<String> lines = python();
        byte[] body = Base64.getDecoder().decode(lines.get(0));
        Random rnd = new Random(18);
        for (String line : lines.subList(1, lines.size())) {
            int bar = line.indexOf('|');
            String enc = line.substring(0, bar);
            byte[] data = Base64.getDecoder().decode(line.substring(bar + 1));
            byte[] server = cat(bytes("HTTP/1.1 200 OK\r\nContent-Encoding: " + enc
                + "\r\nTransfer-Encoding: chunked\r\n\r\n"), chunked(data, rnd));
            for (int round = 0; round < 5; round++) {
                int[] cuts = new int[rnd.nextInt(20)];
                for (int i = 0; i < cuts.length; i++) {
                    cuts[i] = rnd.nextInt(server.length);
                }
                java.util.Arrays.sort(cuts);
                byte[] got = responseBody(server, cuts);
                assertEquals(body.length, got.length, enc + " round " + round);
                assertArrayEquals(body, got, enc);
            }
        }
    }

    private static byte[] responseBody(byte[] server, int[] cuts) {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        HttpConfig cfg = HttpConfig.defaults().withResponseBodyLimit(1 << 20);
        HttpParser p = new HttpParser(cfg, new HttpListener() {
            @Override public void requestHeaders(HttpTransaction tx) { }
            @Override public void requestBody(HttpTransaction tx) { }
            @Override public void requestComplete(HttpTransaction tx) { }
            @Override public void responseHeaders(HttpTransaction tx) { }
            @Override public void responseBody(HttpTransaction tx) { }
            @Override public void responseComplete(HttpTransaction tx) {
                Slice s = new Slice();
                tx.fill(HttpBuffer.FILE_DATA, 1, s);
                whole.write(s.array, s.offset, s.length);
            }
            @Override public void event(HttpTransaction tx, HttpEvent e) {
                throw new AssertionError("unexpected event " + e);
            }
        });
        byte[] get = bytes("GET / HTTP/1.1\r\nHost: oracle\r\n\r\n");
        p.data(0, get, 0, get.length);
        Recorder.feed(p, 1, server, cuts);
        return whole.toByteArray();
    }

    private static byte[] chunked(byte[] data, Random rnd) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int i = 0;
        while (i < data.length) {
            int n = Math.min(data.length - i, 1 + rnd.nextInt(700));
            o.writeBytes(bytes(Integer.toHexString(n) + "\r\n"));
            o.write(data, i, n);
            o.writeBytes(bytes("\r\n"));
            i += n;
        }
        o.writeBytes(bytes("0\r\n\r\n"));
        return o.toByteArray();
    }

    private static byte[] cat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static List<String> python() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", SCRIPT).redirectErrorStream(false).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }
        return lines;
    }
}
