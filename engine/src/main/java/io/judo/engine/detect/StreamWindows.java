package io.judo.engine.detect;

import java.nio.ByteBuffer;

/**
 * Inspection windows over reassembled streams: each chunk of in-order bytes is inspected after the last
 * {@link #KEEP} bytes of its direction, so that a match can span chunks; only those kept bytes stay per flow
 * direction, in an array no larger than the stream so far. One per thread: {@link #assemble} fills a shared scratch.
 */
final class StreamWindows {
    /** Bytes of already inspected stream kept before new data. */
    static final int KEEP = 2048;

    /** One flow's kept bytes, both directions. */
    static final class Tails {
        private final byte[][] bytes = new byte[2][];
        private final int[] length = new int[2];
        private final long[] base = new long[2];

        /** A direction ended: its kept bytes are no longer needed. */
        void release(int dir) {
            bytes[dir] = null;
            length[dir] = 0;
        }
    }

    private byte[] scratch = new byte[8192];
    private ByteBuffer view;
    private int length;
    private long base;
    private int newFrom;

    /**
     * Puts the direction's kept bytes (when adjacent to {@code offset}) and the new ones into the scratch.
     *
     * @return the scratch; valid in [0, {@link #length()})
     */
    byte[] assemble(Tails t, int dir, long offset, byte[] data, int from, int count) {
        int kept = t.length[dir];
        if (kept > 0 && t.base[dir] + kept != offset) { // a gap: the kept bytes are not adjacent to the new ones
            kept = 0;
        }
        int total = kept + count;
        if (scratch.length < total) {
            scratch = new byte[Math.max(total, scratch.length * 2)];
        }
        if (kept > 0) {
            System.arraycopy(t.bytes[dir], 0, scratch, 0, kept);
        }
        System.arraycopy(data, from, scratch, kept, count);
        length = total;
        base = offset - kept;
        newFrom = kept;
        return scratch;
    }

    /** Keeps the last {@link #KEEP} bytes of the window just assembled for {@code dir}. */
    void keep(Tails t, int dir) {
        int keep = Math.min(KEEP, length);
        byte[] tail = t.bytes[dir];
        if (tail == null || tail.length < keep) {
            tail = new byte[Math.min(KEEP, Math.max(keep, tail == null ? 256 : tail.length * 2))];
            t.bytes[dir] = tail;
        }
        System.arraycopy(scratch, length - keep, tail, 0, keep);
        t.length[dir] = keep;
        t.base[dir] = base + length - keep;
    }

    /** A ByteBuffer over the scratch (rebuilt only when the scratch grew). */
    ByteBuffer view() {
        if (view == null || view.array() != scratch) {
            view = ByteBuffer.wrap(scratch);
        }
        return view;
    }

    int length() {
        return length;
    }

    /** Stream offset of the window's first byte. */
    long base() {
        return base;
    }

    /** Index of the first byte not inspected before. */
    int newFrom() {
        return newFrom;
    }
}
