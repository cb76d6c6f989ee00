package io.judo.engine.worker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded single-producer single-consumer ring of frame slots, allocated once: the reader copies a captured frame
 * into the next free slot and publishes it; the worker decodes straight from the slot and releases it. Positions are
 * published with release/acquire ordering, each side caching the other's position so the shared line is read only
 * when the ring looks full or empty. A waiting side spins briefly, then parks for a few microseconds (on two cores a
 * spinning waiter would steal the other side's core). Written here rather than taken from Agrona, whose ring needs
 * {@code sun.misc.Unsafe}, which JDK 24 and later warn about at run time.
 */
final class FrameRing {
    /** A slot's bytes grow to the largest frame seen; 2 KiB holds an Ethernet frame with VLAN tags. */
    static final int FRAME_SLOT = 2048;
    private static final int SPINS = 100;
    private static final long PARK_NANOS = 20_000;

    final byte[][] data;
    final int[] length;
    final int[] originalLength;
    final int[] linkType;
    final long[] timeNanos;
    final boolean[] checksumProblem;
    private final int mask;
    /** Next slot the producer fills; published with release semantics. */
    private final AtomicLong tail = new AtomicLong();
    /** Next slot the consumer reads; published with release semantics. */
    private final AtomicLong head = new AtomicLong();
    private long cachedHead;
    private long cachedTail;
    private long producerAt;
    private long consumerAt;
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
        this.length = new int[slots];
        this.originalLength = new int[slots];
        this.linkType = new int[slots];
        this.timeNanos = new long[slots];
        this.checksumProblem = new boolean[slots];
    }

    /**
     * The slot the producer fills next, waiting while the ring is full; {@code minBytes} is the frame's length.
     *
     * @param failed checked while waiting: when the consumer has died, waiting would never end
     */
    int claim(int minBytes, java.util.function.BooleanSupplier failed) {
        long at = producerAt;
        int spins = 0;
        while (at - cachedHead > mask) {
            cachedHead = head.getAcquire();
            if (at - cachedHead > mask) {
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
        tail.setRelease(++producerAt);
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
        long at = consumerAt;
        int spins = 0;
        while (at == cachedTail) {
            cachedTail = tail.getAcquire();
            if (at == cachedTail) {
                if (closed) {
                    cachedTail = tail.getAcquire(); // a frame published just before the close
                    if (at == cachedTail) {
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
        head.setRelease(++consumerAt);
    }

    private static int pause(int spins) {
        if (spins < SPINS) {
            Thread.onSpinWait();
            return spins + 1;
        }
        LockSupport.parkNanos(PARK_NANOS);
        return spins;
    }
}
