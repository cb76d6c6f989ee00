package io.judo.applayer.http;

import static io.judo.applayer.http.Recorder.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.Slice;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The evasion list of issue 18, one case each: the body or field is read as a browser/server would, or an event. */
class EvasionTest {
    private static Recorder run(String client, String server) {
        return Recorder.run(HttpConfig.defaults(), bytes(client), bytes(server), new int[0], new int[0]);
    }

    private static Recorder run(byte[] client, byte[] server) {
        return Recorder.run(HttpConfig.defaults(), client, server, new int[0], new int[0]);
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(data);
        }
        return o.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(o, new Deflater(6, raw))) {
            d.write(data);
        }
        return o.toByteArray();
    }

    private static byte[] response(String headers, byte[] body) {
        return cat(bytes("HTTP/1.1 200 OK\r\n" + headers + "Content-Length: " + body.length + "\r\n\r\n"), body);
    }

    private static final byte[] GET = bytes("GET /f HTTP/1.1\r\nHost: h\r\n\r\n");

    @Test
    void chunkSizesWithLeadingZerosAndExtensions() {
        Recorder r = run("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "00000004;name=value;x\r\nevil\r\n0x\r\n");
        assertEquals("evil", r.done.get(0).responseBody());
        assertTrue(r.events.contains(HttpEvent.INVALID_RESPONSE_CHUNK_LEN), "0x is not a chunk size");
    }

    @Test
    void oddChunkSizesAndWhitespace() {
        Recorder r = run("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "  1 \r\ne\r\nA\r\n0123456789\r\n0\r\n\r\n");
        assertEquals("e0123456789", r.done.get(0).responseBody());
        assertTrue(r.done.get(0).responseComplete());
    }

    @Test
    void transferEncodingCaseDuplicatesAndIdentity() {
        for (String te : new String[] {"Transfer-Encoding: CHUNKED\r\n", "transfer-encoding: Chunked\r\n",
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding: chunked, identity\r\n",
            "Transfer-Encoding: identity, chunked\r\n"}) {
            Recorder r = run("POST / HTTP/1.1\r\n" + te + "\r\n3\r\nabc\r\n0\r\n\r\n", "");
            assertEquals("abc", r.done.get(0).requestBody(), te);
        }
    }

    @Test
    void transferEncodingWinsOverContentLength() {
        Recorder r = run("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n0\r\n\r\nGET /second HTTP/1.1\r\n\r\n", "");
        assertEquals("hello", r.done.get(0).requestBody());
        assertEquals("/second", r.done.get(1).uri());
        assertTrue(r.events.contains(HttpEvent.CONTENT_LENGTH_AND_TRANSFER_ENCODING));
    }

    @Test
    void unknownTransferEncodingIsAnEvent() {
        Recorder r = run("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nab", "");
        assertTrue(r.events.contains(HttpEvent.INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST));
        assertEquals("ab", r.done.get(0).requestBody());
    }

    @Test
    void lfOnlyLinesAndWhitespaceBeforeColon() {
        Recorder r = run("GET /lf HTTP/1.1\nHost : lf.example\nUser-Agent:\tua\n\n",
            "HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
        Recorder.Tx t = r.done.get(0);
        assertEquals("/lf", t.uri());
        assertEquals("lf.example", t.host());
        assertEquals("ok", t.responseBody());
        assertTrue(r.events.contains(HttpEvent.REQUEST_HEADER_INVALID));
    }

    @Test
    void headerFoldingAndRepetition() {
        Recorder r = run("GET / HTTP/1.1\r\nUser-Agent: first\r\n\tsecond\r\nX: 1\r\nx: 2\r\n\r\n", "");
        assertEquals("User-Agent: first second\r\nX: 1, 2\r\n", r.done.get(0).requestHeader());
        assertTrue(r.events.contains(HttpEvent.REQUEST_HEADER_REPETITION));
    }

    @Test
    void gzipWithExtraNameAndCommentFields() throws Exception {
        byte[] plain = bytes("the body behind FEXTRA, FNAME and FCOMMENT");
        byte[] raw = deflate(plain, true);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(plain);
        ByteArrayOutputStream g = new ByteArrayOutputStream();
        g.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3});
        g.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
        g.writeBytes(bytes("name.txt\0"));
        g.writeBytes(bytes("a comment\0"));
        g.writeBytes(new byte[] {0x12, 0x34});
        g.writeBytes(raw);
        long c = crc.getValue();
        g.writeBytes(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
            (byte) plain.length, 0, 0, 0});
        Recorder r = run(GET, response("Content-Encoding: gzip\r\n", g.toByteArray()));
        assertEquals(new String(plain, StandardCharsets.ISO_8859_1), r.done.get(0).responseBody());
        assertEquals(plain.length, r.done.size() == 1 ? plain.length : -1);
    }

    @Test
    void rawDeflateAndZlibDeflateAndXGzip() throws Exception {
        byte[] plain = bytes("deflated both ways ".repeat(20));
        String want = new String(plain, StandardCharsets.ISO_8859_1);
        assertEquals(want, run(GET, response("Content-Encoding: deflate\r\n", deflate(plain, true)))
            .done.get(0).responseBody());
        assertEquals(want, run(GET, response("Content-Encoding: deflate\r\n", deflate(plain, false)))
            .done.get(0).responseBody());
        assertEquals(want, run(GET, response("Content-Encoding: x-gzip\r\n", gzip(plain)))
            .done.get(0).responseBody());
    }

    @Test
    void doubleCompressionUpToTheLayerLimit() throws Exception {
        byte[] plain = bytes("two layers");
        byte[] twice = deflate(gzip(plain), false);
        Recorder r = run(GET, response("Content-Encoding: gzip, deflate\r\n", twice));
        assertEquals("two layers", r.done.get(0).responseBody());
        byte[] thrice = gzip(twice);
        Recorder three = run(GET, response("Content-Encoding: gzip, deflate, gzip\r\n", thrice));
        assertTrue(three.events.contains(HttpEvent.TOO_MANY_ENCODING_LAYERS));
    }

    @Test
    void compressionBombIsCut() throws Exception {
        // one deflate layer cannot pass a ratio of about 1030: a bomb needs two layers (libhtp's ratio is 2048)
        byte[] zeros = new byte[16 << 20];
        byte[] bomb = gzip(gzip(zeros));
        Recorder r = run(GET, response("Content-Encoding: gzip, gzip\r\n", bomb));
        assertTrue(r.events.contains(HttpEvent.COMPRESSION_BOMB), bomb.length + " bytes on the wire");
        assertEquals(100 * 1024, r.done.get(0).responseBody().length());
        assertTrue(r.done.get(0).responseLength() < 2 << 20, "cut at about the bomb limit, not followed");
        // the absolute cap stops one ordinary layer too, silently (a large download is no bomb)
        HttpConfig capped = HttpConfig.defaults().withDecompression(2, 1 << 20, 2048, 2 << 20);
        Recorder one = Recorder.run(capped, GET, response("Content-Encoding: gzip\r\n", gzip(zeros)),
            new int[0], new int[0]);
        assertFalse(one.events.contains(HttpEvent.COMPRESSION_BOMB));
        assertEquals(2 << 20, one.done.get(0).responseLength());
    }

    @Test
    void truncatedGzipKeepsWhatDecoded() throws Exception {
        byte[] plain = new byte[20000];
        new java.util.Random(7).nextBytes(plain);
        byte[] z = gzip(plain);
        byte[] cut = java.util.Arrays.copyOf(z, z.length / 2);
        Recorder r = run(GET, cat(bytes("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n"), cut));
        String body = r.done.get(0).responseBody();
        assertTrue(body.length() > 0 && new String(plain, StandardCharsets.ISO_8859_1).startsWith(body));
    }

    @Test
    void brokenGzipPassesThroughWithAnEvent() {
        Recorder r = run(GET, response("Content-Encoding: gzip\r\n", bytes("not gzip at all")));
        assertTrue(r.events.contains(HttpEvent.GZIP_DECOMPRESSION_FAILED));
        assertEquals("not gzip at all", r.done.get(0).responseBody());
    }

    @Test
    void interimResponsesBeforeTheRealOne() {
        Recorder r = run("POST /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
        assertEquals(1, r.done.size());
        assertEquals(200, r.done.get(0).status());
        assertEquals("done", r.done.get(0).responseBody());
        assertTrue(r.events.contains(HttpEvent.CONTINUE_100_ALREADY_SEEN));
    }

    @Test
    void headAnd204And304HaveNoBody() {
        Recorder r = run("HEAD / HTTP/1.1\r\n\r\nGET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n");
        assertEquals(3, r.done.size());
        assertEquals(304, r.done.get(2).status());
        assertTrue(r.done.stream().allMatch(t -> t.responseBody().isEmpty()));
    }

    @Test
    void connectTunnelIsNotParsed() {
        Recorder r = run("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\u0016\u0003\u0001garbage",
            "HTTP/1.1 200 Connection established\r\n\r\n\u0016\u0003\u0003server hello");
        assertEquals(1, r.done.size());
        assertEquals("example.com", r.done.get(0).host());
        assertEquals("example.com:443", r.done.get(0).uri());
    }

    @Test
    void upgradeStopsParsing() {
        Recorder r = new Recorder();
        HttpParser p = new HttpParser(HttpConfig.defaults(), r);
        byte[] up = bytes("GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        byte[] switching = bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0005hello");
        byte[] after = bytes("GET /not-http-any-more HTTP/1.1\r\n\r\n");
        p.data(0, up, 0, up.length);
        p.data(1, switching, 0, switching.length);
        p.data(0, after, 0, after.length);
        p.data(1, after, 0, after.length);
        p.end(0);
        p.end(1);
        assertEquals(1, r.done.size());
        assertEquals(101, r.done.get(0).status());
        assertEquals("/chat", r.done.get(0).uri());
        assertEquals(1, p.transactions());
    }

    @Test
    void gapInsideAContentLengthBodyIsSkipped() {
        Recorder r = new Recorder();
        HttpParser p = new HttpParser(HttpConfig.defaults(), r);
        byte[] a = bytes("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        p.data(0, a, 0, a.length);
        p.gap(0, 4);
        byte[] b = bytes("xyzGET /after HTTP/1.1\r\n\r\n");
        p.data(0, b, 0, b.length);
        p.end(0);
        p.end(1);
        assertEquals("abcxyz", r.done.get(0).requestBody());
        assertEquals("/after", r.done.get(1).uri());
        assertTrue(r.events.contains(HttpEvent.STREAM_GAP));
    }

    @Test
    void gapInHeadersSkipsToTheNextRequest() {
        Recorder r = new Recorder();
        HttpParser p = new HttpParser(HttpConfig.defaults(), r);
        byte[] a = bytes("GET /first HTTP/1.1\r\nHost: h\r\nX-Par");
        p.data(0, a, 0, a.length);
        p.gap(0, 100);
        byte[] b = bytes("tial: lost\r\n\r\nGET /next HTTP/1.1\r\nHost: n\r\n\r\n");
        p.data(0, b, 0, b.length);
        p.end(0);
        p.end(1);
        assertEquals(2, r.done.size());
        assertEquals("/first", r.done.get(0).uri());
        assertEquals("/next", r.done.get(1).uri());
        assertEquals("n", r.done.get(1).host());
    }

    @Test
    void endCompletesWhatWasCut() {
        Recorder r = run("POST /cut HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhalf");
        Recorder.Tx t = r.done.get(0);
        assertEquals("partial", t.requestBody());
        assertEquals("half", t.responseBody());
        assertTrue(t.requestComplete() && t.responseComplete());
    }

    @Test
    void gapInsideAChunkKeepsTheChunking() {
        Recorder r = new Recorder();
        HttpParser p = new HttpParser(HttpConfig.defaults(), r);
        byte[] get = bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        p.data(0, get, 0, get.length);
        byte[] a = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n01");
        p.data(1, a, 0, a.length);
        p.gap(1, 5);
        byte[] b = bytes("789\r\n3\r\nend\r\n0\r\n\r\n");
        p.data(1, b, 0, b.length);
        assertEquals(1, r.done.size());
        assertEquals("01789end", r.done.get(0).responseBody());
        assertEquals(13, r.done.get(0).responseLength(), "lost bytes count as seen");
    }

    @Test
    void requestBodiesAreDecompressedWhenConfigured() throws Exception {
        byte[] body = bytes("compressed upload");
        byte[] z = gzip(body);
        byte[] req = cat(bytes("POST /u HTTP/1.1\r\nHost: h\r\nContent-Encoding: gzip\r\nContent-Length: " + z.length
            + "\r\n\r\n"), z);
        Recorder off = run(req, new byte[0]);
        assertEquals(z.length, off.done.get(0).requestBody().length(), "libhtp's default: as received");
        Recorder on = Recorder.run(HttpConfig.defaults().withDecompressRequests(true), req, new byte[0], new int[0],
            new int[0]);
        assertEquals("compressed upload", on.done.get(0).requestBody());
    }

    @Test
    void tooManyHeadersAndOverlongLinesAreEvents() {
        StringBuilder h = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < 1100; i++) {
            h.append("X-").append(i).append(": v\r\n");
        }
        h.append("X-Long: ").append("a".repeat(20000)).append("\r\n\r\n");
        Recorder r = Recorder.run(HttpConfig.defaults().withHeaderLimits(18000, 1 << 20), bytes(h.toString()),
            new byte[0], new int[0], new int[0]);
        assertTrue(r.events.contains(HttpEvent.REQUEST_TOO_MANY_HEADERS));
        assertTrue(r.events.contains(HttpEvent.REQUEST_FIELD_TOO_LONG));
        assertEquals("h", r.done.get(0).host());
    }

    @Test
    void midstreamPickupMakesATransactionWithoutRequest() {
        Recorder r = run("", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nmid");
        assertEquals(1, r.done.size());
        assertNull(r.done.get(0).method());
        assertEquals("mid", r.done.get(0).responseBody());
        assertFalse(r.events.contains(HttpEvent.UNABLE_TO_MATCH_RESPONSE_TO_REQUEST));
    }

    @Test
    void absoluteUriSplitsIntoHostAndPath() {
        Recorder r = run("GET http://User@Proxy.Example:8080/a/../b/./c//d?x=/../ HTTP/1.1\r\n\r\n", "");
        assertEquals("/b/c/d?x=/../", r.done.get(0).uri());
        assertEquals("proxy.example", r.done.get(0).host());
        assertEquals("http://User@Proxy.Example:8080/a/../b/./c//d?x=/../", r.done.get(0).uriRaw());
    }

    @Test
    void hostFromTheAbsoluteUriWinsAndDisagreementIsAnEvent() {
        Recorder r = run("GET http://real.example/x HTTP/1.1\r\nHost: decoy.example\r\n\r\n", "");
        assertEquals("real.example", r.done.get(0).host());
        assertTrue(r.events.contains(HttpEvent.HOST_HEADER_AMBIGUOUS));
        assertFalse(run("GET http://same.example/x HTTP/1.1\r\nHost: SAME.example:80\r\n\r\n", "")
            .events.contains(HttpEvent.HOST_HEADER_AMBIGUOUS));
        assertTrue(run("GET / HTTP/1.1\r\n\r\n", "").events.contains(HttpEvent.MISSING_HOST_HEADER));
        assertFalse(run("GET / HTTP/1.0\r\n\r\n", "").events.contains(HttpEvent.MISSING_HOST_HEADER));
    }

    @Test
    void uriNormalization() {
        String[][] cases = {
            {"/%2e%2e/%2E%2e/etc/passwd", "/etc/passwd"},
            {"/a%2fb", "/a/b"},
            {"/a\\b\\..\\c", "/a/c"},
            {"/%u0041%u2215x", "/A?x"},
            {"/bad%zz%4", "/bad%zz%4"},
            {"/x/.", "/x/"},
            {"/x/..", "/"},
            {"/../../", "/"},
            {"/%41%42C", "/ABC"},
        };
        for (String[] c : cases) {
            Recorder r = run("GET " + c[0] + " HTTP/1.1\r\n\r\n", "");
            assertEquals(c[1], r.done.get(0).uri(), c[0]);
        }
        assertTrue(run("GET /bad%zz HTTP/1.1\r\n\r\n", "").events.contains(HttpEvent.URI_INVALID_ENCODING));
    }

    @Test
    void bodyIsKeptUpToTheLimitAndCountedBeyond() {
        HttpConfig small = HttpConfig.defaults().withRequestBodyLimit(4);
        Recorder r = new Recorder();
        HttpParser p = new HttpParser(small, r);
        final long[] length = new long[1];
        HttpListener l = new HttpListener() {
            @Override public void requestHeaders(HttpTransaction tx) { }
            @Override public void requestBody(HttpTransaction tx) { }
            @Override public void requestComplete(HttpTransaction tx) {
                length[0] = tx.requestBodyLength();
                r.transactionDone(tx);
            }
            @Override public void responseHeaders(HttpTransaction tx) { }
            @Override public void responseBody(HttpTransaction tx) { }
            @Override public void responseComplete(HttpTransaction tx) { }
            @Override public void event(HttpTransaction tx, HttpEvent e) { }
        };
        p = new HttpParser(small, l);
        byte[] a = bytes("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789");
        p.data(0, a, 0, a.length);
        assertEquals(10, length[0]);
        assertEquals("0123", r.done.get(0).requestBody());
    }

    @Test
    void buffersCarrySuricataShapes() {
        Recorder rec = new Recorder();
        HttpTransaction[] seen = new HttpTransaction[1];
        HttpParser p = new HttpParser(HttpConfig.defaults(), new HttpListener() {
            @Override public void requestHeaders(HttpTransaction tx) { }
            @Override public void requestBody(HttpTransaction tx) { }
            @Override public void requestComplete(HttpTransaction tx) { }
            @Override public void responseHeaders(HttpTransaction tx) { seen[0] = tx; }
            @Override public void responseBody(HttpTransaction tx) { }
            @Override public void responseComplete(HttpTransaction tx) { }
            @Override public void event(HttpTransaction tx, HttpEvent e) { rec.event(tx, e); }
        });
        byte[] c = bytes("GET /i HTTP/1.1\r\nHost: H\r\nCookie: a=b\r\nAccept: */*\r\n\r\n");
        byte[] s = bytes("HTTP/1.1 302 Found\r\nLocation: /x\r\nSet-Cookie: s=t\r\nServer: srv\r\n\r\n");
        p.data(0, c, 0, c.length);
        p.data(1, s, 0, s.length);
        HttpTransaction t = seen[0];
        assertEquals("\r\nHost\r\nCookie\r\nAccept\r\n\r\n", Recorder.fill(t, HttpBuffer.HEADER_NAMES, 0));
        assertEquals("Host: H\r\nAccept: */*\r\n", Recorder.fill(t, HttpBuffer.HEADER, 0));
        assertEquals("a=b", Recorder.fill(t, HttpBuffer.COOKIE, 0));
        assertEquals("s=t", Recorder.fill(t, HttpBuffer.COOKIE, 1));
        assertEquals("Location: /x\r\nServer: srv\r\n", Recorder.fill(t, HttpBuffer.HEADER, 1));
        assertEquals("GET /i HTTP/1.1", Recorder.fill(t, HttpBuffer.REQUEST_LINE, 0));
        assertEquals("HTTP/1.1 302 Found", Recorder.fill(t, HttpBuffer.RESPONSE_LINE, 1));
        assertEquals("302", Recorder.fill(t, HttpBuffer.STAT_CODE, 1));
        assertEquals("Found", Recorder.fill(t, HttpBuffer.STAT_MSG, 1));
        assertEquals("/x", t.location());
        assertEquals("srv", Recorder.fill(t, HttpBuffer.SERVER, 1));
        assertEquals("*/*", Recorder.fill(t, HttpBuffer.ACCEPT, 0));
        assertEquals("H", Recorder.fill(t, HttpBuffer.HOST_RAW, 0));
        assertEquals("h", Recorder.fill(t, HttpBuffer.HOST, 0));
        assertEquals("GET /i HTTP/1.1\r\nHost: H\r\nCookie: a=b\r\nAccept: */*\r\n\r\n",
            Recorder.fill(t, HttpBuffer.START, 0));
        assertEquals("Host: H\r\nCookie: a=b\r\nAccept: */*\r\n\r\n", Recorder.fill(t, HttpBuffer.HEADER_RAW, 0));
        assertNull(Recorder.fill(t, HttpBuffer.USER_AGENT, 0));
        assertEquals("i", t.filename());
        Slice sl = new Slice();
        assertFalse(t.fill(HttpBuffer.REFERER, 0, sl));
    }
}
