package io.judo.rewrite.flow;

import io.judo.rewrite.DeltaMap;
import io.judo.rewrite.PayloadEdits;
import java.util.Arrays;

/**
 * Edit collection: the occurrences of edit texts a rule engine found in the stream bytes the packet just decided
 * delivered, and the edit kinds its rules selected; turned, for the bytes a segment is about to send, into its
 * {@link PayloadEdits} (edits made before to those bytes, for a retransmission; this packet's selected occurrences the
 * segment carries whole; occurrences found earlier ahead of the segments then). Occurrences ahead of the segment wait
 * in the direction's pending edits. Edit kinds are ids into the texts given at construction (null: no edit).
 */
final class EditCollector {
    private final byte[][] olds;
    private final byte[][] replacements;
    private final RewriteCounters counters;
    /** This packet's new occurrences of edit texts: stream offset, kind and flow direction (few per packet). */
    private long[] foundAt = new long[8];
    private int[] foundKind = new int[8];
    private int[] foundDirection = new int[8];
    private int foundCount;
    /** Edit kinds a rule selected for this packet, one bit each. */
    private final long[] selected;
    private boolean anySelected;
    /** The edits of the segment last collected for, and their kinds. */
    private final PayloadEdits edits = new PayloadEdits();
    private int[] editKinds = new int[8];
    private long[] candidateAt = new long[8];
    private int[] candidateKind = new int[8];
    /**
     * Where an inline segment ending inside an edited span is extended to: the span's end ({@link Long#MIN_VALUE}:
     * not extended).
     */
    private long extendTo;
    /** The stream offset where the last collected edit ends (or the segment's start). */
    private long editsEnd;

    EditCollector(byte[][] olds, byte[][] replacements, RewriteCounters counters) {
        this.olds = olds;
        this.replacements = replacements;
        this.counters = counters;
        this.selected = new long[(olds.length + 63) / 64];
    }

    /** A new packet: forget the last one's occurrences and selections. */
    /** Whether a rule selected an edit kind for this packet. */
    boolean anySelected() {
        return anySelected;
    }

    void startPacket() {
        if (anySelected) {
            Arrays.fill(selected, 0);
            anySelected = false;
        }
        foundCount = 0;
    }

    void found(long streamOffset, int kind, int direction) {
        if (foundCount == foundAt.length) {
            foundAt = Arrays.copyOf(foundAt, foundCount * 2);
            foundKind = Arrays.copyOf(foundKind, foundCount * 2);
            foundDirection = Arrays.copyOf(foundDirection, foundCount * 2);
        }
        foundDirection[foundCount] = direction;
        foundAt[foundCount] = streamOffset;
        foundKind[foundCount++] = kind;
    }

    void selected(int kind) {
        selected[kind >>> 6] |= 1L << kind;
        anySelected = true;
    }

    int foundCount() {
        return foundCount;
    }

    private boolean isSelected(int kind) {
        return (selected[kind >>> 6] & 1L << kind) != 0;
    }

    /**
     * This packet's selected occurrences in {@code direction} wait in {@code state}'s pending edits (the segment that
     * delivered them is not sent now: inline, it lay beyond a gap).
     */
    void defer(DirectionState state, int direction) {
        for (int i = 0; i < foundCount; i++) {
            int kind = foundKind[i];
            if (isSelected(kind) && foundDirection[i] == direction) {
                state.addPending(foundAt[i], kind);
            }
        }
    }

    /**
     * Fills {@link #edits} for the bytes [{@code payloadAt}, +{@code payloadLength}) of {@code direction}'s stream
     * about to be sent; returns the count. Inline, an earlier edit cut by the end of these bytes sets
     * {@link #extendTo}.
     */
    int collect(DirectionState s, int direction, long payloadAt, int payloadLength, boolean inline) {
        extendTo = Long.MIN_VALUE;
        editsEnd = payloadAt;
        DeltaMap made = s.deltas;
        // candidates: edits made before to these bytes (retransmitted), then this packet's new selected occurrences
        int n = 0;
        if (made != null) {
            for (int i = made.firstAtOrAfter(payloadAt); i < made.size()
                    && made.start(i) + made.oldLength(i) <= payloadAt + payloadLength; i++) {
                n = addCandidate(n, made.start(i), made.label(i));
            }
            int crossing = made.firstAtOrAfter(payloadAt);
            while (inline && crossing < made.size() && made.start(crossing) < payloadAt + payloadLength) {
                long end = made.start(crossing) + made.oldLength(crossing);
                if (end > payloadAt + payloadLength) {
                    // the bytes end inside an edited span (a retransmission trimmed to an acknowledgement): the whole
                    // replacement goes out, the span's missing original bytes stood in for by placeholders. Cut
                    // before the span instead, a sender whose segment starts at it would never get past it.
                    extendTo = end;
                    n = addCandidate(n, made.start(crossing), made.label(crossing));
                    payloadLength = (int) (end - payloadAt);
                    break;
                }
                crossing++;
            }
        }
        for (int i = 0; i < foundCount; i++) {
            int kind = foundKind[i];
            if (!isSelected(kind) || foundDirection[i] != direction) {
                continue;
            }
            long start = foundAt[i];
            if (start < payloadAt) {
                counters.increment(RewriteCounter.REWRITES_SPANNING); // its first bytes already went out
            } else if (start + olds[kind].length > payloadAt + payloadLength) {
                s.addPending(start, kind); // ahead of this segment: for the segment that carries it
            } else {
                n = addCandidate(n, start, kind);
            }
        }
        // occurrences found earlier ahead of the segments then: those this one carries are made now
        int kept = 0;
        long[] pendingAt = s.pendingAt;
        int[] pendingKind = s.pendingKind;
        for (int i = 0; i < s.pendingCount; i++) {
            long start = pendingAt[i];
            long end = start + olds[pendingKind[i]].length;
            if (start >= payloadAt && end <= payloadAt + payloadLength) {
                n = addCandidate(n, start, pendingKind[i]);
            } else if (start < payloadAt) {
                // the bytes went out without it (offline: written before it was found)
                counters.increment(RewriteCounter.REWRITES_SPANNING);
            } else {
                // ahead, or cut by this segment's end: the hold keeps such an end for the next segment
                pendingAt[kept] = start;
                pendingKind[kept++] = pendingKind[i];
            }
        }
        s.pendingCount = kept;
        long[] at = candidateAt;
        // in stream order; the first edit at a place wins, later overlapping ones are dropped
        for (int i = 1; i < n; i++) {
            for (int j = i; j > 0 && at[j - 1] > at[j]; j--) {
                long t = at[j];
                at[j] = at[j - 1];
                at[j - 1] = t;
                int r = candidateKind[j];
                candidateKind[j] = candidateKind[j - 1];
                candidateKind[j - 1] = r;
            }
        }
        long end = -1;
        int count = 0;
        for (int i = 0; i < n; i++) {
            int kind = candidateKind[i];
            int oldLength = olds[kind].length;
            if (at[i] < end) {
                continue;
            }
            if (count == editKinds.length) {
                editKinds = Arrays.copyOf(editKinds, count * 2);
            }
            edits.add((int) (at[i] - payloadAt), oldLength, replacements[kind]);
            editKinds[count++] = kind;
            end = at[i] + oldLength;
            editsEnd = end;
        }
        return count;
    }

    private int addCandidate(int n, long at, int kind) {
        if (n == candidateAt.length) {
            candidateAt = Arrays.copyOf(candidateAt, n * 2);
            candidateKind = Arrays.copyOf(candidateKind, n * 2);
        }
        candidateAt[n] = at;
        candidateKind[n] = kind;
        return n + 1;
    }

    /** A new segment: no edits until {@link #collect} finds some. */
    void clearEdits() {
        edits.clear();
    }

    /** The edits last collected (cleared when a segment has none). */
    PayloadEdits edits() {
        return edits;
    }

    /** Their kinds (labels recorded in the delta map, so a retransmission repeats the same kind). */
    int[] editKinds() {
        return editKinds;
    }

    long extendTo() {
        return extendTo;
    }

    long editsEnd() {
        return editsEnd;
    }
}
