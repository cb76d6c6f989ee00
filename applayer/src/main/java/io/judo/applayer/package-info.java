/**
 * The application layer: {@link io.judo.applayer.ProtocolDetection} decides per flow, by content, which protocol
 * its reassembled bytes carry, and the parsers under it (today {@link io.judo.applayer.http}) turn those bytes into
 * transactions with named buffers and events. Parsers know nothing of rules; they never throw on traffic (bad input
 * is an event and a state), and hand buffers out as {@link io.judo.applayer.Slice}s over their own storage.
 */
package io.judo.applayer;
