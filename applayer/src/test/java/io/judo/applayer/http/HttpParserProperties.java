package io.judo.applayer.http;

import static io.judo.applayer.http.Recorder.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random connections (methods, targets, headers, bodies framed by Content-Length or chunks of random sizes with
 * random size spellings, gzip/zlib/raw-deflate response bodies, LF-only or CRLF lines, pipelined or one at a time)
 * cut into random pieces parse to the generator's fields and bodies. The generator is seeded: a failure prints its
 * seed, and the same seed rebuilds the same connection.
 */
class HttpParserProperties {
    private static final String[] METHODS = {"GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS"};
    private static final int[] STATUS = {200, 201, 301, 404, 500};

    /** What the generator expects the parser to read. */
    record Expected(String method, String uri, String host, int status, String requestBody, String responseBody) {
    }

    @Property(tries = 400)
    void randomConnectionsParseToTheirFields(@ForAll long seed) throws IOException {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(5);
        boolean pipelined = rnd.nextBoolean();
        ByteArrayOutputStream[] client = new ByteArrayOutputStream[n];
        ByteArrayOutputStream[] server = new ByteArrayOutputStream[n];
        List<Expected> want = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            client[i] = new ByteArrayOutputStream();
            server[i] = new ByteArrayOutputStream();
            want.add(transaction(rnd, client[i], server[i], i == n - 1));
        }
        Recorder r = new Recorder();
        HttpParser p = new HttpParser(HttpConfig.defaults(), r);
        if (pipelined) {
            feedRandom(p, 0, join(client), rnd);
            feedRandom(p, 1, join(server), rnd);
        } else {
            for (int i = 0; i < n; i++) {
                feedRandom(p, 0, client[i].toByteArray(), rnd);
                feedRandom(p, 1, server[i].toByteArray(), rnd);
            }
        }
        p.end(0);
        p.end(1);
        List<Expected> got = new ArrayList<>();
        for (Recorder.Tx t : r.done) {
            got.add(new Expected(t.method(), t.uri(), t.host(), t.status(), t.requestBody(), t.responseBody()));
        }
        assertEquals(want, got, "seed " + seed);
    }

    private static Expected transaction(Random rnd, ByteArrayOutputStream c, ByteArrayOutputStream s, boolean last)
        throws IOException {
        String eol = rnd.nextInt(4) == 0 ? "\n" : "\r\n";
        String method = METHODS[rnd.nextInt(METHODS.length)];
        StringBuilder uri = new StringBuilder();
        for (int k = 0, segs = 1 + rnd.nextInt(4); k < segs; k++) {
            uri.append('/').append(word(rnd, 1 + rnd.nextInt(8)));
        }
        if (rnd.nextBoolean()) {
            uri.append("?q=").append(word(rnd, rnd.nextInt(6)));
        }
        String host = word(rnd, 3) + "." + word(rnd, 3);
        StringBuilder head = new StringBuilder(method + " " + uri + " HTTP/1.1" + eol);
        head.append(rnd.nextBoolean() ? "Host: " : "host:").append(rnd.nextBoolean() ? host.toUpperCase() : host)
            .append(rnd.nextBoolean() ? ":8080" : "").append(eol);
        extraHeaders(rnd, head, eol);
        byte[] reqBody = method.equals("POST") || method.equals("PUT") ? body(rnd) : new byte[0];
        c.writeBytes(bytes(head.toString()));
        frame(rnd, c, reqBody, eol, false);

        int status = STATUS[rnd.nextInt(STATUS.length)];
        StringBuilder rh = new StringBuilder("HTTP/1.1 " + status + " Reason Phrase" + eol);
        if (rnd.nextInt(5) == 0) {
            s.writeBytes(bytes("HTTP/1.1 100 Continue" + eol + eol));
        }
        extraHeaders(rnd, rh, eol);
        byte[] respBody = body(rnd);
        byte[] wire = respBody;
        int enc = rnd.nextInt(4);
        if (enc == 1) {
            rh.append("Content-Encoding: gzip").append(eol);
            wire = compress(respBody, 0);
        } else if (enc == 2) {
            rh.append("Content-Encoding: deflate").append(eol);
            wire = compress(respBody, rnd.nextBoolean() ? 1 : 2);
        }
        s.writeBytes(bytes(rh.toString()));
        if (method.equals("HEAD")) {
            s.writeBytes(bytes("Content-Length: " + wire.length + eol + eol));
            respBody = new byte[0];
        } else if (last && rnd.nextInt(3) == 0) {
            s.writeBytes(bytes(eol)); // delimited by the close of the connection
            s.writeBytes(wire);
        } else {
            frame(rnd, s, wire, eol, true);
        }
        return new Expected(method, uri.toString(), host, status, text(reqBody), text(respBody));
    }

    private static void extraHeaders(Random rnd, StringBuilder h, String eol) {
        for (int k = 0, extra = rnd.nextInt(4); k < extra; k++) {
            h.append("X-").append(word(rnd, 1 + rnd.nextInt(6))).append(": ").append(word(rnd, rnd.nextInt(10)))
                .append(eol);
        }
    }

    /** Writes the end of the header block and the body, framed by Content-Length or by chunks. */
    private static void frame(Random rnd, ByteArrayOutputStream o, byte[] body, String eol, boolean response) {
        if (body.length == 0 && !response && rnd.nextBoolean()) {
            o.writeBytes(bytes(eol));
            return;
        }
        if (rnd.nextBoolean()) {
            o.writeBytes(bytes("Content-Length: " + body.length + eol + eol));
            o.writeBytes(body);
            return;
        }
        o.writeBytes(bytes("Transfer-Encoding: chunked" + eol + eol));
        int i = 0;
        while (i < body.length) {
            int n = Math.min(body.length - i, 1 + rnd.nextInt(300));
            String size = Integer.toHexString(n);
            size = rnd.nextBoolean() ? size.toUpperCase() : size;
            if (rnd.nextInt(4) == 0) {
                size = "00" + size;
            }
            if (rnd.nextInt(4) == 0) {
                size += ";ext=" + word(rnd, 3);
            }
            o.writeBytes(bytes(size + eol));
            o.write(body, i, n);
            o.writeBytes(bytes(eol));
            i += n;
        }
        o.writeBytes(bytes("0" + eol));
        if (rnd.nextBoolean()) {
            o.writeBytes(bytes("X-Trailer: t" + eol));
        }
        o.writeBytes(bytes(eol));
    }

    private static byte[] compress(byte[] b, int kind) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        if (kind == 0) {
            try (GZIPOutputStream g = new GZIPOutputStream(o)) {
                g.write(b);
            }
        } else {
            try (DeflaterOutputStream d = new DeflaterOutputStream(o, new Deflater(6, kind == 2))) {
                d.write(b);
            }
        }
        return o.toByteArray();
    }

    private static byte[] body(Random rnd) {
        int len = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(rnd.nextBoolean() ? 50 : 3000);
        byte[] b = new byte[len];
        if (rnd.nextBoolean()) {
            rnd.nextBytes(b);
        } else {
            for (int i = 0; i < len; i++) {
                b[i] = (byte) ('a' + rnd.nextInt(4));
            }
        }
        return b;
    }

    private static String word(Random rnd, int len) {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < len; i++) {
            w.append((char) ('a' + rnd.nextInt(26)));
        }
        return w.toString();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] join(ByteArrayOutputStream[] parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (ByteArrayOutputStream p : parts) {
            o.writeBytes(p.toByteArray());
        }
        return o.toByteArray();
    }

    private static void feedRandom(HttpParser p, int dir, byte[] b, Random rnd) {
        int i = 0;
        while (i < b.length) {
            int n = Math.min(b.length - i, 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 1500));
            byte[] piece = java.util.Arrays.copyOfRange(b, i, i + n);
            p.data(dir, piece, 0, n);
            java.util.Arrays.fill(piece, (byte) 0x55); // a parser keeping references would now read garbage
            i += n;
        }
    }
}
