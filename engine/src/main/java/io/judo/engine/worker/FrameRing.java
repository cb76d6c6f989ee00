package io.judo.engine.worker;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded single-producer single-consumer ring of frame slots, allocated once: the reader copies a captured frame
 * into the next free slot and publishes it; the worker decodes straight from the slot and releases it. Positions are
 * published with release/acquire ordering, each side caching the other's position so the shared line is read only
 * when the ring looks full or empty, and the two sides' fields never share a cache line. A waiting side spins
 * briefly, then parks for a few microseconds (on two cores a spinning waiter would steal the other side's core). Written here rather than taken from Agrona, whose ring needs
 * {@code sun.misc.Unsafe}, which JDK 24 and later warn about at run time.
 */
final class FrameRing {
    /** A slot's bytes grow to the largest frame seen; 2 KiB holds an Ethernet frame with VLAN tags. */
    static final int FRAME_SLOT = 2048;
    private static final int SPINS = 10;
    private static final long PARK_NANOS = 50_000;

    final byte[][] data;
    /**
     * Each slot's numbers (length, length on the wire, link type, time, flags) in a cache line of its own: the two
     * sides work a few slots apart, and numbers of neighbouring slots in shared arrays would bounce lines between
     * the cores with every packet.
     */
    private final long[] meta;
    private static final int STRIDE = 8;
    private static final int LENGTH = 0;
    private static final int ORIGINAL = 1;
    private static final int LINK = 2;
    private static final int TIME = 3;
    private static final int FLAGS = 4;
    private final int mask;
    /**
     * The published positions, 128 bytes apart in one array so that neither shares a cache line with the other or
     * with anything else: {@link #TAIL}, the next slot the producer fills, and {@link #HEAD}, the next slot the
     * consumer reads, each written with release semantics by its one writer.
     */
    private final AtomicLongArray positions = new AtomicLongArray(48);
    private static final int TAIL = 16;
    private static final int HEAD = 32;
    /** Each side's own position and its cached copy of the other's, in an array of its own (padded likewise). */
    private final long[] producer = new long[24];
    private final long[] consumer = new long[24];
    private static final int AT = 8;
    private static final int SEEN = 9;
    private volatile boolean closed;

    /**
     * @param slots a power of two
     * @param slotBytes each slot's first size (0 for a ring that carries only the numbers)
     */
    FrameRing(int slots, int slotBytes) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("ring slots must be a power of two: " + slots);
        }
        this.mask = slots - 1;
        this.data = new byte[slots][slotBytes];
        this.meta = new long[slots * STRIDE + STRIDE]; // one spare line after the last slot's
    }

    /**
     * The slot the producer fills next, waiting while the ring is full; {@code minBytes} is the frame's length.
     *
     * @param failed checked while waiting: when the consumer has died, waiting would never end
     */
    int claim(int minBytes, java.util.function.BooleanSupplier failed) {
        long[] p = producer;
        long at = p[AT];
        int spins = 0;
        while (at - p[SEEN] > mask) {
            p[SEEN] = positions.getAcquire(HEAD);
            if (at - p[SEEN] > mask) {
                if (failed.getAsBoolean()) {
                    throw new IllegalStateException("a worker stopped");
                }
                spins = pause(spins);
            }
        }
        int slot = (int) (at & mask);
        if (data[slot].length < minBytes) {
            data[slot] = new byte[Math.max(minBytes, data[slot].length * 2)]; // a bigger frame than any before: rare
        }
        return slot;
    }

    /** Publishes the slot {@link #claim} gave. */
    void publish() {
        positions.setRelease(TAIL, ++producer[AT]);
    }

    /** Whether {@link #close} was called. */
    boolean closed() {
        return closed;
    }

    /** Says no more frames come: the consumer drains what is published, then {@link #next} returns -1. */
    void close() {
        closed = true;
    }

    /** The next published slot, waiting for one; -1 once the ring is closed and drained. */
    int next() {
        long[] c = consumer;
        long at = c[AT];
        int spins = 0;
        while (at == c[SEEN]) {
            c[SEEN] = positions.getAcquire(TAIL);
            if (at == c[SEEN]) {
                if (closed) {
                    c[SEEN] = positions.getAcquire(TAIL); // a frame published just before the close
                    if (at == c[SEEN]) {
                        return -1;
                    }
                    break;
                }
                spins = pause(spins);
            }
        }
        return (int) (at & mask);
    }

    /** Gives the slot {@link #next} returned back to the producer. */
    void release() {
        positions.setRelease(HEAD, ++consumer[AT]);
    }

    private static int pause(int spins) {
        if (spins < SPINS) {
            Thread.onSpinWait();
            return spins + 1;
        }
        LockSupport.parkNanos(PARK_NANOS);
        return spins;
    }

    int length(int slot) {
        return (int) meta[slot * STRIDE + LENGTH];
    }

    void length(int slot, int n) {
        meta[slot * STRIDE + LENGTH] = n;
    }

    int originalLength(int slot) {
        return (int) meta[slot * STRIDE + ORIGINAL];
    }

    void originalLength(int slot, int n) {
        meta[slot * STRIDE + ORIGINAL] = n;
    }

    /** The link type (Workers), or the worker a packet went to (OrderedFrames' assignments). */
    int linkType(int slot) {
        return (int) meta[slot * STRIDE + LINK];
    }

    void linkType(int slot, int type) {
        meta[slot * STRIDE + LINK] = type;
    }

    long timeNanos(int slot) {
        return meta[slot * STRIDE + TIME];
    }

    void timeNanos(int slot, long t) {
        meta[slot * STRIDE + TIME] = t;
    }

    boolean checksumProblem(int slot) {
        return meta[slot * STRIDE + FLAGS] != 0;
    }

    void checksumProblem(int slot, boolean bad) {
        meta[slot * STRIDE + FLAGS] = bad ? 1 : 0;
    }
}
