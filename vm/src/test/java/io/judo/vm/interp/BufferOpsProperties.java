package io.judo.vm.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link BufferOps#find}, which scans for the first byte eight bytes at a time, against a plain byte-by-byte search,
 * on random buffers placed anywhere in a larger array, with random bounds, case and patterns that often occur.
 */
class BufferOpsProperties {
    private static final byte[] ALPHABET = {'a', 'b', 'A', 'B', 0, (byte) 0x80, (byte) 0xff, '1'};

    @Property(tries = 3000)
    void findIsAPlainSearch(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] array = new byte[r.nextInt(80)];
        for (int i = 0; i < array.length; i++) {
            array[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        int offset = array.length == 0 ? 0 : r.nextInt(array.length + 1);
        int length = r.nextInt(array.length - offset + 1);
        byte[] p = new byte[1 + r.nextInt(4)];
        for (int i = 0; i < p.length; i++) {
            p[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        long lo = r.nextInt(length + 6) - 3;
        long hi = r.nextInt(length + 6) - 3;
        boolean nocase = r.nextBoolean();
        PacketContext c = new PacketContext();
        c.sel = array;
        c.selOffset = offset;
        c.selLength = length;
        assertEquals(plain(array, offset, length, p, lo, hi, nocase), BufferOps.find(c, p, lo, hi, nocase),
                () -> "seed " + seed);
    }

    private static long plain(byte[] a, int offset, int length, byte[] p, long lo, long hi, boolean nocase) {
        for (long s = Math.max(0, lo); s + p.length <= Math.min(hi, length); s++) {
            boolean all = true;
            for (int k = 0; k < p.length && all; k++) {
                int x = a[offset + (int) s + k] & 0xff;
                int y = p[k] & 0xff;
                all = x == y || nocase && fold(x) == fold(y);
            }
            if (all) {
                return s;
            }
        }
        return -1;
    }

    private static int fold(int v) {
        return v >= 'A' && v <= 'Z' ? v + 32 : v;
    }
}
