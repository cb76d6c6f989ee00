package io.judo.applayer.tls;

/**
 * Whether a direction's first bytes are TLS or SSL, for protocol detection (by content, never by port). TLS: a record
 * header (content type 20-23, version 3.0-3.4, a length from 1 to 2^14 + 1024) and, for a handshake record, a
 * handshake type TLS defines as a first message (ClientHello or ServerHello). SSLv2: a two-byte record header and a
 * CLIENT-HELLO or SERVER-HELLO offering version 2 or 3.x (the SSLv2-compatible ClientHello old clients send).
 */
public final class TlsProbe {
    /** Not decided by these bytes: more are needed. */
    public static final int NEED_MORE = 0;
    /** The bytes start TLS or SSL. */
    public static final int TLS = 1;
    /** The bytes cannot start TLS or SSL. */
    public static final int NOT_TLS = 2;

    private TlsProbe() {
    }

    /**
     * @param b the bytes
     * @param off first byte
     * @param len number of bytes
     * @return {@link #TLS}, {@link #NOT_TLS} or {@link #NEED_MORE}
     */
    public static int detect(byte[] b, int off, int len) {
        if (len <= 0) {
            return NEED_MORE;
        }
        int t = b[off] & 0xff;
        if ((t & 0x80) != 0) {
            return sslv2(b, off, len);
        }
        if (t < 20 || t > 23) {
            return NOT_TLS;
        }
        if (len < 2) {
            return NEED_MORE;
        }
        if (b[off + 1] != 3) {
            return NOT_TLS;
        }
        if (len < 3) {
            return NEED_MORE;
        }
        if ((b[off + 2] & 0xff) > 4) {
            return NOT_TLS;
        }
        if (len < 5) {
            return NEED_MORE;
        }
        int rl = (b[off + 3] & 0xff) << 8 | b[off + 4] & 0xff;
        if (rl == 0 || rl > TlsParser.MAX_RECORD) {
            return NOT_TLS;
        }
        if (t != 22) {
            return TLS;
        }
        if (len < 6) {
            return NEED_MORE;
        }
        int ht = b[off + 5];
        return ht == 1 || ht == 2 ? TLS : NOT_TLS;
    }

    private static int sslv2(byte[] b, int off, int len) {
        if (len < 3) {
            return NEED_MORE;
        }
        int rl = (b[off] & 0x7f) << 8 | b[off + 1] & 0xff;
        int mt = b[off + 2];
        if (mt != 1 && mt != 4 || rl < 9) {
            return NOT_TLS;
        }
        int at = mt == 1 ? 3 : 5;
        if (len < at + 2) {
            return NEED_MORE;
        }
        int major = b[off + at];
        int minor = b[off + at + 1] & 0xff;
        return major == 0 && minor == 2 || major == 3 && minor <= 4 ? TLS : NOT_TLS;
    }
}
