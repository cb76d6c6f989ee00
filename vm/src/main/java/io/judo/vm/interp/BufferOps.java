package io.judo.vm.interp;

import io.judo.vm.Program;

/**
 * The VM's own implementations of the buffer helpers ({@code buffer}, {@code find}, {@code byte_read}) and of
 * {@code flowbit}: pure functions of the selected buffer and the context, with no engine state, so every runner and
 * test binds the same code ({@link #bind}). Nothing here allocates.
 */
public final class BufferOps {
    /** Most digits a string {@code byte_read} converts (Suricata's limit for decimal strings is about 20). */
    public static final int MAX_STRING_BYTES = 20;

    private BufferOps() {
    }

    /** Binds {@code buffer}, {@code find}, {@code byte_read} and {@code flowbit} for {@code program}'s strings. */
    public static HelperTable bind(HelperTable table, Program program) {
        byte[][] strings = new byte[program.strings().size()][];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = program.strings().get(i);
        }
        return table
                .bind(Helpers.BUFFER, (c, r1, r2, r3, r4, r5) -> c.select(r1) ? c.selLength : -1)
                .bind(Helpers.FIND, (c, r1, r2, r3, r4, r5) -> find(c, strings[(int) r1], r2, r3,
                        (r4 & Helpers.FIND_NOCASE) != 0))
                .bind(Helpers.BYTE_READ, (c, r1, r2, r3, r4, r5) -> byteRead(c, r1, r2, r3))
                .bind(Helpers.FLOWBIT, (c, r1, r2, r3, r4, r5) -> flowbit(c, r1, r2));
    }

    /**
     * The first index {@code s >= lo} of the selected buffer where {@code p} occurs with {@code s + p.length <= hi},
     * both bounds clamped to the buffer, or -1.
     */
    public static long find(PacketContext c, byte[] p, long lo, long hi, boolean nocase) {
        byte[] buf = c.sel;
        if (buf == null || p.length == 0) {
            return buf == null || lo > hi || lo > c.selLength ? -1 : Math.max(0, lo);
        }
        long from = Math.max(0, lo);
        long last = Math.min(hi, c.selLength) - p.length;
        if (from > last) {
            return -1;
        }
        int base = c.selOffset;
        int end = (int) last;
        if (nocase) {
            int first = lower(p[0]);
            for (int s = (int) from; s <= end; s++) {
                if (lower(buf[base + s]) == first && equalsNocase(buf, base + s, p)) {
                    return s;
                }
            }
            return -1;
        }
        byte first = p[0];
        for (int s = (int) from; s <= end; s++) {
            if (buf[base + s] == first && equalsAt(buf, base + s, p)) {
                return s;
            }
        }
        return -1;
    }

    private static boolean equalsAt(byte[] buf, int at, byte[] p) {
        for (int k = 1; k < p.length; k++) {
            if (buf[at + k] != p[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsNocase(byte[] buf, int at, byte[] p) {
        for (int k = 1; k < p.length; k++) {
            if (lower(buf[at + k]) != lower(p[k])) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        int v = b & 0xff;
        return v >= 'A' && v <= 'Z' ? v + 32 : v;
    }

    /**
     * A number at index {@code at} of the selected buffer. {@code format}: bits 0-7 the byte count, bits 8-15 the
     * base (0 binary; 8, 10 or 16: that many characters, read as the number their leading digits of the base
     * spell, as strtoul reads them), bit 16 little endian (binary only). With a non-zero {@code bitmask} the value is
     * ANDed with it and shifted right by its trailing zero bits. Returns -1 when the bytes are not all inside the
     * buffer, a string does not start with a digit, or a string's value overflows 63 bits (so -1 is also what an
     * 8-byte binary read of all ones reports).
     */
    public static long byteRead(PacketContext c, long at, long format, long bitmask) {
        int n = (int) (format & 0xff);
        int base = (int) ((format >>> 8) & 0xff);
        boolean little = (format & 0x10000) != 0;
        byte[] buf = c.sel;
        if (buf == null || n == 0 || at < 0 || at + n > c.selLength) {
            return -1;
        }
        int i = c.selOffset + (int) at;
        long v = 0;
        if (base == 0) {
            if (n > 8) {
                return -1;
            }
            for (int k = 0; k < n; k++) {
                int b = buf[i + (little ? n - 1 - k : k)] & 0xff;
                v = v << 8 | b;
            }
        } else {
            if (n > MAX_STRING_BYTES) {
                return -1;
            }
            int digits = 0;
            for (; digits < n; digits++) {
                int d = Character.digit(buf[i + digits] & 0xff, base);
                if (d < 0) {
                    break; // the number is the digits before the first non-digit, as strtoul reads it
                }
                if (v > (Long.MAX_VALUE - d) / base) {
                    return -1;
                }
                v = v * base + d;
            }
            if (digits == 0) {
                return -1;
            }
        }
        if (bitmask != 0) {
            v = (v & bitmask) >>> Long.numberOfTrailingZeros(bitmask);
        }
        return v;
    }

    /** Flow bit {@code bit}: {@code op} 0 test, 1 set, 2 unset, 3 toggle; the bit's value after it (0 without flow). */
    public static long flowbit(PacketContext c, long op, long bit) {
        long[] bits = c.flowBits;
        if (bits == null || bit < 0 || bit >= (long) bits.length * 64) {
            return 0;
        }
        int w = (int) (bit >>> 6);
        long m = 1L << bit;
        switch ((int) op) {
            case Helpers.FLOWBIT_SET -> bits[w] |= m;
            case Helpers.FLOWBIT_UNSET -> bits[w] &= ~m;
            case Helpers.FLOWBIT_TOGGLE -> bits[w] ^= m;
            default -> {
            }
        }
        return (bits[w] & m) != 0 ? 1 : 0;
    }
}
