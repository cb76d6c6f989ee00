package io.judo.engine.worker;

import io.judo.engine.output.FrameSink;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Puts the packets several workers write back in the order they were read: each worker's frames go, with an end mark
 * after every packet it decided, into a ring of its own ({@link #lane}); the reader notes which worker got each packet
 * ({@link Workers} does, in input order); one merging thread takes packet after packet from the worker that has it and
 * writes its frames to the real sink. So a rewritten capture is the same bytes with any number of workers.
 *
 * <p>It cannot deadlock: the merger waits only for the worker holding the next packet, whose ring then holds that
 * packet's frames at its head (everything before was taken), so that worker always has room to finish it.
 */
public final class OrderedFrames {
    private static final int ASSIGNED = 1 << 16;
    private static final int FRAMES = 4096;

    private final FrameSink out;
    private final FrameRing assigned = new FrameRing(ASSIGNED, 0);
    private final FrameRing[] frames;
    private final Lane[] lanes;
    private final Thread merger;
    private volatile Throwable failure;
    private final java.util.function.BooleanSupplier failed = () -> failure != null;
    /** The link type of the output: the first one a worker offered (a pcap file has one). */
    private volatile int linkType = -1;

    /**
     * @param workers how many workers write
     * @param out the real output, written by the merging thread only (and, after {@link #finish}, by the caller)
     */
    public OrderedFrames(int workers, FrameSink out) {
        this.out = out;
        this.frames = new FrameRing[workers];
        this.lanes = new Lane[workers];
        for (int i = 0; i < workers; i++) {
            frames[i] = new FrameRing(FRAMES, FrameRing.FRAME_SLOT);
            lanes[i] = new Lane(frames[i]);
        }
        this.merger = new Thread(this::merge, "judo-ordered-output");
        merger.setDaemon(true);
        merger.start();
    }

    /** Worker {@code worker}'s sink: what it writes for its packet in hand. */
    public FrameSink lane(int worker) {
        return lanes[worker];
    }

    /** The reader gave the next packet to {@code worker}. */
    void assigned(int worker) {
        int slot;
        try {
            slot = assigned.claim(0, failed);
        } catch (IllegalStateException e) {
            throw new Workers.WorkerFailure(failure);
        }
        assigned.linkType(slot, worker);
        assigned.publish();
    }

    /** {@code worker} has written everything of its packet in hand. */
    void packetDone(int worker) {
        FrameRing r = frames[worker];
        int slot = claim(r, 0);
        r.length(slot, -1);
        r.publish();
    }

    /** A worker stopped on an error: the merger stops too (what was merged stays written). */
    void abort(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        assigned.close();
        for (FrameRing r : frames) {
            r.close();
        }
    }

    /**
     * Waits until every packet read was written; from then on the lanes write straight to the output (frames held
     * to the end go out after every packet, in worker order).
     *
     * @throws Workers.WorkerFailure when a worker or the output failed
     */
    public void finish() {
        assigned.close();
        Threads.joinAll(java.util.List.of(merger));
        for (Lane l : lanes) {
            l.direct = true;
        }
        if (failure != null) {
            if (failure instanceof RuntimeException re && !(failure instanceof IllegalStateException)) {
                throw re; // the output's own error (an OutputException: a full disk), for the user
            }
            throw new Workers.WorkerFailure(failure);
        }
    }

    private int claim(FrameRing r, int bytes) {
        try {
            return r.claim(bytes, failed);
        } catch (IllegalStateException e) {
            throw new Workers.WorkerFailure(failure);
        }
    }

    private void merge() {
        try {
            boolean typed = false;
            for (int a = assigned.next(); a >= 0; a = assigned.next()) {
                FrameRing r = frames[assigned.linkType(a)];
                assigned.release();
                for (int s = r.next(); ; s = r.next()) {
                    if (s < 0) {
                        return; // aborted
                    }
                    int n = r.length(s);
                    if (n < 0) {
                        r.release();
                        break;
                    }
                    if (!typed) {
                        out.accepts(linkType); // the file's link type, before its first frame
                        typed = true;
                    }
                    out.frame(r.timeNanos(s), r.data[s], 0, n, r.originalLength(s));
                    r.release();
                }
            }
        } catch (Throwable t) {
            abort(t);
        }
    }

    /** One worker's side: frames copied into its ring, in the order it writes them. */
    private final class Lane implements FrameSink {
        private final FrameRing ring;
        private volatile boolean direct;

        Lane(FrameRing ring) {
            this.ring = ring;
        }

        @Override
        public boolean accepts(int type) {
            int t = linkType;
            if (t < 0) {
                synchronized (OrderedFrames.this) { // once per run: the first frame any worker offers
                    if (linkType < 0) {
                        linkType = type;
                    }
                    t = linkType;
                }
            }
            return t == type;
        }

        @Override
        public void frame(long timeNanos, byte[] bytes, int offset, int length, int originalLength)
                throws IOException {
            if (direct) {
                out.frame(timeNanos, bytes, offset, length, originalLength);
                return;
            }
            int slot = claim(ring, length);
            System.arraycopy(bytes, offset, ring.data[slot], 0, length);
            publish(slot, timeNanos, length, originalLength);
        }

        @Override
        public void frame(long timeNanos, ByteBuffer buffer, int offset, int length, int originalLength)
                throws IOException {
            if (direct) {
                out.frame(timeNanos, buffer, offset, length, originalLength);
                return;
            }
            int slot = claim(ring, length);
            buffer.get(offset, ring.data[slot], 0, length);
            publish(slot, timeNanos, length, originalLength);
        }

        private void publish(int slot, long timeNanos, int length, int originalLength) {
            ring.length(slot, length);
            ring.originalLength(slot, originalLength);
            ring.timeNanos(slot, timeNanos);
            ring.publish();
        }

        /** The real output is closed once, by its owner, after {@link OrderedFrames#finish}. */
        @Override
        public void close() {
        }
    }
}
