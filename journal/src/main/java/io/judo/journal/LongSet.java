package io.judo.journal;

/**
 * A set of longs in one array (open addressing, linear probing, doubling at half full): the writer asks it whether a
 * rule's record was written on every alert, and a {@code Set<Long>} boxed the key each time.
 */
final class LongSet {
    private long[] keys = new long[64];
    private int size;
    /** Zero marks an empty slot, so the key 0 is kept aside. */
    private boolean hasZero;

    /** Adds {@code key}; true when it was not there yet. */
    boolean add(long key) {
        if (key == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != 0) {
            if (keys[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        if (++size * 2 > keys.length) {
            grow();
        }
        return true;
    }

    private void grow() {
        long[] old = keys;
        keys = new long[old.length * 2];
        int mask = keys.length - 1;
        for (long k : old) {
            if (k != 0) {
                int i = mix(k) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
            }
        }
    }

    private static int mix(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 29);
    }
}
