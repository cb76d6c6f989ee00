/**
 * Rewriting a flow, above the one-segment {@link io.judo.rewrite.SegmentRewriter}: what a rule engine asked of the
 * packet just decided (occurrences of edit texts found and selected, nat-to / rdr-to, TTL and TOS), made of each
 * segment with the flow's {@link io.judo.rewrite.flow.FlowRewrite} state, two
 * {@link io.judo.rewrite.flow.DirectionState}s (delta map, ISN, pending edits, held-back bytes, what the receiver
 * said). {@link io.judo.rewrite.flow.FlowRewriter} is the entry point, one per rule engine; it collects the edits of a
 * segment ({@code EditCollector}), holds back inline the end of a segment that begins an edit text
 * ({@link io.judo.rewrite.flow.HoldBack}), remaps addresses ({@code Remapper}, the way back in
 * {@link io.judo.rewrite.RemapTable}) and counts in {@link io.judo.rewrite.flow.RewriteCounters}. Nothing here knows
 * rules or flow tracking: the engine gives edit texts by kind id and each direction's ISN.
 */
package io.judo.rewrite.flow;
