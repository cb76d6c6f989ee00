package io.judo.rewrite.flow;

import io.judo.rewrite.DeltaMap;
import java.util.Arrays;

/**
 * The rewriting state of one direction of a flow: its ISN (as flow tracking knows it), the edits made to its stream
 * so far ({@link DeltaMap}), occurrences found ahead of the segments sent so far (pending edits), the bytes held back
 * inline, and what its receiver said last. Stream offsets count original bytes from 0 (the byte after the SYN)
 * unless a method says otherwise.
 */
public final class DirectionState {
    boolean isnKnown;
    long isn;
    /** The edits made so far (null until the first edit or hold). */
    DeltaMap deltas;
    /** How far the stream has gone out (sent, or held to be sent); 0 before any data. */
    long front;
    /** The furthest stream offset any segment reached (beyond {@link #front}: dropped ones). */
    long seen;
    /**
     * Inline, what this direction's receiver said last (to tell whether the sender can send more): the stream offset
     * it acknowledged (rewritten space) and its window in bytes, and when either last let the sender send more.
     */
    long acked;
    long window;
    long ackMoved;
    /** The window scale this direction's sender announced in its SYN (-1: none seen). */
    int scale = -1;
    /** Occurrences found in stream bytes no segment has carried out yet: stream offset and kind (null until needed). */
    long[] pendingAt;
    int[] pendingKind;
    int pendingCount;
    /** Bytes held back inline (null until the first hold). */
    HeldBytes held;

    /** Sets the direction's ISN as flow tracking knows it now ({@code known} false: none yet, SYN not seen). */
    public void isn(boolean known, long isn) {
        this.isnKnown = known;
        this.isn = known ? isn : 0;
    }

    /** Whether the ISN is known: only then do sequence numbers have stream offsets. */
    public boolean isnKnown() {
        return isnKnown;
    }

    /** The edits made to this direction so far, or null before the first. */
    public DeltaMap deltas() {
        return deltas;
    }

    /** The map edits are recorded in, created at the first. */
    DeltaMap deltasForEdits() {
        if (deltas == null) {
            deltas = new DeltaMap();
        }
        return deltas;
    }

    /** The stream offset of sequence number {@code seq}, modulo 2^32. */
    public long streamOffset(long seq) {
        return DeltaMap.offsetOf(seq, isn);
    }

    /** The sequence number of stream offset {@code offset} (of either space), wrapping at 2^32. */
    public long seqAt(long offset) {
        return (isn + 1 + offset) & 0xffffffffL;
    }

    /**
     * Where a segment whose data begins at original offset {@code offset} begins in the rewritten stream (see
     * {@link DeltaMap#toRewrittenStart}); the same offset before any edit.
     */
    public long toRewrittenStart(long offset) {
        return deltas == null ? offset : deltas.toRewrittenStart(offset);
    }

    /**
     * The original offset of rewritten offset {@code offset}: what the receiver's acknowledgement of it means to the
     * sender (see {@link DeltaMap#toOriginal}); the same offset before any edit.
     */
    public long toOriginal(long offset) {
        return deltas == null ? offset : deltas.toOriginal(offset);
    }

    /** Occurrences waiting for a segment that carries them. */
    public int pendingCount() {
        return pendingCount;
    }

    /** An occurrence of edit kind {@code kind} at {@code start}, ahead of what went out: once per start. */
    void addPending(long start, int kind) {
        if (pendingAt == null) {
            pendingAt = new long[4];
            pendingKind = new int[4];
        }
        for (int i = 0; i < pendingCount; i++) {
            if (pendingAt[i] == start) {
                return;
            }
        }
        if (pendingCount == pendingAt.length) {
            pendingAt = Arrays.copyOf(pendingAt, pendingCount * 2);
            pendingKind = Arrays.copyOf(pendingKind, pendingCount * 2);
        }
        pendingAt[pendingCount] = start;
        pendingKind[pendingCount++] = kind;
    }
}
