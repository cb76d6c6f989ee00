/**
 * Rewriting: payload edits of any length at stream offsets, and the per-direction map from original to rewritten
 * sequence space ({@link io.judo.rewrite.DeltaMap}) that shifts every later sequence number of the edited direction
 * and every acknowledgement and SACK edge of the other, any number of times per flow, retransmissions included.
 * (The packet-level rewriter and the inline bridge build on it; see the rewriting issue.)
 */
package io.judo.rewrite;
