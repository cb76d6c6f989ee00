package io.judo.vm.interp;

import io.judo.vm.Program;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The VM's own implementations of the buffer helpers ({@code buffer}, {@code find}, {@code byte_read},
 * {@code base64_decode}, {@code base64_restore}) and of {@code flowbit}: pure functions of the selected buffer and the context, with no engine state, so every runner and
 * test binds the same code ({@link #bind}). Nothing here allocates.
 */
public final class BufferOps {
    /** Most digits a string {@code byte_read} converts (Suricata's limit for decimal strings is about 20). */
    public static final int MAX_STRING_BYTES = 20;

    private BufferOps() {
    }

    /**
     * Binds {@code buffer}, {@code find}, {@code byte_read}, {@code base64_decode}, {@code base64_restore} and
     * {@code flowbit} for {@code program}'s strings.
     */
    public static HelperTable bind(HelperTable table, Program program) {
        byte[][] strings = new byte[program.strings().size()][];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = program.strings().get(i);
        }
        table.strings = strings;
        return table
                .bindBuiltin(Helpers.BUFFER, (c, r1, r2, r3, r4, r5) -> buffer(c, r1))
                .bindBuiltin(Helpers.FIND, (c, r1, r2, r3, r4, r5) -> find(table, c, r1, r2, r3, r4))
                .bindBuiltin(Helpers.BYTE_READ, (c, r1, r2, r3, r4, r5) -> byteRead(c, r1, r2, r3))
                .bindBuiltin(Helpers.BASE64_DECODE, (c, r1, r2, r3, r4, r5) -> base64Decode(c, r1, r2))
                .bindBuiltin(Helpers.BASE64_RESTORE, (c, r1, r2, r3, r4, r5) -> base64Restore(c))
                .bindBuiltin(Helpers.FLOWBIT, (c, r1, r2, r3, r4, r5) -> flowbit(c, r1, r2));
    }

    /** The {@code buffer} helper: selects buffer {@code id}; its length, or -1. */
    public static long buffer(PacketContext c, long id) {
        return c.select(id) ? c.selLength : -1;
    }

    /**
     * The {@code base64_decode} helper: decodes the selected buffer's {@code [from, to)} and selects the result
     * ({@link PacketContext#base64Decode}); its length, or -1.
     */
    public static long base64Decode(PacketContext c, long from, long to) {
        return c.base64Decode(from, to);
    }

    /** The {@code base64_restore} helper: the buffer decoded from is selected again; its length, or -1. */
    public static long base64Restore(PacketContext c) {
        return c.base64Restore();
    }

    /** The {@code find} helper's arguments: string {@code r1} of the bound program, from r2 to r3, flags r4. */
    static long find(HelperTable table, PacketContext c, long r1, long r2, long r3, long r4) {
        return find(c, table.strings[(int) r1], r2, r3, (r4 & Helpers.FIND_NOCASE) != 0);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The first index {@code s >= lo} of the selected buffer where {@code p} occurs with {@code s + p.length <= hi},
     * both bounds clamped to the buffer, or -1. Candidates for the first byte are found eight bytes at a time (a
     * word XORed with the byte repeated has a zero byte where it occurs; with nocase, either case of a letter), then
     * compared.
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
        int first = p[0] & 0xff;
        int other = nocase ? otherCase(first) : first;
        long f1 = first * ONES;
        long f2 = other * ONES;
        int s = (int) from;
        int words = c.selLength - 8; // a word may be read at s when s <= words (inside the buffer)
        while (s <= end && s <= words) {
            long w = (long) LONGS.get(buf, base + s);
            long x = w ^ f1;
            long m = (x - ONES) & ~x & HIGHS;
            if (other != first) {
                long y = w ^ f2;
                m |= (y - ONES) & ~y & HIGHS;
            }
            while (m != 0) {
                // the lowest flagged byte is a true occurrence; higher ones may be false, and are checked anyway
                int at = s + (Long.numberOfTrailingZeros(m) >>> 3);
                if (at > end) {
                    return -1;
                }
                if (equalsAt(buf, base + at, p, nocase)) {
                    return at;
                }
                m &= m - 1;
            }
            s += 8;
        }
        for (; s <= end; s++) {
            int v = buf[base + s] & 0xff;
            if ((v == first || v == other) && equalsAt(buf, base + s, p, nocase)) {
                return s;
            }
        }
        return -1;
    }

    private static int otherCase(int v) {
        if (v >= 'a' && v <= 'z') {
            return v - 32;
        }
        return v >= 'A' && v <= 'Z' ? v + 32 : v;
    }

    private static boolean equalsAt(byte[] buf, int at, byte[] p, boolean nocase) {
        if (nocase) {
            for (int k = 0; k < p.length; k++) {
                if (lower(buf[at + k]) != lower(p[k])) {
                    return false;
                }
            }
            return true;
        }
        for (int k = 0; k < p.length; k++) {
            if (buf[at + k] != p[k]) {
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
