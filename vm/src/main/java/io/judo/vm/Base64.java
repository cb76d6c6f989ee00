package io.judo.vm;

/**
 * Base64 decoding as Suricata's {@code base64_decode} keyword does it: the RFC 4648 mode of Suricata 8's decoder
 * (rust {@code utils/base64.rs}), which stops at the first byte outside the alphabet rather than skipping it as RFC
 * 2045 (MIME) decoding does. Pure and allocation-free: the caller provides the output array.
 *
 * <p>The rules, exactly:
 * <ul>
 *   <li>The input is read in groups of four characters of the alphabet ({@code A-Z a-z 0-9 + /}) or {@code =}.
 *   Decoding stops at the first other byte (a space, a line end, {@code -}, {@code <}) or at the input's end.</li>
 *   <li>A group decodes to three bytes; to one when its third character is {@code =}, to two when only its fourth is.
 *   Padding does not end the decoding: {@code Zg==Zm9v} is {@code f} then {@code foo}.</li>
 *   <li>A group whose first or second character is {@code =} is invalid, and the whole decode yields nothing.</li>
 *   <li>A last group cut short (by the stop byte or the end) is completed with {@code =} when the output still has
 *   room, room being {@code 3 * length / 4} bytes for an input of {@code length} bytes; so two or three characters
 *   give one or two bytes, and one character at the very end is dropped (no room), while one character before a
 *   stop byte makes an invalid group (nothing at all), as in Suricata.</li>
 * </ul>
 */
public final class Base64 {
    private static final int PAD = 64;
    private static final int INVALID = -1;
    private static final byte[] VALUES = new byte[256];

    static {
        java.util.Arrays.fill(VALUES, (byte) INVALID);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
        VALUES['='] = PAD;
    }

    private Base64() {
    }

    /** The most bytes {@link #decode} writes for {@code length} input bytes. */
    public static int maxOutput(int length) {
        return (int) (3L * length / 4);
    }

    /**
     * Decodes {@code in[off, off + len)} into {@code out} (from index 0, at least {@link #maxOutput(int)} bytes) and
     * returns the number of bytes written: 0 when nothing decoded, including an invalid group anywhere.
     */
    public static int decode(byte[] in, int off, int len, byte[] out) {
        int room = maxOutput(len);
        int n = 0;
        int i = 0;
        while (i < len) {
            int k = 0;
            int group = 0; // the four 6-bit values, a pad counting as 0
            int pads = 0; // bit k: character k is '='
            boolean stop = false;
            for (; k < 4; k++, i++) {
                int v = i < len ? VALUES[in[off + i] & 0xff] : INVALID;
                if (v == INVALID) {
                    stop = true;
                    if (k > 0 && n < room) {
                        pads |= 0xf & -(1 << k); // complete the group with '='
                        group <<= 6 * (4 - k);
                        k = 4;
                    }
                    break;
                }
                if (v == PAD) {
                    pads |= 1 << k;
                    v = 0;
                }
                group = group << 6 | v;
            }
            if (k == 4) {
                if ((pads & 3) != 0) {
                    return 0; // Suricata's decoder fails the whole input on such a group
                }
                out[n++] = (byte) (group >> 16);
                if ((pads & 4) == 0) {
                    out[n++] = (byte) (group >> 8);
                    if ((pads & 8) == 0) {
                        out[n++] = (byte) group;
                    }
                }
            }
            if (stop) {
                break;
            }
        }
        return n;
    }
}
