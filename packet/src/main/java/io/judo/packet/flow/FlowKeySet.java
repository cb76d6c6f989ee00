package io.judo.packet.flow;

/**
 * A set of distinct {@link FlowKey}s in one flat array (open addressing, linear probing), for counting flows without
 * one object per flow. Grows by doubling; adding a key already present allocates nothing.
 *
 * <p>Each slot is six consecutive longs: the key's 64-bit {@link FlowKey#symmetricHash64() hash} (0 marks an empty
 * slot, so stored hashes have their low bit set), then the two addresses' halves and the {@link FlowKey#packed()}
 * word. Keeping the hash beside the key means a lookup usually touches one cache line, where a separate hash array
 * cost a second miss per packet. The full 64 bits matter as well: with 32-bit hashes a capture of 100,000 flows holds
 * a few pairs of different keys with equal hashes, and the key comparison failing only then, long after the JIT has
 * compiled the scan loop as if it never did, made the loop deoptimise and be compiled again.
 */
public final class FlowKeySet {
    private static final int WORDS = 7;
    private long[] slots;
    private int mask;
    private int size;

    public FlowKeySet() {
        this(1024);
    }

    /** @param expected number of keys to size the table for */
    public FlowKeySet(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        slots = new long[capacity * WORDS];
        mask = capacity - 1;
    }

    /** Adds the key; returns true when it was not yet present. */
    public boolean add(FlowKey key) {
        long h = key.symmetricHash64() | 1;
        long packed = key.packed();
        long[] s = slots;
        int slot = (int) h & mask;
        while (true) {
            int k = slot * WORDS;
            long existing = s[k];
            if (existing == 0) {
                break;
            }
            if (existing == h && s[k + 1] == key.aHi && s[k + 2] == key.aLo && s[k + 3] == key.bHi
                    && s[k + 4] == key.bLo && s[k + 5] == packed && s[k + 6] == key.tunnel) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        store(s, slot * WORDS, h, key.aHi, key.aLo, key.bHi, key.bLo, packed, key.tunnel);
        if (++size * 2 > mask + 1) {
            rehash();
        }
        return true;
    }

    private static void store(long[] s, int k, long h, long a, long b, long c, long d, long e, long f) {
        s[k] = h;
        s[k + 1] = a;
        s[k + 2] = b;
        s[k + 3] = c;
        s[k + 4] = d;
        s[k + 5] = e;
        s[k + 6] = f;
    }

    private void rehash() {
        long[] old = slots;
        allocate((mask + 1) * 2);
        long[] s = slots;
        for (int k = 0; k < old.length; k += WORDS) {
            long h = old[k];
            if (h != 0) {
                int slot = (int) h & mask;
                while (s[slot * WORDS] != 0) {
                    slot = (slot + 1) & mask;
                }
                store(s, slot * WORDS, h, old[k + 1], old[k + 2], old[k + 3], old[k + 4], old[k + 5], old[k + 6]);
            }
        }
    }

    /** Distinct keys added. */
    public int size() {
        return size;
    }
}
