package io.judo.applayer.http;

import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A listener that snapshots each transaction when it is done (the parser may reuse it afterwards). */
final class Recorder implements HttpListener {
    /** What a test compares: the transaction's fields and bodies as text. */
    record Tx(long index, String method, String uri, String uriRaw, String host, String protocol, int status,
              String statusMessage, String requestBody, String responseBody, String requestHeader,
              String responseHeader, boolean requestComplete, boolean responseComplete, long requestLength,
              long responseLength) {
    }

    final List<Tx> done = new ArrayList<>();
    final Set<HttpEvent> events = EnumSet.noneOf(HttpEvent.class);
    final List<String> calls = new ArrayList<>();
    int requestBodyCalls;
    int responseBodyCalls;

    static String fill(HttpTransaction t, HttpBuffer b, int dir) {
        Slice s = new Slice();
        return t.fill(b, dir, s) ? new String(s.array, s.offset, s.length, StandardCharsets.ISO_8859_1) : null;
    }

    @Override
    public void requestHeaders(HttpTransaction tx) {
        calls.add("reqH" + tx.index());
    }

    @Override
    public void requestBody(HttpTransaction tx) {
        requestBodyCalls++;
    }

    @Override
    public void requestComplete(HttpTransaction tx) {
        calls.add("reqC" + tx.index());
    }

    @Override
    public void responseHeaders(HttpTransaction tx) {
        calls.add("resH" + tx.index());
    }

    @Override
    public void responseBody(HttpTransaction tx) {
        responseBodyCalls++;
    }

    @Override
    public void responseComplete(HttpTransaction tx) {
        calls.add("resC" + tx.index());
    }

    @Override
    public void event(HttpTransaction txOrNull, HttpEvent event) {
        events.add(event);
    }

    @Override
    public void transactionDone(HttpTransaction t) {
        done.add(new Tx(t.index(), t.method(), t.uri(), t.uriRaw(), t.host(), t.protocol(), t.status(),
            t.statusMessage(), fill(t, HttpBuffer.REQUEST_BODY, 0), fill(t, HttpBuffer.RESPONSE_BODY, 1),
            fill(t, HttpBuffer.HEADER, 0), fill(t, HttpBuffer.HEADER, 1), t.requestComplete(),
            t.responseComplete(), t.requestBodyLength(), t.responseBodyLength()));
    }

    /** Runs a whole connection: client bytes, then server bytes, each in pieces of the given sizes, then both ends. */
    static Recorder run(HttpConfig cfg, byte[] client, byte[] server, int[] clientCuts, int[] serverCuts) {
        Recorder r = new Recorder();
        HttpParser p = new HttpParser(cfg, r);
        feed(p, 0, client, clientCuts);
        feed(p, 1, server, serverCuts);
        p.end(0);
        p.end(1);
        return r;
    }

    static void feed(HttpParser p, int dir, byte[] b, int[] cuts) {
        int prev = 0;
        for (int c : cuts) {
            if (c > prev && c < b.length) {
                p.data(dir, copy(b, prev, c), 0, c - prev);
                prev = c;
            }
        }
        p.data(dir, copy(b, prev, b.length), 0, b.length - prev);
    }

    /** A fresh array per piece, overwritten after the call, so a parser keeping references would fail. */
    private static byte[] copy(byte[] b, int from, int to) {
        byte[] r = java.util.Arrays.copyOfRange(b, from, to);
        return r;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
