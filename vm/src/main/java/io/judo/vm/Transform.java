package io.judo.vm;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Suricata's buffer transforms: pure byte functions a rule applies to a sticky buffer before inspecting it
 * ({@code http.uri; to_lowercase; content:"/admin";}). A (buffer, transforms) pair is a derived buffer, which the
 * engine computes once per run from its base. Each transform writes into a caller-provided array of at least
 * {@link #maxOutput(int)} bytes and returns the length written, so a run allocates nothing.
 *
 * <p>Whitespace is C's {@code isspace}: space, tab, newline, vertical tab, form feed and carriage return. Case changes
 * are ASCII only, as in Suricata. The digests are the raw digest bytes (a rule writes them as {@code |hex|}).
 */
public enum Transform {
    /** Prepends a dot: {@code example.com} becomes {@code .example.com} (so a content can match whole labels). */
    DOTPREFIX("dotprefix"),
    /** Removes every whitespace byte. */
    STRIP_WHITESPACE("strip_whitespace"),
    /** Keeps the first byte of each run of whitespace and drops the rest of the run. */
    COMPRESS_WHITESPACE("compress_whitespace"),
    TO_LOWERCASE("to_lowercase"),
    TO_UPPERCASE("to_uppercase"),
    /** The 16-byte MD5 digest. */
    TO_MD5("to_md5"),
    /** The 20-byte SHA-1 digest. */
    TO_SHA1("to_sha1"),
    /** The 32-byte SHA-256 digest. */
    TO_SHA256("to_sha256"),
    /**
     * {@code %HH} to its byte and {@code +} to a space; a {@code %} not followed by two hex digits (a bad or cut
     * escape, or {@code %u} encoding) stays as it is, as in Suricata.
     */
    URL_DECODE("url_decode"),
    /** Lowercases each line's header name (up to its first {@code :}); values stay as they are. */
    HEADER_LOWERCASE("header_lowercase"),
    /** Removes the lines that start with {@code :} (HTTP/2 pseudo-headers), with their line ends. */
    STRIP_PSEUDO_HEADERS("strip_pseudo_headers");

    private static final Transform[] VALUES = values();
    private final String keyword;

    Transform(String keyword) {
        this.keyword = keyword;
    }

    /** The rule keyword. */
    public String keyword() {
        return keyword;
    }

    /** The transform a rule keyword names, or null. */
    public static Transform named(String keyword) {
        for (Transform t : VALUES) {
            if (t.keyword.equals(keyword)) {
                return t;
            }
        }
        return null;
    }

    /** The most bytes {@link #apply} writes for an input of {@code length} bytes. */
    public int maxOutput(int length) {
        return switch (this) {
            case DOTPREFIX -> length + 1;
            case TO_MD5 -> 16;
            case TO_SHA1 -> 20;
            case TO_SHA256 -> 32;
            default -> length;
        };
    }

    /**
     * Transforms {@code in[off, off + len)} into {@code out} (from index 0, at least {@link #maxOutput(int)} bytes;
     * it must not be {@code in}) and returns the number of bytes written.
     */
    public int apply(byte[] in, int off, int len, byte[] out) {
        switch (this) {
            case DOTPREFIX -> {
                out[0] = '.';
                System.arraycopy(in, off, out, 1, len);
                return len + 1;
            }
            case STRIP_WHITESPACE -> {
                int n = 0;
                for (int i = off; i < off + len; i++) {
                    if (!space(in[i])) {
                        out[n++] = in[i];
                    }
                }
                return n;
            }
            case COMPRESS_WHITESPACE -> {
                int n = 0;
                for (int i = off; i < off + len; i++) {
                    if (!space(in[i]) || i == off || !space(in[i - 1])) {
                        out[n++] = in[i];
                    }
                }
                return n;
            }
            case TO_LOWERCASE, TO_UPPERCASE -> {
                boolean lower = this == TO_LOWERCASE;
                for (int i = 0; i < len; i++) {
                    byte c = in[off + i];
                    if (lower && c >= 'A' && c <= 'Z') {
                        c += 32;
                    } else if (!lower && c >= 'a' && c <= 'z') {
                        c -= 32;
                    }
                    out[i] = c;
                }
                return len;
            }
            case TO_MD5, TO_SHA1, TO_SHA256 -> {
                return Digests.digest(this, in, off, len, out);
            }
            case URL_DECODE -> {
                return urlDecode(in, off, len, out);
            }
            case HEADER_LOWERCASE -> {
                boolean name = true;
                for (int i = 0; i < len; i++) {
                    byte c = in[off + i];
                    if (c == '\n') {
                        name = true;
                    } else if (name && c == ':') {
                        name = false;
                    } else if (name && c >= 'A' && c <= 'Z') {
                        c += 32;
                    }
                    out[i] = c;
                }
                return len;
            }
            default -> {
                return stripPseudoHeaders(in, off, len, out);
            }
        }
    }

    private static boolean space(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int l = c | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    private static int urlDecode(byte[] in, int off, int len, byte[] out) {
        int n = 0;
        for (int i = 0; i < len; i++) {
            byte c = in[off + i];
            if (c == '%' && i + 2 < len) {
                int hi = hex(in[off + i + 1]);
                int lo = hex(in[off + i + 2]);
                if (hi >= 0 && lo >= 0) {
                    out[n++] = (byte) (hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out[n++] = c == '+' ? (byte) ' ' : c;
        }
        return n;
    }

    private static int stripPseudoHeaders(byte[] in, int off, int len, byte[] out) {
        int n = 0;
        int i = 0;
        while (i < len) {
            int end = i;
            while (end < len && in[off + end] != '\n') {
                end++;
            }
            int next = end < len ? end + 1 : end; // the line with its '\n'
            if (in[off + i] != ':') {
                System.arraycopy(in, off + i, out, n, next - i);
                n += next - i;
            }
            i = next;
        }
        return n;
    }

    /** One digest instance per thread and algorithm: {@link MessageDigest} is stateful and not thread-safe. */
    private static final class Digests {
        private static final ThreadLocal<MessageDigest[]> DIGESTS = ThreadLocal.withInitial(() -> new MessageDigest[] {
            create("MD5"), create("SHA-1"), create("SHA-256")});

        private static MessageDigest create(String name) {
            try {
                return MessageDigest.getInstance(name);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks " + name, e); // every Java SE runtime has all three
            }
        }

        static int digest(Transform t, byte[] in, int off, int len, byte[] out) {
            MessageDigest d = DIGESTS.get()[t == TO_MD5 ? 0 : t == TO_SHA1 ? 1 : 2];
            d.update(in, off, len);
            try {
                return d.digest(out, 0, d.getDigestLength());
            } catch (java.security.DigestException e) {
                throw new IllegalArgumentException("output shorter than the digest", e);
            }
        }
    }
}
