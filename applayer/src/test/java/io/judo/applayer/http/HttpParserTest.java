package io.judo.applayer.http;

import static io.judo.applayer.http.Recorder.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpParserTest {
    private static final HttpConfig CFG = HttpConfig.defaults();

    private static List<Recorder.Tx> parse(String client, String server) {
        return Recorder.run(CFG, bytes(client), bytes(server), new int[0], new int[0]).done;
    }

    @Test
    void contentLengthRequestAndResponse() {
        List<Recorder.Tx> t = parse(
            "POST /submit?x=1 HTTP/1.1\r\nHost: Example.COM:8080\r\nUser-Agent: t/1\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 201 Created\r\nContent-Length: 3\r\nServer: s\r\n\r\nabc");
        assertEquals(1, t.size());
        Recorder.Tx x = t.get(0);
        assertEquals("POST", x.method());
        assertEquals("/submit?x=1", x.uri());
        assertEquals("example.com", x.host());
        assertEquals("HTTP/1.1", x.protocol());
        assertEquals(201, x.status());
        assertEquals("Created", x.statusMessage());
        assertEquals("hello", x.requestBody());
        assertEquals("abc", x.responseBody());
        assertEquals("Host: Example.COM:8080\r\nUser-Agent: t/1\r\nContent-Length: 5\r\n", x.requestHeader());
    }

    @Test
    void chunkedBodiesWithExtensionsLeadingZerosAndTrailers() {
        List<Recorder.Tx> t = parse(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0003;ext=1\r\nabc\r\n000\r\nX-T: 1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1 \r\n!\r\n0\r\n\r\n");
        assertEquals(1, t.size());
        assertEquals("abc", t.get(0).requestBody());
        assertEquals("hello!", t.get(0).responseBody());
        assertTrue(t.get(0).requestComplete() && t.get(0).responseComplete());
    }

    @Test
    void pipelinedRequestsPairInOrder() {
        List<Recorder.Tx> t = parse("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nB");
        assertEquals(2, t.size());
        assertEquals("/a", t.get(0).uri());
        assertEquals("A", t.get(0).responseBody());
        assertEquals("/b", t.get(1).uri());
        assertEquals(404, t.get(1).status());
        assertEquals("B", t.get(1).responseBody());
    }

    @Test
    void closeDelimitedResponseEndsAtEnd() {
        List<Recorder.Tx> t = parse("GET / HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK\r\n\r\nuntil the end");
        assertEquals("until the end", t.get(0).responseBody());
        assertTrue(t.get(0).responseComplete());
    }
}
