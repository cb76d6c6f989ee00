package io.judo.applayer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hex digits and the MD5 fingerprints (JA3, JA3S, hassh) the parsers write as lower-case hex, without allocating:
 * each thread keeps one MD5 digest and its output scratch.
 */
public final class Hex {
    /** Lower-case hex digits as ASCII bytes. */
    public static final byte[] LOWER = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Upper-case hex digits as ASCII bytes. */
    public static final byte[] UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final ThreadLocal<Md5> MD5 = ThreadLocal.withInitial(Md5::new);

    /** One thread's MD5 state: the JDK's digest plus the 16 bytes it writes into. */
    private static final class Md5 {
        final MessageDigest digest;
        final byte[] out = new byte[16];

        Md5() {
            try {
                digest = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK must provide MD5", e);
            }
        }
    }

    private Hex() {
    }

    /** Writes n bytes as 2n lower-case hex digits at out[o]. */
    public static void lower(byte[] in, int off, int n, byte[] out, int o) {
        for (int i = 0; i < n; i++) {
            int v = in[off + i] & 0xff;
            out[o + 2 * i] = LOWER[v >> 4];
            out[o + 2 * i + 1] = LOWER[v & 15];
        }
    }

    /**
     * Writes the MD5 of {@code in[off, off + n)} as 32 lower-case hex digits at out[o] (the JA3 and hassh form).
     */
    public static void md5Lower(byte[] in, int off, int n, byte[] out, int o) {
        Md5 m = MD5.get();
        m.digest.update(in, off, n);
        try {
            m.digest.digest(m.out, 0, 16);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // 16 bytes of room always fit MD5's output
        }
        lower(m.out, 0, 16, out, o);
    }

    /** @return the bytes as hex pairs joined by ':' (Suricata's serial and fingerprint form) */
    public static String colons(byte[] in, byte[] digits) {
        StringBuilder sb = new StringBuilder(in.length * 3);
        for (int i = 0; i < in.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int v = in[i] & 0xff;
            sb.append((char) digits[v >> 4]).append((char) digits[v & 15]);
        }
        return sb.toString();
    }
}
