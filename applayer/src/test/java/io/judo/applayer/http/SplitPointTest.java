package io.judo.applayer.http;

import static io.judo.applayer.http.Recorder.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every split of a connection's two streams (two pieces at each offset, and byte by byte) parses the same. */
class SplitPointTest {
    static Stream<Arguments> connections() throws Exception {
        String gz = new String(EvasionTest.gzip(bytes("compressed, chunked, split anywhere")),
            java.nio.charset.StandardCharsets.ISO_8859_1);
        String half = Integer.toHexString(gz.length() / 2);
        String rest = Integer.toHexString(gz.length() - gz.length() / 2);
        return Stream.of(
            Arguments.of("GET /gz HTTP/1.1\r\nHost: z\r\n\r\nGET /zero-nine\r\n",
                "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + half + "\r\n"
                    + gz.substring(0, gz.length() / 2) + "\r\n" + rest + "\r\n" + gz.substring(gz.length() / 2)
                    + "\r\n0\r\n\r\nraw 0.9 body"),
            Arguments.of("POST /p%41th/./x/../y?q=%41 HTTP/1.1\r\nHost: a.b\r\nX-Long: one\r\n two\r\n"
                + "Content-Length: 4\r\n\r\nbodyGET /next HTTP/1.1\r\n\r\n",
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4;e=1\r\nwiki\r\n005\r\npedia\r\n0\r\nT: x\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n"),
            Arguments.of("GET / HTTP/1.1\nHost: lf.only\nCookie: c=1\n\n",
                "HTTP/1.1 200 OK\nContent-Length: 2\nSet-Cookie: s=2\n\nok"),
            Arguments.of("HEAD /h HTTP/1.1\r\n\r\nGET /g HTTP/1.1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\n\r\nrest"));
    }

    @ParameterizedTest
    @MethodSource("connections")
    void everySplitParsesTheSame(String client, String server) {
        byte[] c = bytes(client);
        byte[] s = bytes(server);
        List<Recorder.Tx> whole = Recorder.run(HttpConfig.defaults(), c, s, new int[0], new int[0]).done;
        for (int i = 1; i < c.length; i++) {
            assertEquals(whole, Recorder.run(HttpConfig.defaults(), c, s, new int[] {i}, new int[0]).done,
                "client split at " + i);
        }
        for (int i = 1; i < s.length; i++) {
            assertEquals(whole, Recorder.run(HttpConfig.defaults(), c, s, new int[0], new int[] {i}).done,
                "server split at " + i);
        }
        assertEquals(whole, Recorder.run(HttpConfig.defaults(), c, s, every(c.length), every(s.length)).done,
            "byte by byte");
    }

    @org.junit.jupiter.api.Test
    void theConnectionsReadAsIntended() throws Exception {
        List<Arguments> all = connections().toList();
        List<Recorder.Tx> gz = whole(all.get(0));
        assertEquals("compressed, chunked, split anywhere", gz.get(0).responseBody());
        assertEquals("/zero-nine", gz.get(1).uri());
        assertEquals("raw 0.9 body", gz.get(1).responseBody());
        List<Recorder.Tx> first = whole(all.get(1));
        assertEquals("/pAth/y?q=%41", first.get(0).uri());
        assertEquals("body", first.get(0).requestBody());
        assertEquals("wikipedia", first.get(0).responseBody());
        assertEquals(304, first.get(1).status());
        List<Recorder.Tx> head = whole(all.get(3));
        assertEquals("", head.get(0).responseBody());
        assertEquals("rest", head.get(1).responseBody());
    }

    private static List<Recorder.Tx> whole(Arguments a) {
        Object[] x = a.get();
        return Recorder.run(HttpConfig.defaults(), bytes((String) x[0]), bytes((String) x[1]), new int[0],
            new int[0]).done;
    }

    static int[] every(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
