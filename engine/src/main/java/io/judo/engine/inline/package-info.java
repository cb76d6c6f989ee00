/**
 * {@code judo inline}'s layer-2 bridge: {@link io.judo.engine.inline.Bridge} opens the two interfaces' sockets (in
 * PACKET_FANOUT groups with several workers), hands each worker's frames to its lane of the
 * {@link io.judo.engine.Pipeline} and sends them on as the lane's partition decides; one thread per worker, which owns
 * its sockets and its lane, so the packet path takes no locks.
 */
package io.judo.engine.inline;
