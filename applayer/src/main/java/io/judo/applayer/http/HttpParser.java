package io.judo.applayer.http;

import io.judo.applayer.ByteBuilder;
import io.judo.applayer.ProtocolDetection;

/**
 * The HTTP/1.x parser of one TCP connection, both directions, streaming: bytes arrive in any pieces and the result
 * is the same as for the whole stream (the parser copies what it keeps, so callers' bytes are read only during
 * the call). Requests and responses are paired in order into transactions (pipelining); 1xx responses before the
 * final one are skipped; HEAD, 204 and 304 have no body; a 2xx answer to CONNECT and a 101 end parsing (the rest is
 * a tunnel). Bodies are framed by Transfer-Encoding chunked (which wins over Content-Length, as in libhtp),
 * Content-Length, or the end of the response direction, and decoded from gzip/deflate layers. A gap inside a
 * counted body is skipped; elsewhere the parser skips to the next line that starts a message. Nothing here throws
 * on traffic: anomalies are {@link HttpEvent}s and states. See applayer/DESIGN.md for the readings chosen where
 * implementations differ.
 */
public final class HttpParser {
    private static final int IDLE = 0;
    private static final int START_LINE = 1;
    private static final int HEADERS = 2;
    private static final int BODY_LENGTH = 3;
    private static final int CHUNK_SIZE = 4;
    private static final int CHUNK_DATA = 5;
    private static final int CHUNK_DATA_END = 6;
    private static final int TRAILERS = 7;
    private static final int BODY_CLOSE = 8;
    private static final int SKIP = 9;
    private static final int AFTER_CONNECT = 10;
    private static final int TUNNEL = 11;

    private static final byte[] CHUNKED = "chunked".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int PROBE = 16;

    private final HttpConfig config;
    private final HttpListener listener;
    private final Direction req = new Direction(true);
    private final Direction resp = new Direction(false);
    private TxRing open;
    private TxRing pool;
    private ByteBuilder scratch;
    private int[] codings;
    private long nextIndex;
    private boolean sawRequest;

    /**
     * @param config limits
     * @param listener receives transactions and events
     */
    public HttpParser(HttpConfig config, HttpListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /**
     * In-order stream bytes of one direction.
     *
     * @param dir 0 client to server, 1 server to client
     * @param b the bytes, valid only during the call
     * @param off first byte
     * @param len number of bytes
     */
    public void data(int dir, byte[] b, int off, int len) {
        Direction d = dir == 0 ? req : resp;
        if (d.ended || len <= 0) {
            return;
        }
        int end = off + len;
        int i = off;
        while (i < end) {
            i = d.step(b, i, end);
        }
        d.flushBody();
    }

    /**
     * Bytes lost in a direction (a hole in reassembly).
     *
     * @param dir the direction
     * @param length how many bytes are missing
     */
    public void gap(int dir, long length) {
        Direction d = dir == 0 ? req : resp;
        if (d.ended || length <= 0) {
            return;
        }
        d.gap(length);
    }

    /**
     * A direction closed (FIN, RST, timeout or end of capture): a close-delimited body ends; an unfinished message
     * is completed as far as it got; after the server's side closes, requests left unanswered are closed.
     *
     * @param dir the direction
     */
    public void end(int dir) {
        Direction d = dir == 0 ? req : resp;
        if (d.ended) {
            return;
        }
        d.finish();
        d.ended = true;
        if (open == null) {
            return;
        }
        if (dir == 1 || req.ended && resp.ended) {
            HttpTransaction[] left = new HttpTransaction[open.size()];
            for (int i = 0; i < left.length; i++) {
                left[i] = open.get(i);
            }
            for (HttpTransaction t : left) {
                if (!t.response.complete && t != resp.tx) {
                    t.response.complete = true;
                }
                if (req.ended && resp.ended && t != req.tx) {
                    t.request.complete = true;
                }
                maybeDone(t);
            }
        }
    }

    /**
     * Drops the transactions kept for reuse (and their buffers): for a connection gone idle, so it costs only the
     * parser's fixed fields until traffic resumes.
     */
    public void trim() {
        if (pool != null) {
            while (pool.poll() != null) {
                // dropped: the garbage collector takes their buffers
            }
        }
        scratch = null;
    }

    /** @return transactions created so far on this connection */
    public long transactions() {
        return nextIndex;
    }

    /** @return heap bytes this parser holds beyond its fixed fields (buffers of open and pooled transactions) */
    public long retainedBytes() {
        long n = 0;
        for (TxRing r : new TxRing[] {open, pool}) {
            if (r != null) {
                for (int i = 0; i < r.size(); i++) {
                    n += r.get(i).retainedBytes();
                }
                n += 16L + 4L * r.capacity();
            }
        }
        return n + (scratch == null ? 0 : scratch.capacity());
    }

    // ---- transactions ----

    private HttpTransaction newTransaction() {
        if (open == null) {
            open = new TxRing();
            pool = new TxRing();
        }
        HttpTransaction t = pool.poll();
        if (t == null) {
            t = new HttpTransaction();
        }
        t.reset(nextIndex++);
        t.decodeU = config.decodeUEncoding();
        open.add(t);
        if (open.size() > config.maxOpenTransactions()) {
            evictUnanswered();
        }
        return t;
    }

    /** Too many requests without responses: the oldest one not being answered is closed without a response. */
    private void evictUnanswered() {
        for (int i = 0; i < open.size(); i++) {
            HttpTransaction t = open.get(i);
            if (!t.responseStarted && t != req.tx && t.request.complete) {
                t.response.complete = true;
                maybeDone(t);
                return;
            }
        }
    }

    private HttpTransaction awaitingResponse() {
        if (open == null) {
            return null;
        }
        for (int i = 0; i < open.size(); i++) {
            HttpTransaction t = open.get(i);
            if (!t.responseStarted && t.request.present) {
                return t;
            }
        }
        return null;
    }

    private void maybeDone(HttpTransaction t) {
        if (t.requestComplete() && t.response.complete && t != req.tx && t != resp.tx && open.remove(t)) {
            listener.transactionDone(t);
            if (pool.size() < config.transactionPool()) {
                pool.add(t);
            }
        }
    }

    private void tunnel() {
        req.enterTunnel();
        resp.enterTunnel();
    }

    private ByteBuilder scratch() {
        if (scratch == null) {
            scratch = new ByteBuilder();
        }
        scratch.clear();
        return scratch;
    }

    private static boolean ws(byte c) {
        return c == ' ' || c == '\t';
    }

    /** One direction's parsing state. */
    private final class Direction implements ContentDecoder.Sink {
        final boolean request;
        int state = IDLE;
        HttpTransaction tx;
        HttpMessage msg;
        long remaining;
        int lineStart;
        int lineBytes;
        boolean lineContent;
        boolean lineDropped;
        int pending = -1;
        boolean tooMany;
        boolean bodyGrew;
        boolean ended;
        boolean seenContinue;
        ContentDecoder decoder;
        boolean decoding;
        boolean failedReported;
        boolean bombReported;
        long chunkSize;
        int chunkPhase;
        int chunkDigits;
        boolean chunkBad;
        byte[] probe;
        int probeLen;
        boolean probeReject;

        Direction(boolean request) {
            this.request = request;
        }

        void event(HttpEvent e) {
            listener.event(tx, e);
        }

        HttpEvent pick(HttpEvent forRequest, HttpEvent forResponse) {
            return request ? forRequest : forResponse;
        }

        int step(byte[] b, int i, int end) {
            switch (state) {
                case IDLE -> {
                    byte c = b[i];
                    if (c == '\r' || c == '\n') {
                        return i + 1; // empty lines between messages are tolerated
                    }
                    begin();
                    return i;
                }
                case START_LINE, HEADERS -> {
                    return line(b, i, end);
                }
                case BODY_LENGTH -> {
                    int n = (int) Math.min(remaining, end - i);
                    body(b, i, n);
                    remaining -= n;
                    if (remaining == 0) {
                        messageDone();
                    }
                    return i + n;
                }
                case CHUNK_SIZE -> {
                    return chunkSize(b, i, end);
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    body(b, i, n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = CHUNK_DATA_END;
                    }
                    return i + n;
                }
                case CHUNK_DATA_END -> {
                    byte c = b[i];
                    if (c == '\r') {
                        return i + 1;
                    }
                    startChunkLine();
                    state = CHUNK_SIZE;
                    // a missing line end after the data: the byte starts the next size line (lenient, as servers)
                    return c == '\n' ? i + 1 : i;
                }
                case TRAILERS -> {
                    for (int k = i; k < end; k++) {
                        byte c = b[k];
                        if (c == '\n') {
                            if (!lineContent) {
                                messageDone();
                                return k + 1;
                            }
                            lineContent = false;
                        } else if (c != '\r') {
                            lineContent = true;
                        }
                    }
                    return end;
                }
                case BODY_CLOSE -> {
                    body(b, i, end - i);
                    return end;
                }
                case SKIP, AFTER_CONNECT -> {
                    return probe(b, i, end);
                }
                default -> {
                    return end; // TUNNEL: not HTTP any more
                }
            }
        }

        /** Starts a message at the current byte. */
        void begin() {
            if (request) {
                tx = newTransaction();
                msg = tx.request;
                sawRequest = true;
            } else {
                if (tx == null) {
                    tx = awaitingResponse();
                    if (tx == null) {
                        boolean unmatched = sawRequest;
                        tx = newTransaction();
                        if (unmatched) {
                            event(HttpEvent.UNABLE_TO_MATCH_RESPONSE_TO_REQUEST);
                        }
                    }
                    tx.responseStarted = true;
                }
                msg = tx.response;
                msg.reset();
                if (tx.request.present && tx.request.lineEnd > 0 && tx.request.p3Len == 0) {
                    // an HTTP/0.9 request: the response is the body, without status line, to the end
                    msg.present = true;
                    msg.headersDone = true;
                    listener.responseHeaders(tx);
                    startDecoder();
                    state = BODY_CLOSE;
                    return;
                }
            }
            msg.present = true;
            startLine();
            state = START_LINE;
        }

        void startLine() {
            lineStart = msg.head.len;
            lineBytes = 0;
            lineContent = false;
            lineDropped = false;
        }

        /** Collects a start or header line; at its end processes it. */
        int line(byte[] b, int i, int end) {
            int k = i;
            while (k < end && b[k] != '\n') {
                if (b[k] != '\r') {
                    lineContent = true;
                }
                k++;
            }
            boolean complete = k < end;
            int n = (complete ? k + 1 : k) - i;
            store(b, i, n);
            if (complete) {
                onLine();
            }
            return i + n;
        }

        void store(byte[] b, int off, int n) {
            lineBytes += n;
            int room = Math.min(config.fieldLimit() - (msg.head.len - lineStart),
                config.headerBlockLimit() - msg.head.len);
            if (n > room) {
                if (!lineDropped) {
                    lineDropped = true;
                    event(pick(HttpEvent.REQUEST_FIELD_TOO_LONG, HttpEvent.RESPONSE_FIELD_TOO_LONG));
                }
                n = Math.max(0, room);
            }
            msg.head.add(b, off, n);
        }

        int contentEnd(int from, int to) {
            byte[] a = msg.head.a;
            while (to > from && (a[to - 1] == '\n' || a[to - 1] == '\r')) {
                to--;
            }
            return to;
        }

        void onLine() {
            if (state == START_LINE) {
                if (!lineContent) {
                    msg.head.len = lineStart; // an empty line before the start line
                    startLine();
                    return;
                }
                startLineDone();
                return;
            }
            if (!lineContent) {
                flushPending(lineStart);
                msg.headEnd = msg.head.len;
                headersDone();
                return;
            }
            byte first = msg.head.len > lineStart ? msg.head.a[lineStart] : (byte) 'x';
            if (ws(first)) {
                if (pending < 0) {
                    event(pick(HttpEvent.INVALID_REQUEST_FIELD_FOLDING, HttpEvent.INVALID_RESPONSE_FIELD_FOLDING));
                    pending = lineStart;
                }
            } else {
                flushPending(lineStart);
                pending = lineStart;
            }
            startLine();
        }

        void startLineDone() {
            int le = contentEnd(lineStart, msg.head.len);
            if (request) {
                parseRequestLine(le);
            } else {
                parseStatusLine(le);
                if (msg.status < 0 && state != START_LINE) {
                    return;
                }
            }
            msg.headerStart = msg.head.len;
            if (request && msg.p3Len == 0) {
                // HTTP/0.9: no headers, no body
                msg.headEnd = msg.head.len;
                msg.headersDone = true;
                listener.requestHeaders(tx);
                messageDone();
                return;
            }
            if (!request && msg.status < 0) {
                return;
            }
            pending = -1;
            tooMany = false;
            state = HEADERS;
            startLine();
        }

        void parseRequestLine(int le) {
            byte[] a = msg.head.a;
            int s = 0;
            while (s < le && ws(a[s])) {
                s++;
            }
            if (s > 0) {
                event(HttpEvent.REQUEST_LINE_LEADING_WHITESPACE);
            }
            int e = s;
            while (e < le && !ws(a[e])) {
                e++;
            }
            msg.p1Off = s;
            msg.p1Len = e - s;
            int u = e;
            while (u < le && ws(a[u])) {
                u++;
            }
            if (u - e > 1 || u > e && a[e] == '\t') {
                event(HttpEvent.METHOD_DELIM_NON_COMPLIANT);
            }
            int t = le;
            while (t > u && ws(a[t - 1])) {
                t--;
            }
            // the protocol is the last word when it starts with "HTTP/"; a target may then hold spaces
            int ps = t;
            while (ps > u && !ws(a[ps - 1])) {
                ps--;
            }
            boolean hasProto = ps > u && t - ps >= 5 && a[ps] == 'H' && a[ps + 1] == 'T' && a[ps + 2] == 'T'
                && a[ps + 3] == 'P' && a[ps + 4] == '/';
            int ue = hasProto ? ps : t;
            if (hasProto) {
                while (ue > u && ws(a[ue - 1])) {
                    ue--;
                }
                if (ps - ue > 1) {
                    event(HttpEvent.URI_DELIM_NON_COMPLIANT);
                }
            }
            msg.p2Off = u;
            msg.p2Len = ue - u;
            msg.p3Off = hasProto ? ps : t;
            msg.p3Len = hasProto ? t - ps : 0;
            msg.lineEnd = le;
            if (msg.p1Len == 0 || msg.p2Len == 0) {
                event(HttpEvent.REQUEST_LINE_INVALID);
            } else if (UriNormalizer.invalidEncoding(a, msg.p2Off, msg.p2Len, config.decodeUEncoding())) {
                event(HttpEvent.URI_INVALID_ENCODING);
            }
        }

        void parseStatusLine(int le) {
            byte[] a = msg.head.a;
            msg.lineEnd = le;
            int s = 0;
            while (s < le && ws(a[s])) {
                s++;
            }
            boolean http = le - s >= 5 && a[s] == 'H' && a[s + 1] == 'T' && a[s + 2] == 'T' && a[s + 3] == 'P'
                && a[s + 4] == '/';
            if (!http) {
                // not a status line: what follows is read as a body to the end (libhtp's HTTP/0.9 reading)
                event(HttpEvent.RESPONSE_INVALID_PROTOCOL);
                msg.status = -1;
                msg.lineEnd = 0;
                msg.headersDone = true;
                int n = msg.head.len;
                msg.head.len = 0;
                listener.responseHeaders(tx);
                startDecoder();
                state = BODY_CLOSE;
                ByteBuilder sc = scratch();
                sc.add(msg.head.a, 0, n);
                body(sc.a, 0, n);
                return;
            }
            int e = s;
            while (e < le && !ws(a[e])) {
                e++;
            }
            msg.p1Off = s;
            msg.p1Len = e - s;
            int c = e;
            while (c < le && ws(a[c])) {
                c++;
            }
            int ce = c;
            while (ce < le && !ws(a[ce])) {
                ce++;
            }
            msg.p2Off = c;
            msg.p2Len = ce - c;
            int m = ce;
            while (m < le && ws(a[m])) {
                m++;
            }
            msg.p3Off = m;
            msg.p3Len = le - m;
            int status = -1;
            if (ce - c == 3) {
                status = 0;
                for (int k = c; k < ce; k++) {
                    int d = a[k] - '0';
                    if (d < 0 || d > 9) {
                        status = -1;
                        break;
                    }
                    status = status * 10 + d;
                }
            }
            if (status < 100) {
                event(HttpEvent.RESPONSE_INVALID_STATUS);
                status = status < 0 ? 0 : status;
            }
            msg.status = status;
        }

        /** Processes the header held in head[pending, to) (its folded continuation lines included). */
        void flushPending(int to) {
            int from = pending;
            pending = -1;
            if (from < 0 || to <= from) {
                return;
            }
            HeaderTable h = msg.headers;
            if (h.count >= config.maxHeaders()) {
                if (!tooMany) {
                    tooMany = true;
                    event(pick(HttpEvent.REQUEST_TOO_MANY_HEADERS, HttpEvent.RESPONSE_TOO_MANY_HEADERS));
                }
                return;
            }
            byte[] a = msg.head.a;
            int firstEnd = from;
            while (firstEnd < to && a[firstEnd] != '\n') {
                firstEnd++;
            }
            int nextLine = Math.min(to, firstEnd + 1);
            int le = contentEnd(from, firstEnd);
            int colon = from;
            while (colon < le && a[colon] != ':') {
                colon++;
            }
            int nameEnd;
            int vs;
            if (colon >= le) {
                event(pick(HttpEvent.REQUEST_FIELD_MISSING_COLON, HttpEvent.RESPONSE_FIELD_MISSING_COLON));
                nameEnd = le;
                vs = le;
            } else {
                nameEnd = colon;
                vs = colon + 1;
            }
            int ns = from;
            while (ns < nameEnd && ws(a[ns])) {
                ns++;
            }
            int ne = nameEnd;
            while (ne > ns && ws(a[ne - 1])) {
                ne--;
            }
            if (ne < nameEnd || ne == ns) {
                // whitespace before the colon, or no name: kept trimmed, as libhtp does, and reported
                event(pick(HttpEvent.REQUEST_HEADER_INVALID, HttpEvent.RESPONSE_HEADER_INVALID));
            }
            while (vs < le && ws(a[vs])) {
                vs++;
            }
            int ve = le;
            while (ve > vs && ws(a[ve - 1])) {
                ve--;
            }
            boolean repeated;
            if (nextLine >= to) {
                repeated = h.add(a, ns, ne - ns, vs, ve - vs, 2 * config.headerBlockLimit());
            } else {
                // folded: the value's lines joined by one space each
                ByteBuilder v = scratch();
                v.add(a, vs, ve - vs);
                int ls = nextLine;
                while (ls < to) {
                    int lend = ls;
                    while (lend < to && a[lend] != '\n') {
                        lend++;
                    }
                    int cs = ls;
                    int cend = contentEnd(ls, lend);
                    while (cs < cend && ws(a[cs])) {
                        cs++;
                    }
                    while (cend > cs && ws(a[cend - 1])) {
                        cend--;
                    }
                    if (cend > cs) {
                        if (v.len > 0) {
                            v.add((byte) ' ');
                        }
                        v.add(a, cs, cend - cs);
                    }
                    ls = lend + 1;
                }
                int nameOff = v.len;
                v.add(a, ns, ne - ns);
                repeated = h.add(v.a, nameOff, ne - ns, 0, nameOff, 2 * config.headerBlockLimit());
            }
            if (repeated) {
                event(pick(HttpEvent.REQUEST_HEADER_REPETITION, HttpEvent.RESPONSE_HEADER_REPETITION));
            }
        }

        void headersDone() {
            msg.headersDone = true;
            HttpTransaction t = tx;
            HttpMessage m = msg;
            if (!request) {
                int status = m.status;
                if (status >= 100 && status < 200 && status != 101) {
                    // an interim response: skipped, the final one follows for the same request
                    if (status == 100 && seenContinue) {
                        event(HttpEvent.CONTINUE_100_ALREADY_SEEN);
                    }
                    seenContinue = status == 100 || seenContinue;
                    m.reset();
                    msg = null;
                    state = IDLE;
                    return;
                }
                seenContinue = false;
                boolean connect = t.request.present && isMethod(t.request, "CONNECT");
                if (status == 101 || connect && status >= 200 && status < 300) {
                    listener.responseHeaders(t);
                    messageDone();
                    tunnel();
                    return;
                }
                if (connect && req.state == AFTER_CONNECT) {
                    req.state = IDLE; // the proxy refused: the client may send more requests
                }
                boolean noBody = status == 204 || status == 304 || t.request.present && isMethod(t.request, "HEAD");
                listener.responseHeaders(t);
                if (noBody) {
                    messageDone();
                    return;
                }
            } else {
                hostChecks(m);
                listener.requestHeaders(t);
            }
            int te = m.header(HttpTransaction.H_TRANSFER_ENCODING);
            int cl = m.header(HttpTransaction.H_CONTENT_LENGTH);
            boolean chunked = false;
            HeaderTable h = m.headers;
            if (te >= 0) {
                chunked = hasToken(h.text.a, h.valOff[te], h.valLen[te], CHUNKED);
                boolean exact = h.valLen[te] == CHUNKED.length
                    && HeaderTable.equalsIgnoreCase(h.text.a, h.valOff[te], CHUNKED, 0, CHUNKED.length);
                if (!chunked) {
                    event(pick(HttpEvent.INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST,
                        HttpEvent.INVALID_TRANSFER_ENCODING_VALUE_IN_RESPONSE));
                } else if (!exact && !request) {
                    event(HttpEvent.RESPONSE_ABNORMAL_TRANSFER_ENCODING);
                }
                if (cl >= 0) {
                    event(HttpEvent.CONTENT_LENGTH_AND_TRANSFER_ENCODING);
                }
            }
            long length = -1;
            if (!chunked && cl >= 0) {
                length = contentLength(h.text.a, h.valOff[cl], h.valLen[cl]);
            }
            startDecoder();
            if (chunked) {
                if (!request && m.p1Len == 8 && m.head.a[m.p1Off + 7] == '0') {
                    event(HttpEvent.RESPONSE_CHUNKED_OLD_PROTO);
                }
                startChunkLine();
                state = CHUNK_SIZE;
            } else if (length > 0) {
                remaining = length;
                state = BODY_LENGTH;
            } else if (!request && length < 0) {
                state = BODY_CLOSE;
            } else {
                messageDone();
            }
        }

        /** MISSING_HOST_HEADER for HTTP/1.1 without Host; HOST_HEADER_AMBIGUOUS when an absolute URI names another. */
        void hostChecks(HttpMessage m) {
            int h = m.header(HttpTransaction.H_HOST);
            byte[] a = m.head.a;
            if (h < 0) {
                boolean v11 = m.p3Len == 8 && a[m.p3Off + 5] == '1' && a[m.p3Off + 7] != '0';
                if (v11 && UriNormalizer.authority(a, m.p2Off, m.p2Len) < 0) {
                    event(HttpEvent.MISSING_HOST_HEADER);
                }
                return;
            }
            long auth = UriNormalizer.authority(a, m.p2Off, m.p2Len);
            if (auth < 0) {
                return;
            }
            ByteBuilder x = scratch();
            int s = (int) (auth >>> 32);
            HttpTransaction.appendHost(a, s, (int) auth - s, x);
            int uriHostLen = x.len;
            HeaderTable t = m.headers;
            HttpTransaction.appendHost(t.text.a, t.valOff[h], t.valLen[h], x);
            if (x.len - uriHostLen != uriHostLen
                || !HeaderTable.equalsIgnoreCase(x.a, 0, x.a, uriHostLen, uriHostLen)) {
                event(HttpEvent.HOST_HEADER_AMBIGUOUS);
            }
        }

        /** @return the Content-Length, 0 when invalid (with an event); repeated equal values are accepted */
        long contentLength(byte[] a, int off, int len) {
            long value = -1;
            boolean dup = false;
            int i = off;
            int end = off + len;
            while (i < end) {
                while (i < end && (ws(a[i]) || a[i] == ',')) {
                    i++;
                }
                if (i >= end) {
                    break;
                }
                long v = 0;
                int digits = 0;
                while (i < end && a[i] >= '0' && a[i] <= '9') {
                    v = v * 10 + (a[i] - '0');
                    digits++;
                    i++;
                    if (v > (1L << 50)) {
                        digits = 0;
                        break;
                    }
                }
                while (i < end && ws(a[i])) {
                    i++;
                }
                if (digits == 0 || i < end && a[i] != ',') {
                    event(pick(HttpEvent.INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST,
                        HttpEvent.INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE));
                    return value >= 0 ? value : request ? 0 : -1;
                }
                if (value >= 0) {
                    dup = true;
                    if (v != value) {
                        event(pick(HttpEvent.INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST,
                            HttpEvent.INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE));
                        return value;
                    }
                }
                value = v;
            }
            if (dup) {
                event(pick(HttpEvent.DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST,
                    HttpEvent.DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE));
            }
            return value < 0 ? (request ? 0 : -1) : value;
        }

        void startDecoder() {
            decoding = false;
            failedReported = false;
            bombReported = false;
            if (request && !config.decompressRequests()) {
                return;
            }
            int ce = msg.header(HttpTransaction.H_CONTENT_ENCODING);
            if (ce < 0) {
                return;
            }
            HeaderTable h = msg.headers;
            byte[] a = h.text.a;
            int layers = config.decompressionLayers();
            if (codings == null) {
                codings = new int[Math.max(1, layers)];
            }
            int n = 0;
            boolean tooMany = false;
            boolean abnormal = false;
            int i = h.valOff[ce];
            int end = i + h.valLen[ce];
            while (i < end) {
                while (i < end && (ws(a[i]) || a[i] == ',')) {
                    i++;
                }
                int s = i;
                while (i < end && a[i] != ',' && !ws(a[i])) {
                    i++;
                }
                if (i == s) {
                    continue;
                }
                int coding = coding(a, s, i - s);
                if (coding < 0) {
                    abnormal = true;
                    continue;
                }
                if (coding == 0) {
                    continue;
                }
                if (n == layers) {
                    tooMany = true;
                    continue;
                }
                codings[n++] = coding;
            }
            if (abnormal) {
                event(HttpEvent.ABNORMAL_CE_HEADER);
            }
            if (tooMany) {
                event(HttpEvent.TOO_MANY_ENCODING_LAYERS);
            }
            if (n == 0 || abnormal) {
                return; // an unknown coding: the body is inspected as received
            }
            for (int x = 0, y = n - 1; x < y; x++, y--) {
                int t = codings[x];
                codings[x] = codings[y];
                codings[y] = t;
            }
            if (decoder == null) {
                decoder = new ContentDecoder(layers);
            }
            decoder.start(codings, n, config.bombLimit(), config.bombRatio(), config.decompressedLimit());
            decoding = true;
        }

        /** @return GZIP, DEFLATE, 0 for identity, -1 for a coding we do not decode */
        int coding(byte[] a, int s, int n) {
            if (eq(a, s, n, "gzip") || eq(a, s, n, "x-gzip")) {
                return ContentDecoder.GZIP;
            }
            if (eq(a, s, n, "deflate") || eq(a, s, n, "x-deflate")) {
                return ContentDecoder.DEFLATE;
            }
            if (eq(a, s, n, "identity")) {
                return 0;
            }
            return -1;
        }

        void body(byte[] b, int off, int n) {
            if (n <= 0) {
                return;
            }
            if (decoding) {
                decoder.write(b, off, n, this);
                if (decoder.failed && !failedReported) {
                    failedReported = true;
                    event(HttpEvent.GZIP_DECOMPRESSION_FAILED);
                }
                if (decoder.bomb && !bombReported) {
                    bombReported = true;
                    event(HttpEvent.COMPRESSION_BOMB);
                }
            } else {
                decoded(b, off, n);
            }
        }

        @Override
        public void decoded(byte[] b, int off, int n) {
            HttpMessage m = msg;
            m.bodyLength += n;
            int limit = request ? config.requestBodyLimit() : config.responseBodyLimit();
            int keep = Math.min(n, Math.max(0, limit - m.body.len));
            if (keep > 0) {
                m.body.add(b, off, keep);
                bodyGrew = true;
            }
        }

        void flushBody() {
            if (bodyGrew) {
                bodyGrew = false;
                if (request) {
                    listener.requestBody(tx);
                } else {
                    listener.responseBody(tx);
                }
            }
        }

        void startChunkLine() {
            chunkSize = 0;
            chunkPhase = 0;
            chunkDigits = 0;
            chunkBad = false;
            lineBytes = 0;
        }

        /** A chunk-size line: optional whitespace, hex digits (leading zeros allowed), whitespace, extensions. */
        int chunkSize(byte[] b, int i, int end) {
            for (int k = i; k < end; k++) {
                byte c = b[k];
                if (c == '\n') {
                    if (chunkDigits == 0 && !chunkBad && chunkPhase == 0) {
                        continue; // an empty line before the size: tolerated
                    }
                    if (chunkBad || chunkDigits == 0) {
                        badChunk();
                        return k + 1;
                    }
                    if (chunkSize == 0) {
                        lineContent = false;
                        state = TRAILERS;
                    } else {
                        remaining = chunkSize;
                        state = CHUNK_DATA;
                    }
                    return k + 1;
                }
                if (++lineBytes > config.fieldLimit()) {
                    chunkBad = true;
                }
                if (chunkPhase == 3 || chunkBad) {
                    continue;
                }
                int d = Character.digit(c, 16);
                if (chunkPhase <= 1 && d >= 0) {
                    chunkPhase = 1;
                    if (chunkSize > (1L << 40)) {
                        chunkBad = true;
                    }
                    chunkSize = chunkSize * 16 + d;
                    chunkDigits++;
                } else if (c == ';' && chunkPhase >= 1) {
                    chunkPhase = 3;
                } else if (ws(c) || c == '\r') {
                    if (chunkPhase == 1) {
                        chunkPhase = 2;
                    }
                } else {
                    chunkBad = true;
                }
            }
            return end;
        }

        void badChunk() {
            event(pick(HttpEvent.INVALID_REQUEST_CHUNK_LEN, HttpEvent.INVALID_RESPONSE_CHUNK_LEN));
            if (request) {
                msg.truncated = true;
                messageDone();
                resync();
            } else {
                state = BODY_CLOSE; // libhtp reads the rest as the body, to the end of the connection
            }
        }

        void messageDone() {
            flushBody();
            HttpTransaction t = tx;
            msg.complete = true;
            boolean wasConnect = request && isMethod(msg, "CONNECT");
            tx = null;
            msg = null;
            state = wasConnect ? AFTER_CONNECT : IDLE;
            probeLen = 0;
            probeReject = false;
            if (request) {
                listener.requestComplete(t);
            } else {
                listener.responseComplete(t);
            }
            if (state != TUNNEL) {
                maybeDone(t);
            }
        }

        void enterTunnel() {
            if (tx != null && msg != null && state != IDLE) {
                msg.truncated = true;
                messageDone();
            }
            state = TUNNEL;
        }

        void resync() {
            state = SKIP;
            probeLen = 0;
            probeReject = false;
        }

        /** SKIP / AFTER_CONNECT: looks for a line that starts a message; elsewhere bytes are dropped. */
        int probe(byte[] b, int i, int end) {
            if (probe == null) {
                probe = new byte[PROBE];
            }
            for (int k = i; k < end; k++) {
                byte c = b[k];
                if (c == '\n') {
                    probeLen = 0;
                    probeReject = false;
                    continue;
                }
                if (probeReject) {
                    continue;
                }
                if (probeLen == 0 && c == '\r') {
                    continue;
                }
                probe[probeLen++] = c;
                int v = probeLen == PROBE ? 2 : ProtocolDetection.judge(probe, 0, probeLen);
                if (v == 1 && (request || probe[0] == 'H')) {
                    begin();
                    store(probe, 0, probeLen);
                    lineContent = true;
                    probeLen = 0;
                    return k + 1;
                }
                if (v == 2 || v == 1) {
                    if (state == AFTER_CONNECT) {
                        state = TUNNEL; // the client talks through the tunnel before the proxy's answer
                        return end;
                    }
                    probeReject = true;
                }
            }
            return end;
        }

        void gap(long length) {
            event(HttpEvent.STREAM_GAP);
            switch (state) {
                case TUNNEL, SKIP, AFTER_CONNECT -> {
                    return;
                }
                case BODY_LENGTH, CHUNK_DATA -> {
                    if (length <= remaining) {
                        remaining -= length;
                        lostBody(length);
                        if (remaining == 0) {
                            if (state == BODY_LENGTH) {
                                messageDone();
                            } else {
                                state = CHUNK_DATA_END;
                            }
                        }
                        return;
                    }
                }
                case BODY_CLOSE -> {
                    lostBody(length);
                    return;
                }
                default -> {
                }
            }
            if (msg != null) {
                cut();
            }
            resync();
        }

        void lostBody(long length) {
            msg.truncated = true;
            if (decoding) {
                decoder.stop(); // the compressed stream cannot be resumed past lost bytes
            } else {
                msg.bodyLength += length;
            }
        }

        /** Completes the current message as far as it got (a gap or the end of the direction). */
        void cut() {
            if (state == START_LINE) {
                if (request) {
                    event(HttpEvent.REQUEST_LINE_INCOMPLETE);
                }
                startLineDone();
                if (msg == null || msg.complete) {
                    return;
                }
            }
            if (state == HEADERS) {
                flushPending(lineStart);
                msg.headEnd = msg.head.len;
                msg.headersDone = true;
                if (request) {
                    listener.requestHeaders(tx);
                } else {
                    listener.responseHeaders(tx);
                }
            }
            if (msg != null && !msg.complete) {
                msg.truncated = state != BODY_CLOSE;
                messageDone();
            }
        }

        void finish() {
            flushBody();
            if (msg != null && state != IDLE && state != TUNNEL && state != SKIP) {
                cut();
            }
            if (decoder != null) {
                decoder.close();
            }
        }
    }

    /** Methods are case-sensitive (RFC 9110 section 9.1). */
    private static boolean isMethod(HttpMessage m, String name) {
        if (m.p1Len != name.length()) {
            return false;
        }
        for (int i = 0; i < m.p1Len; i++) {
            if (m.head.a[m.p1Off + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** ASCII case-insensitive equality of a[s, s+n) and a lower-case literal. */
    private static boolean eq(byte[] a, int s, int n, String lower) {
        if (n != lower.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (HeaderTable.lower(a[s + i]) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a comma-separated list holds a token, case-insensitive ("chunked, identity" holds "chunked"). */
    private static boolean hasToken(byte[] a, int off, int len, byte[] token) {
        int i = off;
        int end = off + len;
        while (i < end) {
            while (i < end && (ws(a[i]) || a[i] == ',')) {
                i++;
            }
            int s = i;
            while (i < end && a[i] != ',') {
                i++;
            }
            int e = i;
            while (e > s && ws(a[e - 1])) {
                e--;
            }
            if (e - s == token.length && HeaderTable.equalsIgnoreCase(a, s, token, 0, token.length)) {
                return true;
            }
        }
        return false;
    }
}
