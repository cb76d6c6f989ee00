package io.judo.engine.detect;

import io.judo.applayer.AppProto;
import io.judo.applayer.ProtocolDetection;
import io.judo.applayer.http.HttpConfig;
import io.judo.applayer.http.HttpEvent;
import io.judo.applayer.http.HttpListener;
import io.judo.applayer.http.HttpParser;
import io.judo.applayer.http.HttpTransaction;
import io.judo.reassembly.Flow;
import io.judo.reassembly.FlowSlot;
import io.judo.reassembly.FlowSlots;

/**
 * A flow path's application layer: per TCP flow, protocol detection on the first in-order bytes of either direction,
 * then the protocol's parser (HTTP/1.x) over every later byte; the parser's transactions, as they progress, go to
 * the subscribers (the Suricata stage's HTTP hook, EVE {@code http} records, {@code judo http}). It hears the stream
 * after the listeners registered before it, so the stream hook sees a chunk before the transaction it completes.
 * Never throws on traffic: parsers turn bad input into events. Not thread-safe: one per flow path.
 */
public final class AppLayer implements FlowPath.StreamListener {
    /** How far a transaction got; request stages are direction 0 (to the server), response stages direction 1. */
    public enum HttpProgress {
        REQUEST_HEADERS(0), REQUEST_BODY(0), REQUEST_COMPLETE(0), RESPONSE_HEADERS(1), RESPONSE_BODY(1),
        RESPONSE_COMPLETE(1),
        /** Both sides are complete (or the flow ended): the last call for the transaction. */
        DONE(-1);

        private final int direction;

        HttpProgress(int direction) {
            this.direction = direction;
        }

        /** 0 for the request side, 1 for the response side, -1 for {@link #DONE}. */
        public int direction() {
            return direction;
        }
    }

    /** Hears transactions; called on the packet thread, inside the stream callback that completed the progress. */
    public interface Transactions {
        /** Transaction {@code tx} of HTTP flow {@code f} reached {@code progress}; {@code tx} is valid during the call. */
        void http(Flow f, HttpTransaction tx, HttpProgress progress);

        /** An HTTP anomaly in {@code f}, of transaction {@code tx} (null when it belongs to none). */
        default void httpEvent(Flow f, HttpTransaction tx, HttpEvent event) {
        }
    }

    /** Bytes of a direction kept while detection needs more of them; a longer start that decides nothing fails. */
    static final int DETECTION_BYTES = 512;

    private final FlowSlot<State> slot;
    private HttpConfig config = HttpConfig.defaults();
    private Transactions[] subscribers = new Transactions[0];
    private long httpFlows;
    private long failedFlows;
    private long transactions;
    private final long[] events = new long[HttpEvent.values().length];

    AppLayer(FlowSlots slots) {
        this.slot = slots.allocate(State.class, "application layer");
    }

    /** Adds a subscriber; subscribers hear transactions in the order they were added. */
    public void subscribe(Transactions t) {
        Transactions[] more = java.util.Arrays.copyOf(subscribers, subscribers.length + 1);
        more[subscribers.length] = t;
        subscribers = more;
    }

    /** The HTTP parser's limits for flows that start after this call. */
    public void httpConfig(HttpConfig c) {
        this.config = c;
    }

    /** The protocol detected on {@code f}: UNKNOWN while detection needs more bytes (or the flow has none). */
    public AppProto protocol(Flow f) {
        State s = f == null ? null : slot.get(f);
        return s == null ? AppProto.UNKNOWN : s.proto;
    }

    @Override
    public void data(Flow f, int dir, long offset, byte[] bytes, int from, int length) {
        if (subscribers.length == 0 || length <= 0) {
            return;
        }
        State s = slot.get(f, State::new);
        if (s.flow == null) {
            s.flow = f;
        }
        switch (s.proto) {
            case HTTP -> s.http.data(dir, bytes, from, length);
            case FAILED -> { }
            default -> detect(s, dir, bytes, from, length);
        }
    }

    /** Offers the direction's first bytes to detection; once HTTP is decided the parser gets every byte so far. */
    private void detect(State s, int dir, byte[] bytes, int from, int length) {
        AppProto p = s.detection.offer(dir, bytes, from, length);
        if (p == AppProto.UNKNOWN) {
            s.keep(dir, bytes, from, length);
            if (s.kept(0) + s.kept(1) >= 2 * DETECTION_BYTES) {
                fail(s);
            }
            return;
        }
        if (p != AppProto.HTTP) {
            fail(s);
            return;
        }
        s.proto = AppProto.HTTP;
        httpFlows++;
        s.http = new HttpParser(config, s);
        for (int d = 0; d < 2; d++) {
            if (s.kept(d) > 0) {
                s.http.data(d, s.start[d], 0, s.kept(d));
            }
        }
        s.start = null;
        s.http.data(dir, bytes, from, length);
    }

    private void fail(State s) {
        s.proto = AppProto.FAILED;
        s.start = null;
        failedFlows++;
    }

    @Override
    public void gap(Flow f, int dir, long offset, long length) {
        State s = slot.get(f);
        if (s != null && s.http != null) {
            s.http.gap(dir, length);
        }
    }

    @Override
    public void ended(Flow f, int dir) {
        State s = slot.get(f);
        if (s != null && s.http != null && !s.ended[dir]) {
            s.ended[dir] = true;
            s.http.end(dir);
        }
    }

    @Override
    public void closed(Flow f) {
        ended(f, 0);
        ended(f, 1);
    }

    /**
     * The HTTP events transaction {@code tx} of {@code f} raised so far, as bits by {@link HttpEvent#ordinal()} (the
     * {@code app-layer-event} keyword reads them while the transaction is inspected); 0 when none.
     */
    public long events(Flow f, HttpTransaction tx) {
        State s = f == null ? null : slot.get(f);
        if (s == null || s.txEvents == null) {
            return 0;
        }
        long[] m = s.txEvents.get(tx);
        return m == null ? 0 : m[0];
    }

    /** Flows detected as HTTP. */
    public long httpFlows() {
        return httpFlows;
    }

    /** Flows whose first bytes were no protocol the layer knows. */
    public long failedFlows() {
        return failedFlows;
    }

    /** HTTP transactions completed (or ended with their flow). */
    public long transactions() {
        return transactions;
    }

    /** HTTP anomalies, indexed by {@link HttpEvent#ordinal()}. */
    public long[] events() {
        return events;
    }

    /** One flow's detection and parser; it is the parser's listener, forwarding to the layer's subscribers. */
    final class State implements HttpListener {
        Flow flow;
        AppProto proto = AppProto.UNKNOWN;
        final ProtocolDetection detection = new ProtocolDetection();
        HttpParser http;
        final boolean[] ended = new boolean[2];
        /** Events per open transaction that raised any (rare: allocated on the first). */
        java.util.IdentityHashMap<HttpTransaction, long[]> txEvents;
        /** Per direction, the bytes offered to detection so far (null once decided). */
        byte[][] start = new byte[2][];
        private final int[] startLength = new int[2];

        int kept(int dir) {
            return start == null ? 0 : startLength[dir];
        }

        void keep(int dir, byte[] b, int from, int length) {
            byte[] k = start[dir];
            int n = startLength[dir];
            if (k == null || k.length < n + length) {
                k = java.util.Arrays.copyOf(k == null ? new byte[0] : k, Math.max(64, n + length));
                start[dir] = k;
            }
            System.arraycopy(b, from, k, n, length);
            startLength[dir] = n + length;
        }

        private void tell(HttpTransaction tx, HttpProgress p) {
            for (Transactions t : subscribers) {
                t.http(flow, tx, p);
            }
        }

        @Override
        public void requestHeaders(HttpTransaction tx) {
            tell(tx, HttpProgress.REQUEST_HEADERS);
        }

        @Override
        public void requestBody(HttpTransaction tx) {
            tell(tx, HttpProgress.REQUEST_BODY);
        }

        @Override
        public void requestComplete(HttpTransaction tx) {
            tell(tx, HttpProgress.REQUEST_COMPLETE);
        }

        @Override
        public void responseHeaders(HttpTransaction tx) {
            tell(tx, HttpProgress.RESPONSE_HEADERS);
        }

        @Override
        public void responseBody(HttpTransaction tx) {
            tell(tx, HttpProgress.RESPONSE_BODY);
        }

        @Override
        public void responseComplete(HttpTransaction tx) {
            tell(tx, HttpProgress.RESPONSE_COMPLETE);
        }

        @Override
        public void transactionDone(HttpTransaction tx) {
            transactions++;
            tell(tx, HttpProgress.DONE);
            if (txEvents != null) {
                txEvents.remove(tx); // the parser reuses the object for a later transaction
            }
        }

        @Override
        public void event(HttpTransaction tx, HttpEvent e) {
            events[e.ordinal()]++;
            if (tx != null) {
                if (txEvents == null) {
                    txEvents = new java.util.IdentityHashMap<>();
                }
                txEvents.computeIfAbsent(tx, k -> new long[1])[0] |= 1L << e.ordinal();
            }
            for (Transactions t : subscribers) {
                t.httpEvent(flow, tx, e);
            }
        }
    }
}
