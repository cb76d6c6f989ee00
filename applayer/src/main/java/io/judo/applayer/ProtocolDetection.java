package io.judo.applayer;

import java.nio.charset.StandardCharsets;

/**
 * Content-based protocol detection for one flow, both directions. A direction looks like HTTP when its first bytes
 * (after any empty lines) are a known method, a space and a request target, or an {@code HTTP/1.} status line; the
 * flow is HTTP as soon as one direction does (a flow picked up mid-response shows only the status line). A direction
 * whose first bytes can no longer become either is "not HTTP"; the flow is {@link AppProto#FAILED} when every
 * direction that has spoken is not HTTP and either both have spoken or one has sent {@link #FAIL_AFTER} bytes.
 * Ports play no part here: they are hints for the caller, never the decision. Holds 2 x 16 bytes of prefix.
 */
public final class ProtocolDetection {
    /** Bytes a lone non-HTTP direction may send before detection gives up. */
    public static final int FAIL_AFTER = 512;
    private static final int PREFIX = 16;
    private static final byte[][] METHODS = names("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE",
        "CONNECT", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT",
        "SUBSCRIBE", "UNSUBSCRIBE", "NOTIFY", "MERGE", "CHECKOUT", "MKACTIVITY", "POLL", "BCOPY", "BDELETE", "BMOVE",
        "BPROPFIND", "BPROPPATCH");
    private static final byte[] STATUS = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

    private static final int OPEN = 0;
    private static final int YES = 1;
    private static final int NO = 2;

    private final byte[] prefix = new byte[2 * PREFIX];
    // per direction, in fields rather than small arrays: this object lives as long as its flow
    private int prefixLen0;
    private int prefixLen1;
    private long seen0;
    private long seen1;
    private byte verdict0;
    private byte verdict1;
    private AppProto result = AppProto.UNKNOWN;

    private static byte[][] names(String... s) {
        byte[][] r = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[i].getBytes(StandardCharsets.US_ASCII);
        }
        return r;
    }

    /**
     * Offers in-order bytes of one direction.
     *
     * @param dir 0 client to server, 1 server to client
     * @param b the bytes (read during the call only)
     * @param off first byte
     * @param len number of bytes
     * @return the flow's protocol so far; {@link AppProto#UNKNOWN} while more bytes are needed
     */
    public AppProto offer(int dir, byte[] b, int off, int len) {
        if (result != AppProto.UNKNOWN || len <= 0) {
            return result;
        }
        int d = dir & 1;
        if (d == 0) {
            seen0 += len;
        } else {
            seen1 += len;
        }
        if (verdict(d) == OPEN) {
            int base = d * PREFIX;
            int n = d == 0 ? prefixLen0 : prefixLen1;
            for (int i = off; i < off + len && n < PREFIX; i++) {
                byte c = b[i];
                if (n == 0 && (c == '\r' || c == '\n')) {
                    continue; // empty lines before a message are tolerated, as by libhtp
                }
                prefix[base + n++] = c;
            }
            byte v = (byte) judge(prefix, base, n);
            if (d == 0) {
                prefixLen0 = n;
                verdict0 = v;
            } else {
                prefixLen1 = n;
                verdict1 = v;
            }
        }
        if (verdict0 == YES || verdict1 == YES) {
            result = AppProto.HTTP;
        } else if (failed(0) && failed(1)) {
            result = AppProto.FAILED;
        }
        return result;
    }

    private int verdict(int d) {
        return d == 0 ? verdict0 : verdict1;
    }

    private long seen(int d) {
        return d == 0 ? seen0 : seen1;
    }

    private boolean failed(int d) {
        int other = d ^ 1;
        if (verdict(d) == NO) {
            return verdict(other) == NO || (seen(other) == 0 && seen(d) >= FAIL_AFTER);
        }
        return seen(d) == 0 && verdict(other) == NO && seen(other) >= FAIL_AFTER;
    }

    /** @return the flow's protocol so far */
    public AppProto result() {
        return result;
    }

    /**
     * Whether bytes can start an HTTP request (known method, space, a target) or status line; parsers use it to
     * find the next message after lost bytes.
     *
     * @param p the bytes
     * @param off first byte
     * @param n number of bytes
     * @return 1 yes, 2 no, 0 not decided by these bytes
     */
    public static int judge(byte[] p, int off, int n) {
        if (n == 0) {
            return OPEN;
        }
        boolean open = false;
        int k = Math.min(n, STATUS.length);
        if (regionEquals(p, off, STATUS, k)) {
            if (n >= STATUS.length) {
                return YES;
            }
            open = true;
        }
        for (byte[] m : METHODS) {
            int need = m.length + 2;
            int cmp = Math.min(n, m.length);
            if (!regionEquals(p, off, m, cmp)) {
                continue;
            }
            if (n <= m.length) {
                open = true;
                continue;
            }
            if (p[off + m.length] != ' ') {
                continue;
            }
            if (n < need) {
                open = true;
                continue;
            }
            byte t = p[off + m.length + 1];
            if (t != ' ' && t != '\r' && t != '\n' && t != '\t') {
                return YES;
            }
        }
        return open ? OPEN : NO;
    }

    private static boolean regionEquals(byte[] p, int off, byte[] m, int n) {
        for (int i = 0; i < n; i++) {
            if (p[off + i] != m[i]) {
                return false;
            }
        }
        return true;
    }
}
