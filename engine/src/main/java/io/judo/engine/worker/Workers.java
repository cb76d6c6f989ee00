package io.judo.engine.worker;

import io.judo.engine.CaptureScanner;
import io.judo.packet.decode.Malformed;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Flow-sharded workers behind a reader: {@link #packet}, called by the reader (a {@link CaptureScanner}'s thread),
 * copies the frame into the ring of the worker that owns its flow ({@link FlowHash}); each worker thread decodes it
 * again from the ring and gives it to its own pipeline. A pipeline (a partition and its outputs) is only ever called
 * from its worker's thread, so it needs no locks; after {@link #finish} returns, the caller may use the pipelines
 * from its own thread (the threads were joined). Allocates nothing per packet.
 */
public final class Workers implements CaptureScanner.PacketListener {
    /** Frames in flight per worker: enough to ride out a slow stretch of one flow without stalling the reader. */
    public static final int RING_SLOTS = 8192;
    private static final long CHECKSUM_PROBLEMS = Malformed.BAD_IPV4_CHECKSUM.bit() | Malformed.BAD_TCP_CHECKSUM.bit()
            | Malformed.BAD_UDP_CHECKSUM.bit() | Malformed.BAD_ICMP_CHECKSUM.bit()
            | Malformed.BAD_ICMPV6_CHECKSUM.bit();

    private final FrameRing[] rings;
    private final Thread[] threads;
    private volatile Throwable failure;
    private final java.util.function.BooleanSupplier failed = () -> failure != null;
    private boolean finished;
    private final OrderedFrames order;

    /**
     * Starts one thread per pipeline.
     *
     * @param pipelines each worker's pipeline, in worker order
     * @param name the threads' name prefix
     */
    public Workers(List<? extends CaptureScanner.PacketListener> pipelines, String name) {
        this(pipelines, name, null);
    }

    /**
     * As above, the packets the pipelines write put back in input order by {@code order} (null: no such output); the
     * pipeline of worker {@code i} writes through {@code order.lane(i)}.
     */
    public Workers(List<? extends CaptureScanner.PacketListener> pipelines, String name, OrderedFrames order) {
        this.order = order;
        int n = pipelines.size();
        this.rings = new FrameRing[n];
        this.lastTime = new long[n];
        java.util.Arrays.fill(lastTime, Long.MIN_VALUE);
        this.threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            FrameRing ring = new FrameRing(RING_SLOTS, FrameRing.FRAME_SLOT);
            CaptureScanner.PacketListener pipeline = pipelines.get(i);
            rings[i] = ring;
            int worker = i;
            threads[i] = new Thread(() -> run(worker, ring, pipeline), name + "-" + i);
            threads[i].setDaemon(true);
        }
        for (Thread t : threads) {
            t.start();
        }
    }

    /** How many workers there are. */
    public int size() {
        return rings.length;
    }

    /**
     * Hands the packet to its worker, waiting while that worker's ring is full.
     *
     * @throws WorkerFailure when a worker stopped on an error (the reader should stop reading)
     */
    @Override
    public void packet(PacketView v, long timeNanos) {
        if (failure != null) {
            throw new WorkerFailure(failure);
        }
        int worker = FlowHash.worker(v, rings.length);
        FrameRing ring = rings[worker];
        int length = v.capturedLength();
        int slot;
        try {
            slot = ring.claim(length, failed);
        } catch (IllegalStateException e) {
            throw new WorkerFailure(failure);
        }
        v.buffer().get(v.start(), ring.data[slot], 0, length);
        ring.length(slot, length);
        ring.originalLength(slot, v.originalLength());
        ring.linkType(slot, v.linkType());
        ring.timeNanos(slot, timeNanos);
        // decoding again with checks only when the reader's found a bad checksum gives the same view either way: a
        // bad checksum is flagged only by a checking decoder, and a good one is not flagged by either
        ring.checksumProblem(slot, (v.problems() & CHECKSUM_PROBLEMS) != 0);
        if (order != null) {
            order.assigned(worker);
        }
        ring.publish();
        lastTime[worker] = timeNanos;
        for (int other = 0; other < rings.length; other++) {
            if (other != worker && timeNanos > lastTime[other]) {
                tick(other, timeNanos);
            }
        }
    }

    /**
     * Tells worker {@code other} the capture's clock moved to {@code timeNanos} (a packet of another worker's): its
     * flows age as they would in one flow table that saw every packet.
     */
    private void tick(int other, long timeNanos) {
        FrameRing r = rings[other];
        int slot;
        try {
            slot = r.claim(0, failed);
        } catch (IllegalStateException e) {
            throw new WorkerFailure(failure);
        }
        r.length(slot, TICK);
        r.timeNanos(slot, timeNanos);
        r.publish();
        lastTime[other] = timeNanos;
    }

    /** A slot's length for a clock tick (no frame). */
    private static final int TICK = -1;

    /** Per worker, the latest time it was given (a packet's or a tick's). */
    private final long[] lastTime;

    /**
     * Waits until every worker has given its pipeline every packet handed over, and stops the threads.
     *
     * @throws WorkerFailure when a worker stopped on an error
     */
    public void finish() {
        if (!finished) {
            finished = true;
            for (FrameRing r : rings) {
                r.close();
            }
            Threads.joinAll(java.util.List.of(threads));
        }
        if (failure != null) {
            throw new WorkerFailure(failure);
        }
    }

    private void run(int worker, FrameRing ring, CaptureScanner.PacketListener pipeline) {
        PacketDecoder plain = new PacketDecoder(false);
        PacketDecoder checking = new PacketDecoder(true);
        PacketView view = new PacketView();
        ByteBuffer[] wrapped = new ByteBuffer[ring.data.length];
        try {
            for (int slot = ring.next(); slot >= 0; slot = ring.next()) {
                if (ring.length(slot) == TICK) {
                    pipeline.skipped(ring.timeNanos(slot));
                    ring.release();
                    continue;
                }
                byte[] bytes = ring.data[slot];
                ByteBuffer b = wrapped[slot];
                if (b == null || b.array() != bytes) {
                    b = ByteBuffer.wrap(bytes); // once per slot, and again only when a bigger frame grew it
                    wrapped[slot] = b;
                }
                (ring.checksumProblem(slot) ? checking : plain).decode(b, 0, ring.length(slot),
                        ring.originalLength(slot), ring.linkType(slot), view);
                pipeline.packet(view, ring.timeNanos(slot));
                ring.release();
                if (order != null) {
                    order.packetDone(worker);
                }
            }
        } catch (Throwable t) {
            failure = t;
            if (order != null) {
                order.abort(t);
            }
        }
    }

    /** A worker's pipeline threw: a bug, reported with its cause. */
    public static final class WorkerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WorkerFailure(Throwable cause) {
            super("a worker stopped: " + cause, cause);
        }
    }
}
