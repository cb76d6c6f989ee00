package io.judo.cli;

import io.judo.applayer.Slice;
import io.judo.applayer.http.HttpBuffer;
import io.judo.applayer.http.HttpConfig;
import io.judo.applayer.http.HttpEvent;
import io.judo.applayer.http.HttpListener;
import io.judo.applayer.http.HttpParser;
import io.judo.applayer.http.HttpTransaction;
import io.judo.reassembly.Flow;
import io.judo.reassembly.StreamEvent;
import io.judo.reassembly.StreamSink;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stream sink of {@code judo http}: one {@link HttpParser} per TCP flow (direction 0 client to server), fed with
 * each direction's in-order bytes and gaps and ended at the direction's FIN or the flow's end. Each transaction is handed on as
 * a {@link Tx} snapshot when the parser is done with it, or at the flow's end if it never completed (a request
 * without a response, a cut body), in the flow's transaction order; app-layer events as they happen. Allocates per
 * transaction; this is a listing tool, not the packet path.
 */
final class HttpFlows implements StreamSink {
    /** What one transaction held when it was handed on; strings are null where absent, status -1. */
    record Tx(long index, long timeNanos, String method, String uri, String uriRaw, String protocol, String host,
              String userAgent, String referer, String requestContentType, int status, String statusMessage,
              String responseContentType, String location, long requestBodyLength, long responseBodyLength,
              byte[] requestBody, byte[] responseBody, boolean requestComplete, boolean responseComplete) {
    }

    /** Receives transactions and events. */
    interface Output {
        void transaction(Flow flow, Tx tx);

        /** @param txIndex the transaction the event belongs to, or -1 */
        void event(Flow flow, long txIndex, long timeNanos, HttpEvent event);
    }

    private final HttpConfig config;
    private final boolean keepBodies;
    private final Output output;
    private final Map<Flow, Connection> connections = new HashMap<>();
    private long transactions;

    HttpFlows(HttpConfig config, boolean keepBodies, Output output) {
        this.config = config;
        this.keepBodies = keepBodies;
        this.output = output;
    }

    /** Transactions handed on so far. */
    long transactions() {
        return transactions;
    }

    /** Flows that carried any bytes, and so had a parser. */
    int flowsParsed;

    /** One flow's parser and the transactions it has not finished with yet. */
    private final class Connection implements HttpListener {
        final Flow flow;
        final HttpParser parser;
        final TreeMap<Long, HttpTransaction> open = new TreeMap<>();
        final boolean[] ended = new boolean[2];

        Connection(Flow flow) {
            this.flow = flow;
            this.parser = new HttpParser(config, this);
        }

        void end(int dir) {
            if (!ended[dir]) {
                ended[dir] = true;
                parser.end(dir);
            }
        }

        private void seen(HttpTransaction tx) {
            open.putIfAbsent(tx.index(), tx);
        }

        @Override
        public void requestHeaders(HttpTransaction tx) {
            seen(tx);
        }

        @Override
        public void requestBody(HttpTransaction tx) {
            seen(tx);
        }

        @Override
        public void requestComplete(HttpTransaction tx) {
            seen(tx);
        }

        @Override
        public void responseHeaders(HttpTransaction tx) {
            seen(tx);
        }

        @Override
        public void responseBody(HttpTransaction tx) {
            seen(tx);
        }

        @Override
        public void responseComplete(HttpTransaction tx) {
            seen(tx);
        }

        @Override
        public void event(HttpTransaction txOrNull, HttpEvent event) {
            output.event(flow, txOrNull == null ? -1 : txOrNull.index(), flow.lastSeen(), event);
        }

        @Override
        public void transactionDone(HttpTransaction tx) {
            // The parser may reuse tx after this returns: take what is needed now. Earlier ones still open (a
            // transaction can only be done after those before it) are handed on first, to keep the order.
            while (!open.isEmpty() && open.firstKey() < tx.index()) {
                hand(open.pollFirstEntry().getValue());
            }
            open.remove(tx.index());
            hand(tx);
        }

        void hand(HttpTransaction tx) {
            transactions++;
            output.transaction(flow, snapshot(tx, flow.lastSeen()));
        }

        /** The flow ended: end both directions, then hand on what never completed. */
        void finish() {
            end(0);
            end(1);
            while (!open.isEmpty()) {
                hand(open.pollFirstEntry().getValue());
            }
        }
    }

    private Tx snapshot(HttpTransaction t, long time) {
        return new Tx(t.index(), time, t.method(), t.uri(), t.uriRaw(), t.protocol(), t.host(), t.userAgent(),
                t.referer(), t.requestContentType(), t.status(), t.statusMessage(), t.responseContentType(),
                t.location(), t.requestBodyLength(), t.responseBodyLength(),
                keepBodies ? body(t, HttpBuffer.REQUEST_BODY, 0) : null,
                keepBodies ? body(t, HttpBuffer.RESPONSE_BODY, 1) : null, t.requestComplete(), t.responseComplete());
    }

    private static byte[] body(HttpTransaction t, HttpBuffer b, int dir) {
        Slice s = new Slice();
        return t.fill(b, dir, s) ? Arrays.copyOfRange(s.array, s.offset, s.offset + s.length) : new byte[0];
    }

    private Connection connection(Flow flow) {
        return connections.computeIfAbsent(flow, f -> {
            flowsParsed++;
            return new Connection(f);
        });
    }

    @Override
    public void data(Flow flow, int direction, long offset, byte[] data, int from, int length) {
        Connection c = connection(flow);
        if (!c.ended[direction]) {
            c.parser.data(direction, data, from, length);
        }
    }

    @Override
    public void gap(Flow flow, int direction, long offset, long length) {
        Connection c = connection(flow);
        if (!c.ended[direction]) {
            c.parser.gap(direction, length);
        }
    }

    @Override
    public void event(Flow flow, int direction, StreamEvent event, long offset) {
        Connection c = connections.get(flow);
        if (c == null) {
            return;
        }
        // FIN comes after the direction's last byte; an RST comes before reassembly flushes what it holds, so the
        // flow's end, not the RST, ends its parser.
        if (event == StreamEvent.FIN) {
            c.end(direction);
        }
    }

    /** The flow ended (expired, evicted, or the captures' end). */
    void end(Flow flow) {
        Connection c = connections.remove(flow);
        if (c != null) {
            c.finish();
        }
    }
}
