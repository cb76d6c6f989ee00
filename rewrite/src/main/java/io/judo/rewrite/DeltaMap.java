package io.judo.rewrite;

import java.util.Arrays;

/**
 * One flow direction's edits, as an ordered map from original stream offset to cumulative length change, so that any
 * original offset translates to the rewritten stream and back. Unlike Linux's seqadj, which keeps only the last
 * correction, every edit is kept: several rewrites per flow and retransmissions of old data translate correctly.
 *
 * <p>An edit replaces the original bytes [start, start + oldLength) with newLength bytes. Edits are recorded in stream
 * order (non-overlapping, increasing start); recording the same edit again (a retransmission re-edited) changes
 * nothing. Offsets are 64-bit stream offsets; {@link #toRewrittenSeq}/{@link #toOriginalSeq} map 32-bit sequence
 * numbers, wrap-safe, given the direction's ISN. The sequence forms take the offset modulo 2^32, so beyond 4 GiB of
 * one direction the caller (which tracks the 64-bit offset) should use the offset forms.
 */
public final class DeltaMap {
    private long[] start = new long[8];
    private int[] oldLength = new int[8];
    private int[] newLength = new int[8];
    /** Cumulative change after edit i (sum of newLength - oldLength over edits 0..i). */
    private long[] cumulative = new long[8];
    /** The caller's label for each edit (e.g. which rule's replacement), so a retransmission can be re-edited. */
    private int[] tag = new int[8];
    private int size;

    /**
     * Records an edit.
     *
     * @return false when this exact edit was already recorded (a retransmission), true when it is new
     * @throws IllegalArgumentException for an edit overlapping or preceding a recorded one (not stream order)
     */
    public boolean edit(long at, int oldLen, int newLen) {
        return edit(at, oldLen, newLen, 0);
    }

    /** As {@link #edit(long, int, int)}, labelled with {@code label} (see {@link #label}). */
    public boolean edit(long at, int oldLen, int newLen, int label) {
        if (oldLen < 0 || newLen < 0 || at < 0) {
            throw new IllegalArgumentException("bad edit " + at + "+" + oldLen + "->" + newLen);
        }
        int i = find(at);
        if (i >= 0 && start[i] == at) {
            if (oldLength[i] == oldLen && newLength[i] == newLen) {
                return false;
            }
            throw new IllegalArgumentException("a different edit is already recorded at " + at);
        }
        if (size > 0 && at < start[size - 1] + oldLength[size - 1]) {
            throw new IllegalArgumentException("edit at " + at + " is not after the last one (at " + start[size - 1]
                    + ", " + oldLength[size - 1] + " bytes)");
        }
        if (size == start.length) {
            start = Arrays.copyOf(start, size * 2);
            oldLength = Arrays.copyOf(oldLength, size * 2);
            newLength = Arrays.copyOf(newLength, size * 2);
            cumulative = Arrays.copyOf(cumulative, size * 2);
            tag = Arrays.copyOf(tag, size * 2);
        }
        start[size] = at;
        oldLength[size] = oldLen;
        newLength[size] = newLen;
        cumulative[size] = (size == 0 ? 0 : cumulative[size - 1]) + newLen - oldLen;
        tag[size] = label;
        size++;
        return true;
    }

    /** Edits recorded. */
    public int size() {
        return size;
    }

    /** Index of the first edit starting at or after original offset {@code at} ({@link #size()} when none). */
    public int firstAtOrAfter(long at) {
        int i = find(at);
        return i >= 0 && start[i] == at ? i : i + 1;
    }

    /** Original offset where edit {@code i} starts. */
    public long start(int i) {
        return start[i];
    }

    /** Original bytes edit {@code i} replaced. */
    public int oldLength(int i) {
        return oldLength[i];
    }

    /** Bytes edit {@code i} put in their place. */
    public int newLength(int i) {
        return newLength[i];
    }

    /** The label edit {@code i} was recorded with. */
    public int label(int i) {
        return tag[i];
    }

    /** Total length change so far. */
    public long delta() {
        return size == 0 ? 0 : cumulative[size - 1];
    }

    /** Index of the last edit starting at or before {@code at}, or -1. */
    private int find(long at) {
        return lastEdit(at, false, false);
    }

    /**
     * Index of the last edit whose start — in the original stream, or in the rewritten one when {@code rewritten} —
     * lies before {@code at} (or at it, unless {@code strict}), or -1. Both kinds of start are non-decreasing.
     */
    private int lastEdit(long at, boolean strict, boolean rewritten) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long key = rewritten ? start[mid] + before(mid) : start[mid];
            if (key < at || !strict && key == at) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Cumulative change of the edits before edit {@code i}. */
    private long before(int i) {
        return i == 0 ? 0 : cumulative[i - 1];
    }

    /**
     * The rewritten offset of original offset {@code at}. Inside an edited span the offset maps into the replacement
     * (capped at its end): a segment starting there was itself rewritten, so this only matters for acknowledgements.
     */
    public long toRewritten(long at) {
        int i = find(at);
        if (i < 0) {
            return at;
        }
        long end = start[i] + oldLength[i];
        if (at >= end) {
            return at + cumulative[i];
        }
        return start[i] + before(i) + Math.min(at - start[i], newLength[i]);
    }

    /**
     * Where a segment whose data begins at original offset {@code at} begins in the rewritten stream: edits starting
     * before {@code at} count, edits starting at it belong to the segment itself (an insertion there is sent in it).
     * A segment beginning inside an edited span begins after the replacement, which went out with the edit's start.
     */
    public long toRewrittenStart(long at) {
        int i = lastEdit(at, true, false);
        if (i < 0) {
            return at;
        }
        long end = start[i] + oldLength[i];
        if (at >= end) {
            return at + cumulative[i];
        }
        return start[i] + before(i) + newLength[i];
    }

    /** The index of the edit whose replaced span has original offset {@code at} strictly inside, or -1. */
    public int editAround(long at) {
        int i = find(at);
        return i >= 0 && at > start[i] && at < start[i] + oldLength[i] ? i : -1;
    }

    /** True when original offset {@code at} lies strictly inside a recorded edit's replaced span. */
    public boolean insideEdit(long at) {
        int i = find(at);
        return i >= 0 && at > start[i] && at < start[i] + oldLength[i];
    }

    /**
     * The original offset of rewritten offset {@code at}: what an acknowledgement (or SACK edge) of rewritten bytes
     * means to the sender of the original ones. Inside a replacement it maps into the original span, short of its
     * end: a receiver that has acknowledged part of a replacement has not acknowledged the whole original span.
     */
    public long toOriginal(long at) {
        int i = lastEdit(at, false, true);
        if (i < 0) {
            return at;
        }
        long rewrittenStart = start[i] + before(i);
        if (at >= rewrittenStart + newLength[i]) {
            return at - cumulative[i];
        }
        // short of the span's end: the receiver lacks part of the replacement, so the sender must send again from
        // inside the span (the bridge then sends the replacement whole); mapped to the end, the sender would take
        // the whole span for received and the receiver would never get the replacement's last bytes
        return start[i] + Math.min(at - rewrittenStart, Math.max(0, oldLength[i] - 1));
    }

    /**
     * A sequence number of the edited direction, original to rewritten. {@code isn} is the direction's initial
     * sequence number (offset 0 is the byte after the SYN); the result wraps at 2^32 like the input.
     */
    public long toRewrittenSeq(long seq, long isn) {
        return seqOf(toRewritten(offsetOf(seq, isn)), isn);
    }

    /** {@link #toRewrittenStart} for the sequence number of a segment's first data byte, wrap-safe. */
    public long toRewrittenStartSeq(long seq, long isn) {
        return seqOf(toRewrittenStart(offsetOf(seq, isn)), isn);
    }

    /** An acknowledgement or SACK edge for the edited direction, rewritten to original, wrap-safe. */
    public long toOriginalSeq(long ack, long isn) {
        return seqOf(toOriginal(offsetOf(ack, isn)), isn);
    }

    /** The stream offset of a sequence number (offset 0 follows the SYN), modulo 2^32. */
    public static long offsetOf(long seq, long isn) {
        return (seq - isn - 1) & 0xffffffffL;
    }

    private static long seqOf(long offset, long isn) {
        return (isn + 1 + offset) & 0xffffffffL;
    }
}
