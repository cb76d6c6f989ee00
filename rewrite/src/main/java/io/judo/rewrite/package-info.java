/**
 * Rewriting: payload edits of any length at stream offsets, and the per-direction map from original to rewritten
 * sequence space ({@link io.judo.rewrite.DeltaMap}) that shifts every later sequence number of the edited direction
 * and every acknowledgement and SACK edge of the other, any number of times per flow, retransmissions included.
 * {@link io.judo.rewrite.SegmentRewriter} applies one segment's {@link io.judo.rewrite.PayloadEdits} with every
 * length and checksum fixed, splits a grown segment to fit the MTU, and sets TOS and remaps addresses and ports.
 * {@link io.judo.rewrite.SegmentRequest} carries what one rewrite is asked to do. A flow's rewriting (per-direction
 * state, edit collection, inline hold-back, remaps, counters) is in {@link io.judo.rewrite.flow}; rule engines decide
 * what to edit.
 */
package io.judo.rewrite;
