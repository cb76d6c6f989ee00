/**
 * Packets: reading and writing captures, decoding frames into flyweight views, checksums and flow keys.
 *
 * <p>This module depends on nothing else in Judo. Everything on the per-packet path works over a
 * {@link java.nio.ByteBuffer} window without allocating; packet-derived failures are values
 * ({@link io.judo.packet.decode.Malformed}), never exceptions.
 */
package io.judo.packet;
