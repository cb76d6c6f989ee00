package io.judo.packet.flow;

/**
 * A set of distinct {@link FlowKey}s in flat arrays (open addressing, linear probing), for counting flows without
 * one object per flow. Grows by doubling; adding a key already present allocates nothing.
 */
public final class FlowKeySet {
    private static final int WORDS = 5;
    private long[] keys;
    private int[] hashes;
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
        keys = new long[capacity * WORDS];
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    /** Adds the key; returns true when it was not yet present. */
    public boolean add(FlowKey key) {
        int h = key.symmetricHash() | 1; // 0 marks an empty slot
        long packed = key.packed();
        int slot = h & mask;
        while (true) {
            int existing = hashes[slot];
            if (existing == 0) {
                break;
            }
            int k = slot * WORDS;
            if (existing == h && keys[k] == key.aHi && keys[k + 1] == key.aLo && keys[k + 2] == key.bHi
                    && keys[k + 3] == key.bLo && keys[k + 4] == packed) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        store(slot, h, key.aHi, key.aLo, key.bHi, key.bLo, packed);
        if (++size * 2 > hashes.length) {
            rehash();
        }
        return true;
    }

    private void store(int slot, int h, long a, long b, long c, long d, long e) {
        hashes[slot] = h;
        int k = slot * WORDS;
        keys[k] = a;
        keys[k + 1] = b;
        keys[k + 2] = c;
        keys[k + 3] = d;
        keys[k + 4] = e;
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldHashes = hashes;
        allocate(oldHashes.length * 2);
        for (int i = 0; i < oldHashes.length; i++) {
            int h = oldHashes[i];
            if (h != 0) {
                int slot = h & mask;
                while (hashes[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                int k = i * WORDS;
                store(slot, h, oldKeys[k], oldKeys[k + 1], oldKeys[k + 2], oldKeys[k + 3], oldKeys[k + 4]);
            }
        }
    }

    /** Distinct keys added. */
    public int size() {
        return size;
    }
}
