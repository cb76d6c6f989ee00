package io.judo.rewrite.flow;

/** What a {@link FlowRewriter} counts, one slot each in {@link RewriteCounters}. */
public enum RewriteCounter {
    /** Replacements made in written packets (a retransmission's repeat counts again). */
    REWRITES_APPLIED,
    /** Selected occurrences that spanned segments (their first bytes had gone out) and so were not replaced. */
    REWRITES_SPANNING,
    /** Inline: segment ends held back because they began an edit text. */
    HOLDS,
    /** Of {@link #HOLDS}, those sent alone because no next segment came in time. */
    HOLDS_FLUSHED,
    /** Inline: segments beyond a gap dropped so that rewritten flows go out in order. */
    OUT_OF_ORDER_DROPPED,
    /** Inline: retransmissions starting inside an edited span, dropped (the sender resends from an edit boundary). */
    SPLIT_DROPPED,
    /** Address and port rewrites made in written packets. */
    REMAPS_APPLIED,
    /** Remaps not made: the address family differs from the packet's, or the address did not parse. */
    REMAPS_REFUSED,
    /** Packets written with the TTL / hop limit a rule gave them. */
    TTL_APPLIED,
    /** Packets written with the TOS / traffic class a rule gave them. */
    TOS_APPLIED,
    /** Packets inside a tunnel that rules asked to alter, sent unchanged (the outer headers are not recomputed). */
    TUNNELLED_UNCHANGED
}
