package io.judo.engine.detect;

/**
 * The judo policy stage's counters, one partition's each ({@link PolicyEngine#count}); summed over the workers by
 * {@link io.judo.engine.Pipeline#sum(PolicyCount)} for the summary and {@code --json}. Verdicts and per-rule and
 * per-queue counts are arrays instead.
 */
public enum PolicyCount {
    /**
     * Occurrences of {@code replace} rules' texts in streams whose packets the rule's header selected: the rewrites the
     * rewrite engine will apply.
     */
    REPLACE_OCCURRENCES,
    /** Packets whose addresses or ports nat-to/rdr-to remapped. */
    ADDRESS_REMAPS,
    /** Packets whose TOS {@code set tos} changed. */
    TOS_CHANGES,
    /** Packets whose TTL (hop limit) a rule changed. */
    TTL_CHANGES,
    /**
     * Packets a state limit dropped: one that would have created a state past {@code max} or a {@code max-src-*}
     * limit, or the packet that completed a connection past {@code max-src-conn} or {@code max-src-conn-rate}.
     */
    LIMIT_DROPS
}
