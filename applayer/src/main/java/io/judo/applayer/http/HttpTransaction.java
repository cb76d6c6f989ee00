package io.judo.applayer.http;

import io.judo.applayer.ByteBuilder;
import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;

/**
 * One request and its response. Buffers come out through {@link #fill} as slices over the transaction's own
 * storage, computed on first use and cached (no allocation once the storage has grown); the String accessors are
 * for EVE and {@code judo http} and allocate. A transaction is reused by its parser after
 * {@link HttpListener#transactionDone}.
 */
public final class HttpTransaction {
    static final byte[] H_HOST = lower("host");
    static final byte[] H_USER_AGENT = lower("user-agent");
    static final byte[] H_REFERER = lower("referer");
    static final byte[] H_CONTENT_TYPE = lower("content-type");
    static final byte[] H_CONTENT_LENGTH = lower("content-length");
    static final byte[] H_TRANSFER_ENCODING = lower("transfer-encoding");
    static final byte[] H_CONTENT_ENCODING = lower("content-encoding");
    static final byte[] H_COOKIE = lower("cookie");
    static final byte[] H_SET_COOKIE = lower("set-cookie");
    static final byte[] H_ACCEPT = lower("accept");
    static final byte[] H_ACCEPT_ENCODING = lower("accept-encoding");
    static final byte[] H_ACCEPT_LANGUAGE = lower("accept-language");
    static final byte[] H_CONNECTION = lower("connection");
    static final byte[] H_LOCATION = lower("location");
    static final byte[] H_SERVER = lower("server");
    static final byte[] H_CONTENT_DISPOSITION = lower("content-disposition");

    final HttpMessage request = new HttpMessage();
    final HttpMessage response = new HttpMessage();
    long index;
    /** The response side has begun (its parser owns the transaction). */
    boolean responseStarted;
    /** Whether %u is decoded in the path (the parser's configuration). */
    boolean decodeU = true;
    private final Slice scratch = new Slice();

    private static byte[] lower(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    void reset(long newIndex) {
        request.reset();
        response.reset();
        index = newIndex;
        responseStarted = false;
    }

    /** @return this transaction's 0-based position in its connection */
    public long index() {
        return index;
    }

    /** @return whether the request is complete (true also when there was none: a connection picked up mid-response) */
    public boolean requestComplete() {
        return request.complete || !request.present && response.present;
    }

    /** @return whether the response is complete */
    public boolean responseComplete() {
        return response.complete;
    }

    /** @return whether this transaction has a request (false when the connection was picked up mid-response) */
    public boolean hasRequest() {
        return request.present;
    }

    /**
     * Whether side {@code dir} (0 the request, 1 the response) has all its headers: its start line and header
     * buffers no longer change (trailers are not added to them).
     */
    public boolean headersDone(int dir) {
        HttpMessage m = dir == 0 ? request : response;
        return m.present && m.headersDone;
    }

    /** Whether side {@code dir} (0 the request, 1 the response) is complete: its body no longer changes. */
    public boolean complete(int dir) {
        HttpMessage m = dir == 0 ? request : response;
        return m.present && m.complete;
    }

    /** @return whether a response (its status line at least) was seen */
    public boolean hasResponse() {
        return response.present;
    }

    /**
     * Points out at a buffer.
     *
     * @param b the buffer
     * @param dir for {@link HttpBuffer.Side#BOTH} buffers, 0 the request's, 1 the response's; ignored otherwise
     * @param out the slice to fill
     * @return false when this transaction has no such buffer (yet)
     */
    public boolean fill(HttpBuffer b, int dir, Slice out) {
        HttpMessage m = switch (b.side()) {
            case REQUEST -> request;
            case RESPONSE -> response;
            case BOTH -> dir == 0 ? request : response;
        };
        if (!m.present) {
            return false;
        }
        switch (b) {
            case REQUEST_BODY, RESPONSE_BODY, FILE_DATA -> {
                if (!m.headersDone) {
                    return false;
                }
                out.set(m.body.a, 0, m.body.len);
                return true;
            }
            case METHOD -> {
                return part(m, m.p1Off, m.p1Len, out);
            }
            case URI_RAW -> {
                return part(m, m.p2Off, m.p2Len, out);
            }
            case PROTOCOL -> {
                return part(m, m.p3Off, m.p3Len, out);
            }
            case REQUEST_LINE, RESPONSE_LINE -> {
                return m.lineEnd > 0 && part(m, 0, m.lineEnd, out);
            }
            case STAT_CODE -> {
                return m.status >= 0 && part(m, m.p2Off, m.p2Len, out);
            }
            case STAT_MSG -> {
                return m.status >= 0 && part(m, m.p3Off, m.p3Len, out);
            }
            case HEADER_RAW -> {
                return m.headersDone && m.headEnd > m.headerStart && part(m, m.headerStart,
                    m.headEnd - m.headerStart, out);
            }
            case USER_AGENT -> {
                return value(m, H_USER_AGENT, out);
            }
            case HOST_RAW -> {
                return hostRaw(out);
            }
            case ACCEPT -> {
                return value(m, H_ACCEPT, out);
            }
            case ACCEPT_ENC -> {
                return value(m, H_ACCEPT_ENCODING, out);
            }
            case ACCEPT_LANG -> {
                return value(m, H_ACCEPT_LANGUAGE, out);
            }
            case REFERER -> {
                return value(m, H_REFERER, out);
            }
            case CONNECTION -> {
                return value(m, H_CONNECTION, out);
            }
            case CONTENT_TYPE -> {
                return value(m, H_CONTENT_TYPE, out);
            }
            case CONTENT_LEN -> {
                return value(m, H_CONTENT_LENGTH, out);
            }
            case LOCATION -> {
                return value(m, H_LOCATION, out);
            }
            case SERVER -> {
                return value(m, H_SERVER, out);
            }
            case COOKIE -> {
                return value(m, m == request ? H_COOKIE : H_SET_COOKIE, out);
            }
            default -> {
                return derived(m, b, out);
            }
        }
    }

    private static boolean part(HttpMessage m, int off, int len, Slice out) {
        if (len <= 0) {
            return false;
        }
        out.set(m.head.a, off, len);
        return true;
    }

    private static boolean value(HttpMessage m, byte[] name, Slice out) {
        if (!m.headersDone) {
            return false;
        }
        int i = m.header(name);
        if (i < 0) {
            return false;
        }
        out.set(m.headers.text.a, m.headers.valOff[i], m.headers.valLen[i]);
        return true;
    }

    /** The absolute URI's authority when the target has one (it wins over Host, as in libhtp), else Host. */
    private boolean hostRaw(Slice out) {
        long auth = UriNormalizer.authority(request.head.a, request.p2Off, request.p2Len);
        if (auth >= 0 && request.p2Len > 0) {
            int s = (int) (auth >>> 32);
            out.set(request.head.a, s, (int) auth - s);
            return true;
        }
        return value(request, H_HOST, out);
    }

    private boolean derived(HttpMessage m, HttpBuffer b, Slice out) {
        int k = b.ordinal();
        int off = m.derivedOff[k];
        if (off == HttpMessage.UNKNOWN) {
            if (!m.headersDone && b != HttpBuffer.URI) {
                return false;
            }
            off = m.derived.len;
            if (!compute(m, b)) {
                m.derived.len = off;
                m.derivedOff[k] = HttpMessage.ABSENT;
                return false;
            }
            m.derivedOff[k] = off;
            m.derivedLen[k] = m.derived.len - off;
        }
        if (off == HttpMessage.ABSENT) {
            return false;
        }
        out.set(m.derived.a, off, m.derivedLen[k]);
        return true;
    }

    /** Appends buffer b of message m to m.derived; @return false when m has no such buffer */
    private boolean compute(HttpMessage m, HttpBuffer b) {
        ByteBuilder d = m.derived;
        HeaderTable h = m.headers;
        byte[] t = h.text.a;
        switch (b) {
            case URI -> {
                if (m.p2Len == 0) {
                    return false;
                }
                UriNormalizer.normalize(m.head.a, m.p2Off, m.p2Len, decodeU, d);
                return true;
            }
            case HOST -> {
                Slice s = scratch;
                if (!hostRaw(s)) {
                    return false;
                }
                appendHost(s.array, s.offset, s.length, d);
                return true;
            }
            case START -> {
                d.add(m.head.a, 0, m.lineEnd);
                d.add((byte) '\r');
                d.add((byte) '\n');
                appendHeaders(m, d, false);
                d.add((byte) '\r');
                d.add((byte) '\n');
                return true;
            }
            case HEADER -> {
                appendHeaders(m, d, true);
                return d.len > 0 || h.count > 0;
            }
            case REQUEST_HEADER, RESPONSE_HEADER -> {
                appendHeaders(m, d, false);
                return h.count > 0;
            }
            case HEADER_NAMES -> {
                if (h.count == 0) {
                    return false;
                }
                d.add((byte) '\r');
                d.add((byte) '\n');
                for (int i = 0; i < h.count; i++) {
                    d.add(t, h.nameOff[i], h.nameLen[i]);
                    d.add((byte) '\r');
                    d.add((byte) '\n');
                }
                d.add((byte) '\r');
                d.add((byte) '\n');
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** "Name: value\r\n" per header; without Cookie (request) or Set-Cookie (response) when Suricata leaves it out */
    private void appendHeaders(HttpMessage m, ByteBuilder d, boolean withoutCookie) {
        HeaderTable h = m.headers;
        byte[] cookie = m == request ? H_COOKIE : H_SET_COOKIE;
        for (int i = 0; i < h.count; i++) {
            byte[] t = h.text.a;
            if (withoutCookie && h.nameLen[i] == cookie.length
                && HeaderTable.equalsIgnoreCase(t, h.nameOff[i], cookie, 0, cookie.length)) {
                continue;
            }
            d.add(t, h.nameOff[i], h.nameLen[i]);
            d.add((byte) ':');
            d.add((byte) ' ');
            d.add(h.text.a, h.valOff[i], h.valLen[i]);
            d.add((byte) '\r');
            d.add((byte) '\n');
        }
    }

    /** Lower case, without the port (an IPv6 literal keeps its brackets) and without surrounding whitespace. */
    static void appendHost(byte[] a, int off, int len, ByteBuilder d) {
        int end = off + len;
        int at = -1;
        for (int i = off; i < end && a[i] != '/'; i++) {
            if (a[i] == '@') {
                at = i; // user info in an absolute URI's authority
            }
        }
        if (at >= 0) {
            off = at + 1;
        }
        int e = off;
        if (e < end && a[e] == '[') {
            while (e < end && a[e] != ']') {
                e++;
            }
            if (e < end) {
                e++;
            }
        } else {
            while (e < end && a[e] != ':') {
                e++;
            }
        }
        d.ensure(e - off);
        for (int i = off; i < e; i++) {
            d.a[d.len++] = (byte) HeaderTable.lower(a[i]);
        }
    }

    // ---- values for EVE and `judo http` (allocate; not the per-byte path) ----

    private String str(HttpBuffer b, int dir) {
        Slice s = new Slice();
        return fill(b, dir, s) ? s.toString() : null;
    }

    /** @return the request method, or null */
    public String method() {
        return str(HttpBuffer.METHOD, 0);
    }

    /** @return the normalized URI (http.uri), or null */
    public String uri() {
        return str(HttpBuffer.URI, 0);
    }

    /** @return the URI as received, or null */
    public String uriRaw() {
        return str(HttpBuffer.URI_RAW, 0);
    }

    /** @return the request protocol ("HTTP/1.1"), or null (HTTP/0.9 or no request) */
    public String protocol() {
        String p = str(HttpBuffer.PROTOCOL, 0);
        return p == null || p.isEmpty() ? null : p;
    }

    /** @return the host, lower case without port, or null */
    public String host() {
        return str(HttpBuffer.HOST, 0);
    }

    /** @return the User-Agent, or null */
    public String userAgent() {
        return str(HttpBuffer.USER_AGENT, 0);
    }

    /** @return the Referer, or null */
    public String referer() {
        return str(HttpBuffer.REFERER, 0);
    }

    /** @return the request's Content-Type, or null */
    public String requestContentType() {
        return str(HttpBuffer.CONTENT_TYPE, 0);
    }

    /** @return the response status code, or -1 when none was parsed */
    public int status() {
        return response.present ? response.status : -1;
    }

    /** @return the status line's reason phrase, or null */
    public String statusMessage() {
        return str(HttpBuffer.STAT_MSG, 1);
    }

    /** @return the response's protocol ("HTTP/1.1"), or null */
    public String responseProtocol() {
        if (!response.present || response.p1Len == 0) {
            return null;
        }
        return new String(response.head.a, response.p1Off, response.p1Len, StandardCharsets.ISO_8859_1);
    }

    /** @return the response's Content-Type, or null */
    public String responseContentType() {
        return str(HttpBuffer.CONTENT_TYPE, 1);
    }

    /** @return the Location header (EVE's redirect), or null */
    public String location() {
        return str(HttpBuffer.LOCATION, 1);
    }

    /** @return decoded request body bytes seen (not only the kept part) */
    public long requestBodyLength() {
        return request.bodyLength;
    }

    /** @return decoded response body bytes seen (not only the kept part) */
    public long responseBodyLength() {
        return response.bodyLength;
    }

    /** @return whether a side's body was cut (gap, end of stream before its end) */
    public boolean truncated(int dir) {
        return dir == 0 ? request.truncated : response.truncated;
    }

    /** @return the Content-Disposition filename (response, then request), else the URI's last path segment, or null */
    public String filename() {
        for (HttpMessage m : new HttpMessage[] {response, request}) {
            Slice s = new Slice();
            if (m.present && value(m, H_CONTENT_DISPOSITION, s)) {
                String f = dispositionFilename(s.toString());
                if (f != null) {
                    return f;
                }
            }
        }
        String u = uri();
        if (u == null) {
            return null;
        }
        int q = u.indexOf('?');
        String path = q >= 0 ? u.substring(0, q) : u;
        int slash = path.lastIndexOf('/');
        String seg = path.substring(slash + 1);
        return seg.isEmpty() ? null : seg;
    }

    static String dispositionFilename(String v) {
        for (String part : v.split(";")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = p.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
            String val = p.substring(eq + 1).trim();
            if (k.equals("filename")) {
                if (val.length() >= 2 && val.startsWith("\"") && val.endsWith("\"")) {
                    val = val.substring(1, val.length() - 1);
                }
                return val.isEmpty() ? null : val;
            }
        }
        return null;
    }

    long retainedBytes() {
        return request.retainedBytes() + response.retainedBytes();
    }
}
