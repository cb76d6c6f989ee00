package io.judo.vm.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An immutable set of 64-bit values held as sorted, disjoint, inclusive ranges; lookup by binary search. */
public final class IntRangeSet {
    private final long[] lows;
    private final long[] highs;

    private IntRangeSet(long[] lows, long[] highs) {
        this.lows = lows;
        this.highs = highs;
    }

    /** Builds a set from inclusive ranges given as {@code {low, high}} pairs, in any order, overlapping or not. */
    public static IntRangeSet of(List<long[]> ranges) {
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : sorted) {
            if (r[0] > r[1]) {
                throw new IllegalArgumentException("range " + r[0] + "-" + r[1] + " is backwards");
            }
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + 1 && last[1] != Long.MAX_VALUE) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new long[] {r[0], r[1]});
            }
        }
        long[] lows = new long[merged.size()];
        long[] highs = new long[merged.size()];
        for (int i = 0; i < lows.length; i++) {
            lows[i] = merged.get(i)[0];
            highs[i] = merged.get(i)[1];
        }
        return new IntRangeSet(lows, highs);
    }

    public boolean contains(long value) {
        int lo = 0;
        int hi = lows.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (value < lows[mid]) {
                hi = mid - 1;
            } else if (value > highs[mid]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Number of disjoint ranges. */
    public int ranges() {
        return lows.length;
    }

    /** Low end of range {@code i}. */
    public long low(int i) {
        return lows[i];
    }

    /** High end (inclusive) of range {@code i}. */
    public long high(int i) {
        return highs[i];
    }

    /** Assembly text: {@code { 80, 443, 8000-8080 }}. */
    public String text() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < lows.length; i++) {
            sb.append(i == 0 ? " " : ", ").append(lows[i]);
            if (highs[i] != lows[i]) {
                sb.append('-').append(highs[i]);
            }
        }
        return sb.append(" }").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntRangeSet s && Arrays.equals(lows, s.lows) && Arrays.equals(highs, s.highs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lows) * 31 + Arrays.hashCode(highs);
    }
}
