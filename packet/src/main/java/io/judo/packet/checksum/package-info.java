/**
 * The Internet checksum (RFC 1071): full computation over buffers, the TCP/UDP/ICMPv6 pseudo-header, and the
 * RFC 1624 incremental update used when a rewrite changes a header field.
 */
package io.judo.packet.checksum;
