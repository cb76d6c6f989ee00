package io.judo.packet.decode;

/**
 * The bits of {@link PacketView#checksums()}: what the decoder could judge about the checksums of the packet's
 * innermost IPv4 header and transport header, and what it found. A rule keyword such as Suricata's
 * {@code tcpv4-csum} reads them instead of summing the packet a second time.
 *
 * <p>A "judged" bit says the checksum covers bytes the decoder had in full, so that a verdict is possible: the IPv4
 * header was decoded whole; or the TCP, UDP, ICMP or ICMPv6 header and the rest of its datagram were captured, the
 * packet is not a fragment (a fragment's transport checksum covers bytes of other packets), and, for UDP over IPv4, a
 * checksum is present (zero means the sender computed none). A judged bit is set whether or not the decoder verifies
 * checksums; a "bad" bit only when it verified and the sum was wrong. So with verification off every judged checksum
 * reads as good, which is what Suricata's keywords answer when checksum validation is disabled.
 *
 * <p>The bits describe the innermost IP packet: a tunnel decoder clears them with the rest of the network layer
 * before it decodes the inner packet, as the view's other header fields.
 */
public final class Checksums {
    private Checksums() {
    }

    /** The IPv4 header was decoded whole: its checksum can be judged. */
    public static final int IPV4_JUDGED = 1;
    /** The IPv4 header checksum was verified and is wrong (also a {@link Malformed#BAD_IPV4_CHECKSUM}). */
    public static final int IPV4_BAD = 1 << 1;
    /** The transport checksum covers bytes all captured in this unfragmented packet: it can be judged. */
    public static final int TRANSPORT_JUDGED = 1 << 2;
    /** The transport checksum was verified and is wrong (also a {@code BAD_TCP/UDP/ICMP/ICMPV6_CHECKSUM} reason). */
    public static final int TRANSPORT_BAD = 1 << 3;
    /** The decoder verified checksums ({@link PacketDecoder#verifiesChecksums()}). */
    public static final int VERIFIED = 1 << 4;
}
