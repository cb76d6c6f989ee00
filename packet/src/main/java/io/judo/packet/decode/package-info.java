/**
 * Frame decoding: link layers (Ethernet with VLAN stacks and 802.2 SNAP, raw IP, Linux cooked SLL/SLL2, BSD
 * loopback, NFLOG), IPv4 and IPv6 (extension header chains, fragments), TCP (all options), UDP, ICMP, ICMPv6.
 *
 * <p>{@link io.judo.packet.decode.PacketDecoder} fills a reusable {@link io.judo.packet.decode.PacketView} with layer
 * offsets and parsed header fields; nothing is allocated per packet. Problems are recorded as
 * {@link io.judo.packet.decode.Malformed} bits on the view and counted by
 * {@link io.judo.packet.decode.DecodeCounters}; a fatal problem stops decoding at that layer, a checksum problem does
 * not. What the decoder could judge of the innermost packet's IPv4 and transport checksums, and what it found, is
 * kept apart as {@link io.judo.packet.decode.Checksums} bits, for rule keywords that test one packet's checksum.
 */
package io.judo.packet.decode;
