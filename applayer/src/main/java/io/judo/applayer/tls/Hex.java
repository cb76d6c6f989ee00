package io.judo.applayer.tls;

/** Hex digits for fingerprints and certificate fields. */
final class Hex {
    static final byte[] LOWER = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Hex() {
    }

    /** Writes n bytes as 2n lower-case hex digits at out[o]. */
    static void lower(byte[] in, int off, int n, byte[] out, int o) {
        for (int i = 0; i < n; i++) {
            int v = in[off + i] & 0xff;
            out[o + 2 * i] = LOWER[v >> 4];
            out[o + 2 * i + 1] = LOWER[v & 15];
        }
    }

    /** @return the bytes as hex pairs joined by ':' (Suricata's serial and fingerprint form) */
    static String colons(byte[] in, byte[] digits) {
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
