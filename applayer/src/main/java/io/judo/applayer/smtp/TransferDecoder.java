package io.judo.applayer.smtp;

import io.judo.applayer.ByteBuilder;

/**
 * Content-Transfer-Encoding decoding of one MIME part's body, line by line and streaming: base64 (RFC 2045 6.8,
 * RFC 4648 alphabet) keeps its partial quantum across lines, quoted-printable (RFC 2045 6.7) a split {@code =XX}
 * across the pieces of a long line. Both are lenient as mail readers are (Python's email, Suricata): a bad character
 * is skipped (base64) or kept as it is (quoted-printable) and flagged, never an error that stops the part.
 */
final class TransferDecoder {
    static final int PLAIN = 0;
    static final int BASE64 = 1;
    static final int QP = 2;

    /** Flag: a character outside the base64 alphabet, or a last quantum of one character. */
    static final int BAD_BASE64 = 1;
    /** Flag: an '=' in quoted-printable that is neither a soft line break nor followed by two hex digits. */
    static final int BAD_QP = 2;

    private static final byte[] B64 = new byte[256];

    static {
        java.util.Arrays.fill(B64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++) {
            B64[alphabet.charAt(i)] = (byte) i;
        }
    }

    int encoding;
    int flags;
    private int acc;
    private int bits;
    private final byte[] carry = new byte[2];
    private int carryLen;
    private final ByteBuilder joined = new ByteBuilder();

    void start(int encoding) {
        this.encoding = encoding;
        flags = 0;
        acc = 0;
        bits = 0;
        carryLen = 0;
    }

    /**
     * Decodes base64 text into out. Whitespace and line ends are skipped; '=' ends a quantum (what it holds is
     * written: 2 characters give 1 byte, 3 give 2); other characters outside the alphabet are skipped and flagged.
     */
    void base64(byte[] b, int off, int len, ByteBuilder out) {
        out.ensure(len);
        byte[] o = out.a;
        int n = out.len;
        for (int i = off, end = off + len; i < end; i++) {
            int c = b[i] & 0xff;
            int v = B64[c];
            if (v >= 0) {
                acc = acc << 6 | v;
                bits++;
                if (bits == 4) {
                    o[n++] = (byte) (acc >> 16);
                    o[n++] = (byte) (acc >> 8);
                    o[n++] = (byte) acc;
                    acc = 0;
                    bits = 0;
                }
            } else if (c == '=') {
                n = flushQuantum(o, n);
            } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                flags |= BAD_BASE64;
            }
        }
        out.len = n;
    }

    private int flushQuantum(byte[] o, int n) {
        if (bits == 1) {
            flags |= BAD_BASE64; // six bits cannot make a byte
        } else if (bits == 2) {
            o[n++] = (byte) (acc >> 4);
        } else if (bits == 3) {
            o[n++] = (byte) (acc >> 10);
            o[n++] = (byte) (acc >> 2);
        }
        acc = 0;
        bits = 0;
        return n;
    }

    /** The part ended: an unpadded last quantum is written as far as it goes. */
    void finish(ByteBuilder out) {
        if (encoding == BASE64 && bits > 0) {
            out.ensure(2);
            out.len = flushQuantum(out.a, out.len);
        }
        if (encoding == QP && carryLen > 0) {
            out.add(carry, 0, carryLen); // "=X" cut by the end of the part: kept as it is
            flags |= BAD_QP;
            carryLen = 0;
        }
    }

    /**
     * Decodes one line (or one piece of a long line) of quoted-printable into out.
     *
     * @param eol whether the line ends here (its terminator is not in b): trailing whitespace is transport
     *     padding and dropped, a last '=' is a soft line break
     * @return true when the line ended with a soft line break (the line end is not part of the content)
     */
    boolean quotedPrintable(byte[] b, int off, int len, boolean eol, ByteBuilder out) {
        if (carryLen > 0) {
            joined.clear();
            joined.add(carry, 0, carryLen);
            joined.add(b, off, len);
            carryLen = 0;
            b = joined.a;
            off = 0;
            len = joined.len;
        }
        int end = off + len;
        if (eol) {
            while (end > off && Ascii.isSpace(b[end - 1])) {
                end--;
            }
        }
        out.ensure(end - off);
        byte[] o = out.a;
        int n = out.len;
        boolean soft = false;
        int i = off;
        while (i < end) {
            byte c = b[i];
            if (c != '=') {
                o[n++] = c;
                i++;
                continue;
            }
            if (i + 3 <= end) {
                int h = hex(b[i + 1]);
                int l = hex(b[i + 2]);
                if (h >= 0 && l >= 0) {
                    o[n++] = (byte) (h << 4 | l);
                    i += 3;
                    continue;
                }
            } else if (!eol) {
                carryLen = end - i; // "=" or "=X" at the end of a piece: the rest comes with the next piece
                System.arraycopy(b, i, carry, 0, carryLen);
                break;
            } else if (i + 1 == end) {
                soft = true;
                break;
            }
            flags |= BAD_QP; // RFC 2045 6.7 (1): an '=' that does not encode is kept as it is
            o[n++] = c;
            i++;
        }
        out.len = n;
        return soft;
    }

    /** Hex digit value, either case (RFC 2045 asks for upper case and lets decoders accept lower case), or -1. */
    static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
