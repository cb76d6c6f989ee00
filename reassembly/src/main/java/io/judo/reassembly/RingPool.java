package io.judo.reassembly;

/**
 * Spare rings of delivered bytes, one free list per power-of-two size from 256 bytes to 16 KiB, shared by the streams
 * of one reassembler (one thread). A stream's ring grows with the stream and goes back here when its flow ends, so a
 * run of many short flows reuses a few rings instead of allocating about 32 KiB per stream direction. A taken ring is
 * not cleared: a stream reads only the offsets it wrote since it took it.
 */
final class RingPool {
    private static final int SMALLEST = 256;
    private static final int CLASSES = 7; // 256 B .. 16 KiB
    private static final int PER_CLASS = 32;

    private final byte[][][] free = new byte[CLASSES][PER_CLASS][];
    private final int[] count = new int[CLASSES];

    /** The size class of a ring of {@code size} bytes (a power of two), -1 when no class holds it. */
    private static int classOf(int size) {
        int c = Integer.numberOfTrailingZeros(size) - Integer.numberOfTrailingZeros(SMALLEST);
        return Integer.bitCount(size) == 1 && c >= 0 && c < CLASSES ? c : -1;
    }

    /** A ring of {@code size} bytes (a power of two), reused when one is spare. */
    byte[] take(int size) {
        int c = classOf(size);
        if (c >= 0 && count[c] > 0) {
            byte[] ring = free[c][--count[c]];
            free[c][count[c]] = null;
            return ring;
        }
        return new byte[size];
    }

    /** Keeps {@code ring} for a later stream, or leaves it to the collector when its list is full. */
    void give(byte[] ring) {
        int c = ring == null ? -1 : classOf(ring.length);
        if (c >= 0 && count[c] < PER_CLASS) {
            free[c][count[c]++] = ring;
        }
    }
}
