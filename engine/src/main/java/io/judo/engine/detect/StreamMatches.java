package io.judo.engine.detect;

/**
 * What the stream hook's prefilter found in one flow direction, so that each stream byte is scanned once. A chunk is
 * inspected in a window that repeats up to {@link StreamWindows#KEEP} bytes already inspected; instead of scanning
 * those again, the scan starts at the new bytes less the longest fast pattern, and the patterns found by earlier
 * scans stay candidates while any byte of the data they were found in is still in the window. That is a superset of
 * what scanning the whole window would mark (a pattern reports once per scan, so where in its scan it occurred last is
 * unknown), and the rules' own code decides the match, so alerts are the same. Bounded: past {@link #CAPACITY}
 * remembered patterns the next window is scanned whole and the memory starts again.
 */
final class StreamMatches {
    /** Patterns remembered per direction before the memory gives up and the next window is scanned whole. */
    static final int CAPACITY = 32;

    private int[] ids = new int[4];
    /** Per remembered pattern, the stream offset just past the data of the scan that found it. */
    private long[] until = new long[4];
    private int count;
    private boolean overflowed;

    /** Whether the next window must be scanned whole: the memory overflowed. */
    boolean overflowed() {
        return overflowed;
    }

    /** Forgets everything: the window starts afresh (a gap, or a whole scan that records everything it finds). */
    void clear() {
        count = 0;
        overflowed = false;
    }

    /**
     * Marks, in {@code c}, the rules of every pattern found in data of which some byte is at or after stream offset
     * {@code base} (the window's first byte), and forgets the others.
     */
    void markSince(long base, Candidates c) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (until[i] > base) {
                c.markPattern(ids[i]);
                ids[kept] = ids[i];
                until[kept] = until[i];
                kept++;
            }
        }
        count = kept;
    }

    /** Pattern {@code id} occurs in data that ends at stream offset {@code end}. */
    void add(int id, long end) {
        for (int i = 0; i < count; i++) {
            if (ids[i] == id) {
                until[i] = Math.max(until[i], end);
                return;
            }
        }
        if (count == CAPACITY) {
            overflowed = true;
            return;
        }
        if (count == ids.length) {
            ids = java.util.Arrays.copyOf(ids, Math.min(CAPACITY, count * 2));
            until = java.util.Arrays.copyOf(until, ids.length);
        }
        ids[count] = id;
        until[count] = end;
        count++;
    }
}
