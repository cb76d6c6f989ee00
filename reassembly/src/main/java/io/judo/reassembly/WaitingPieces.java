package io.judo.reassembly;

import java.util.Arrays;

/**
 * A stream direction's out-of-order pieces, which never overlap, in offset order: two parallel arrays (offsets and
 * pieces) with a moving head. Segments after a hole mostly arrive in order, so a piece is usually appended, and
 * delivery takes pieces from the front, so both are O(1); a piece that lands between others is placed by binary
 * search. A sorted map did the same with an entry object and a boxed key per piece, and its rebalancing was a tenth
 * of a real capture's scan.
 *
 * @param <P> what is kept per piece
 */
final class WaitingPieces<P> {
    private long[] starts;
    private Object[] pieces;
    private int head;
    private int size;

    WaitingPieces() {
        starts = new long[4];
        pieces = new Object[4];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The offset of the {@code i}-th piece in offset order. */
    long start(int i) {
        return starts[head + i];
    }

    /** The {@code i}-th piece in offset order. */
    @SuppressWarnings("unchecked")
    P piece(int i) {
        return (P) pieces[head + i];
    }

    /** The index of the last piece starting before {@code offset}, or -1. */
    int lower(long offset) {
        if (size > 0 && starts[head + size - 1] < offset) {
            return size - 1; // past every piece: the usual segment after a hole
        }
        int lo = 0;
        int hi = size; // the answer + 1 lies in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[head + mid] < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /** The index of the first piece starting at or after {@code offset} ({@link #size} when none does). */
    int ceiling(long offset) {
        return lower(offset) + 1;
    }

    /** Keeps {@code piece} at {@code offset}, in place of one that started there. */
    void add(long offset, P piece) {
        int at = ceiling(offset); // O(1) for the usual append (see lower)
        if (at < size && starts[head + at] == offset) {
            pieces[head + at] = piece;
            return;
        }
        if (head + size == starts.length) {
            makeRoom();
        }
        int i = head + at;
        if (at < size) {
            System.arraycopy(starts, i, starts, i + 1, size - at);
            System.arraycopy(pieces, i, pieces, i + 1, size - at);
        }
        starts[i] = offset;
        pieces[i] = piece;
        size++;
    }

    /** Takes the pieces from index {@code from} (inclusive) to {@code to} (exclusive) out. */
    void remove(int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        if (from == 0) {
            Arrays.fill(pieces, head, head + n, null);
            head += n;
        } else {
            System.arraycopy(starts, head + to, starts, head + from, size - to);
            System.arraycopy(pieces, head + to, pieces, head + from, size - to);
            Arrays.fill(pieces, head + size - n, head + size, null);
        }
        size -= n;
        if (size == 0) {
            head = 0;
        }
    }

    /** Moves the pieces to the front of the arrays, or doubles them when they are more than half full. */
    private void makeRoom() {
        if (size * 2 > starts.length) {
            starts = Arrays.copyOf(starts, starts.length * 2);
            pieces = Arrays.copyOf(pieces, pieces.length * 2);
        }
        if (head > 0) {
            System.arraycopy(starts, head, starts, 0, size);
            System.arraycopy(pieces, head, pieces, 0, size);
            Arrays.fill(pieces, size, Math.min(pieces.length, head + size), null);
            head = 0;
        }
    }
}
