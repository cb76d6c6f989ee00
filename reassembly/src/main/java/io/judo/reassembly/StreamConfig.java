package io.judo.reassembly;

/**
 * Reassembly settings.
 *
 * @param policy overlap policy
 * @param depth bytes per direction delivered at most (Long.MAX_VALUE for unlimited)
 * @param gapWindow buffered bytes beyond a hole after which the hole is declared lost
 * @param maxBuffered out-of-order bytes one direction may hold
 */
public record StreamConfig(OverlapPolicy policy, long depth, long gapWindow, long maxBuffered) {
    /** first policy, unlimited depth, 1 MiB gap window, 4 MiB buffer per direction. */
    public static StreamConfig defaults() {
        return new StreamConfig(OverlapPolicy.FIRST, Long.MAX_VALUE, 1 << 20, 4 << 20);
    }

    public StreamConfig withPolicy(OverlapPolicy p) {
        return new StreamConfig(p, depth, gapWindow, maxBuffered);
    }

    public StreamConfig withDepth(long d) {
        return new StreamConfig(policy, d, gapWindow, maxBuffered);
    }
}
