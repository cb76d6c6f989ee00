package io.judo.engine.queue;

import java.util.Arrays;

/**
 * The transmit side of one interface: one FIFO per declared queue, each shaped by a token bucket to its rate, plus
 * the default queue (index 0: no rate, pf's default queue). Whenever the interface may send, the highest-priority
 * queue that has a frame and the tokens for it goes first (strict priority, as pf's priq; ties by declaration order).
 * A frame that finds its queue full is dropped (tail drop, as pf's qlimit), which is how TCP learns the rate.
 *
 * <p>Frames are copied into slots the queue owns, grown to the largest frame seen: nothing is allocated per frame
 * once warm. Rates count whole frames (link header included), as Linux's tc does. Not thread-safe.
 */
public final class TransmitQueues {
    /** Frames a queue holds before it drops (pf's default qlimit). */
    public static final int DEFAULT_LIMIT = 50;

    /** Sends one frame out of the interface. */
    public interface Transmitter {
        void send(byte[] frame, int offset, int length);
    }

    private final Transmitter out;
    private final long[] bytesPerSecond;
    private final int[] prio;
    /** Queue indexes, highest priority first. */
    private final int[] order;
    private final long[] burst;
    private final double[] tokens;
    private long lastRefill;
    private final byte[][][] slots;
    private final int[][] lengths;
    private final int[] head;
    private final int[] count;
    private final long[] sentFrames;
    private final long[] sentBytes;
    private final long[] dropped;
    private int waiting;

    /**
     * @param rates bits per second per queue, index 0 the default queue; 0 for no limit
     * @param priorities per queue, higher first
     * @param limit frames per queue
     */
    public TransmitQueues(long[] rates, int[] priorities, int limit, Transmitter out, long nowNanos) {
        int n = rates.length;
        this.out = out;
        this.bytesPerSecond = new long[n];
        this.prio = priorities.clone();
        this.burst = new long[n];
        this.tokens = new double[n];
        this.slots = new byte[n][limit][];
        this.lengths = new int[n][limit];
        this.head = new int[n];
        this.count = new int[n];
        this.sentFrames = new long[n];
        this.sentBytes = new long[n];
        this.dropped = new long[n];
        for (int q = 0; q < n; q++) {
            bytesPerSecond[q] = rates[q] / 8;
            // 5 ms worth of the rate, at least two full frames: small enough to shape, large enough for one frame
            burst[q] = Math.max(2 * 1_518, bytesPerSecond[q] / 200);
            tokens[q] = burst[q];
        }
        this.order = java.util.stream.IntStream.range(0, n).boxed()
                .sorted((a, b) -> prio[a] != prio[b] ? Integer.compare(prio[b], prio[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
        this.lastRefill = nowNanos;
    }

    /**
     * Sends a frame of queue {@code q} now if its queue lets it go at once, or keeps a copy for {@link #service}.
     *
     * @return false when the queue was full and the frame was dropped
     */
    public boolean offer(int q, byte[] frame, int offset, int length, long nowNanos) {
        if (q < 0 || q >= count.length) {
            q = 0;
        }
        if (waiting == 0 && bytesPerSecond[q] == 0) {
            send(q, frame, offset, length); // nothing waits, no rate: the fast path
            return true;
        }
        if (waiting > 0) {
            service(nowNanos); // what may go by now makes room first
        }
        int limit = lengths[q].length;
        if (count[q] == limit) {
            dropped[q]++;
            return false;
        }
        int slot = (head[q] + count[q]) % limit;
        byte[] b = slots[q][slot];
        if (b == null || b.length < length) {
            b = new byte[Math.max(length, 2048)];
            slots[q][slot] = b;
        }
        System.arraycopy(frame, offset, b, 0, length);
        lengths[q][slot] = length;
        count[q]++;
        waiting++;
        service(nowNanos);
        return true;
    }

    /**
     * Sends every waiting frame the buckets allow, highest priority first.
     *
     * @return nanoseconds until the next waiting frame may go (0 when none waits)
     */
    public long service(long nowNanos) {
        refill(nowNanos);
        long wait = 0;
        boolean sent = true;
        while (waiting > 0 && sent) {
            sent = false;
            wait = Long.MAX_VALUE;
            for (int q : order) {
                if (count[q] == 0) {
                    continue;
                }
                int length = lengths[q][head[q]];
                if (bytesPerSecond[q] != 0 && tokens[q] < length) {
                    wait = Math.min(wait, (long) ((length - tokens[q]) * 1e9 / bytesPerSecond[q]) + 1);
                    continue;
                }
                if (bytesPerSecond[q] != 0) {
                    tokens[q] -= length;
                }
                int slot = head[q];
                head[q] = (slot + 1) % lengths[q].length;
                count[q]--;
                waiting--;
                send(q, slots[q][slot], 0, length);
                sent = true;
                break; // from the top: a higher queue may have become eligible
            }
        }
        return waiting == 0 ? 0 : wait;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefill;
        if (elapsed <= 0) {
            return;
        }
        lastRefill = nowNanos;
        for (int q = 0; q < tokens.length; q++) {
            if (bytesPerSecond[q] != 0) {
                tokens[q] = Math.min(burst[q], tokens[q] + elapsed * 1e-9 * bytesPerSecond[q]);
            }
        }
    }

    private void send(int q, byte[] frame, int offset, int length) {
        sentFrames[q]++;
        sentBytes[q] += length;
        out.send(frame, offset, length);
    }

    /** Frames waiting in all queues. */
    public int waiting() {
        return waiting;
    }

    public long sentFrames(int q) {
        return sentFrames[q];
    }

    public long sentBytes(int q) {
        return sentBytes[q];
    }

    /** Frames dropped because queue {@code q} was full. */
    public long dropped(int q) {
        return dropped[q];
    }

    /** The number of queues, the default one included. */
    public int queues() {
        return count.length;
    }

    @Override
    public String toString() {
        return "TransmitQueues" + Arrays.toString(count);
    }
}
