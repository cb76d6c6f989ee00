package io.judo.rewrite.flow;

/**
 * The counts of one {@link FlowRewriter}, one {@code long} per {@link RewriteCounter}. Each worker counts in its own
 * set without synchronization; a summary {@link #add}s the workers' sets into one.
 */
public final class RewriteCounters {
    private static final RewriteCounter[] ALL = RewriteCounter.values();
    private final long[] counts = new long[ALL.length];

    /** Counts one of {@code counter}. */
    public void increment(RewriteCounter counter) {
        counts[counter.ordinal()]++;
    }

    /** Counts {@code n} of {@code counter}. */
    public void add(RewriteCounter counter, long n) {
        counts[counter.ordinal()] += n;
    }

    /** Adds every count of {@code other} to this set's (summing workers). */
    public RewriteCounters add(RewriteCounters other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    /** The count of {@code counter}. */
    public long get(RewriteCounter counter) {
        return counts[counter.ordinal()];
    }
}
