package io.judo.packet.decode;

import io.judo.packet.Addresses;
import java.nio.ByteBuffer;

/**
 * A decoded packet: layer offsets and parsed header fields over the packet's buffer. One instance is reused for
 * every packet (flyweight); {@link PacketDecoder#decode} resets and fills it. Offsets are absolute indices into
 * {@link #buffer()}; -1 means "layer absent". Addresses are read from the buffer on demand.
 *
 * <p>The buffer must be in big-endian order (readers guarantee it); fields are network-order values.
 */
public final class PacketView {
    /** Maximum SACK blocks a TCP option can carry (40 option bytes). */
    public static final int MAX_SACK_BLOCKS = 4;

    ByteBuffer buffer;
    int start;
    int end;
    int originalLength;
    int linkType;
    long problems;
    int protocols;

    int etherType;
    int vlanCount;
    int vlanOuter;
    int vlanInner;

    int l3Offset;
    int ipVersion;
    int ipHeaderLength;
    int l3End;
    int ipProtocol;
    int ttl;
    int tos;
    boolean fragment;
    int fragmentOffset;
    boolean moreFragments;
    long fragmentId;
    int fragmentHeaderOffset;
    int fragmentNextHeaderAt;
    int ipv6ExtHeaders;
    int srcAddressOffset;
    int dstAddressOffset;
    /** {@link Checksums} bits of the innermost IP packet. */
    int checksums;

    int l4Offset;
    int l4HeaderLength;
    int srcPort;
    int dstPort;
    int tcpFlags;
    long seq;
    long ack;
    int window;
    int urgentPointer;
    int icmpType;
    int icmpCode;
    int payloadOffset;
    int payloadLength;

    int mss;
    int windowScale;
    boolean sackPermitted;
    int sackBlocks;
    /** Absolute index of the first SACK edge in the buffer (edges follow every 4 bytes). */
    int sackOffset;
    final long[] sackEdges = new long[MAX_SACK_BLOCKS * 2];
    boolean timestamps;
    long tsValue;
    long tsEcho;

    int layers;
    int tunnelDepth;
    int tunnelId;
    Tunnel tunnelKind;
    int tunnelFamily;
    long tunnelSrcHi;
    long tunnelSrcLo;
    long tunnelDstHi;
    long tunnelDstLo;
    int tunnelProtocol;
    int tunnelSrcPort;
    int tunnelDstPort;

    void reset(ByteBuffer buffer, int start, int capturedLength, int originalLength, int linkType) {
        this.buffer = buffer;
        this.start = start;
        this.end = start + capturedLength;
        this.originalLength = originalLength;
        this.linkType = linkType;
        problems = 0;
        protocols = 0;
        etherType = -1;
        vlanCount = 0;
        vlanOuter = 0;
        vlanInner = 0;
        layers = 0;
        tunnelDepth = 0;
        tunnelId = 0;
        tunnelKind = null;
        tunnelFamily = 0;
        tunnelSrcHi = 0;
        tunnelSrcLo = 0;
        tunnelDstHi = 0;
        tunnelDstLo = 0;
        tunnelProtocol = 0;
        tunnelSrcPort = 0;
        tunnelDstPort = 0;
        clearNetwork();
    }

    /**
     * Forgets the network and transport layers, keeping the link, problem, protocol and tunnel fields: a tunnel
     * decoder calls it before it decodes the inner packet into the same view.
     */
    void clearNetwork() {
        l3Offset = -1;
        ipVersion = 0;
        ipHeaderLength = 0;
        l3End = -1;
        ipProtocol = -1;
        ttl = 0;
        tos = 0;
        fragment = false;
        fragmentOffset = 0;
        moreFragments = false;
        fragmentId = 0;
        fragmentHeaderOffset = -1;
        fragmentNextHeaderAt = -1;
        ipv6ExtHeaders = 0;
        srcAddressOffset = -1;
        dstAddressOffset = -1;
        checksums = 0;
        l4Offset = -1;
        l4HeaderLength = 0;
        srcPort = 0;
        dstPort = 0;
        tcpFlags = 0;
        seq = 0;
        ack = 0;
        window = 0;
        urgentPointer = 0;
        icmpType = -1;
        icmpCode = -1;
        payloadOffset = -1;
        payloadLength = 0;
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        sackBlocks = 0;
        timestamps = false;
        tsValue = 0;
        tsEcho = 0;
    }

    void problem(Malformed reason) {
        problems |= reason.bit();
    }

    void saw(Protocol protocol) {
        protocols |= protocol.bit();
    }

    // ---- whole packet ----

    /** The buffer the packet lives in. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the first byte of the frame. */
    public int start() {
        return start;
    }

    /** Absolute index just past the last captured byte. */
    public int end() {
        return end;
    }

    /** Captured length of the frame. */
    public int capturedLength() {
        return end - start;
    }

    /** Length on the wire. */
    public int originalLength() {
        return originalLength;
    }

    /** True when the capture cut the packet short (snap length). */
    public boolean snapped() {
        return originalLength > end - start;
    }

    /** LINKTYPE_ of the frame. */
    public int linkType() {
        return linkType;
    }

    /** Bit set of {@link Malformed#bit()} for every problem found. */
    public long problems() {
        return problems;
    }

    /** True when any problem (fatal or checksum) was found. */
    public boolean malformed() {
        return problems != 0;
    }

    /** True when the given problem was found. */
    public boolean has(Malformed reason) {
        return (problems & reason.bit()) != 0;
    }

    /**
     * What the decoder could judge about the checksums of the innermost IPv4 and transport headers, and what it found:
     * {@link Checksums} bits. Unlike {@link #problems()}, which gathers every layer's problems, these describe the
     * innermost packet only.
     */
    public int checksums() {
        return checksums;
    }

    /** Bit set of {@link Protocol#bit()} for every protocol header identified. */
    public int protocols() {
        return protocols;
    }

    /** True when the packet contains the given protocol's header. */
    public boolean has(Protocol protocol) {
        return (protocols & protocol.bit()) != 0;
    }

    // ---- link ----

    /** EtherType of the network layer after any VLAN tags (or the equivalent from SLL/NULL/NFLOG), -1 if none. */
    public int etherType() {
        return etherType;
    }

    /** Number of 802.1Q/802.1ad tags. */
    public int vlanCount() {
        return vlanCount;
    }

    /** VLAN id of the outermost tag (0 when untagged). */
    public int vlanOuter() {
        return vlanOuter;
    }

    /** VLAN id of the second tag (0 when fewer than two). */
    public int vlanInner() {
        return vlanInner;
    }

    // ---- network ----

    /** Absolute index of the IP header, -1 when there is none. */
    public int l3Offset() {
        return l3Offset;
    }

    /** 4, 6, or 0 when the packet has no IP layer. */
    public int ipVersion() {
        return ipVersion;
    }

    /** IPv4 header length including options, or 40 for IPv6 (extension headers not included). */
    public int ipHeaderLength() {
        return ipHeaderLength;
    }

    /** Absolute index just past the IP datagram's last captured byte (link padding excluded). */
    public int l3End() {
        return l3End;
    }

    /** Upper-layer protocol number (after IPv6 extension headers), -1 when unknown. */
    public int ipProtocol() {
        return ipProtocol;
    }

    /** TTL or hop limit. */
    public int ttl() {
        return ttl;
    }

    /** IPv4 TOS byte or IPv6 traffic class. */
    public int tos() {
        return tos;
    }

    /** True when the packet is an IP fragment (MF set or non-zero offset, or an IPv6 fragment header). */
    public boolean fragment() {
        return fragment;
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /** The more-fragments flag. */
    public boolean moreFragments() {
        return moreFragments;
    }

    /** IPv4 identification or IPv6 fragment identification. */
    public long fragmentId() {
        return fragmentId;
    }

    /** Absolute index of the IPv6 fragment header, -1 when absent (and always for IPv4). */
    public int fragmentHeaderOffset() {
        return fragmentHeaderOffset;
    }

    /**
     * Absolute index of the next-header byte that names the IPv6 fragment header (in the fixed header or the
     * extension header before it), -1 when absent: defragmentation rewrites it when it removes the fragment header.
     */
    public int fragmentNextHeaderAt() {
        return fragmentNextHeaderAt;
    }

    /** Bit set of IPv6 extension headers seen, as bits {@code 1 << protocolNumber % 32} of HBH(0), routing(43), fragment(44), AH(51), dest(60). */
    public int ipv6ExtHeaders() {
        return ipv6ExtHeaders;
    }

    /** Absolute index of the source address. */
    public int srcAddressOffset() {
        return srcAddressOffset;
    }

    /** Absolute index of the destination address. */
    public int dstAddressOffset() {
        return dstAddressOffset;
    }

    /** 4 or 16, or 0 without an IP layer. */
    public int addressLength() {
        return ipVersion == 4 ? 4 : ipVersion == 6 ? 16 : 0;
    }

    /** IPv4 source address as an int. */
    public int srcIpv4() {
        return buffer.getInt(srcAddressOffset);
    }

    /** IPv4 destination address as an int. */
    public int dstIpv4() {
        return buffer.getInt(dstAddressOffset);
    }

    /** Source address as text (allocates; for output, not the hot path). */
    public String srcAddressText() {
        return addressText(srcAddressOffset);
    }

    /** Destination address as text (allocates; for output, not the hot path). */
    public String dstAddressText() {
        return addressText(dstAddressOffset);
    }

    private String addressText(int offset) {
        return offset < 0 ? "" : Addresses.format(buffer, offset, addressLength());
    }

    // ---- transport ----

    /** Absolute index of the transport header, -1 when absent or not decoded (non-first fragment). */
    public int l4Offset() {
        return l4Offset;
    }

    /** Transport header length (TCP with options). */
    public int l4HeaderLength() {
        return l4HeaderLength;
    }

    /** TCP/UDP source port, 0 otherwise. */
    public int srcPort() {
        return srcPort;
    }

    /** TCP/UDP destination port, 0 otherwise. */
    public int dstPort() {
        return dstPort;
    }

    /** TCP flags byte (FIN=0x01 ... CWR=0x80). */
    public int tcpFlags() {
        return tcpFlags;
    }

    /** TCP sequence number (unsigned 32 bits). */
    public long seq() {
        return seq;
    }

    /** TCP acknowledgement number (unsigned 32 bits). */
    public long ack() {
        return ack;
    }

    /** TCP window field (unscaled). */
    public int window() {
        return window;
    }

    /** TCP urgent pointer. */
    public int urgentPointer() {
        return urgentPointer;
    }

    /** ICMP/ICMPv6 type, -1 otherwise. */
    public int icmpType() {
        return icmpType;
    }

    /** ICMP/ICMPv6 code, -1 otherwise. */
    public int icmpCode() {
        return icmpCode;
    }

    /** Absolute index of the payload after the transport header (or after IP for other protocols). */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Captured payload bytes. */
    public int payloadLength() {
        return payloadLength;
    }

    // ---- TCP options ----

    /** MSS option value, -1 when absent. */
    public int mss() {
        return mss;
    }

    /** Window scale shift, -1 when absent. */
    public int windowScale() {
        return windowScale;
    }

    /** SACK-permitted option present. */
    public boolean sackPermitted() {
        return sackPermitted;
    }

    /** Number of SACK blocks (0-4). */
    public int sackBlocks() {
        return sackBlocks;
    }

    /** Left edge of SACK block {@code i}. */
    public long sackLeft(int i) {
        return sackEdges[2 * i];
    }

    /** Absolute index of SACK block 0's left edge; edge {@code k} (left, right, left, ...) is 4 bytes on each. */
    public int sackOffset() {
        return sackOffset;
    }

    /** Right edge of SACK block {@code i}. */
    public long sackRight(int i) {
        return sackEdges[2 * i + 1];
    }

    /** Timestamps option present. */
    public boolean timestamps() {
        return timestamps;
    }

    /** TSval. */
    public long tsValue() {
        return tsValue;
    }

    /** TSecr. */
    public long tsEcho() {
        return tsEcho;
    }

    // ---- tunnels ----

    /** Tunnel layers decoded to reach the network layer this view describes (0: not tunnelled). */
    public int tunnelDepth() {
        return tunnelDepth;
    }

    /**
     * A value naming the chain of tunnels the packet came through, the same for both directions of one tunnel (0
     * when not tunnelled). Flow keys include it, so an inner flow is never the outer flow, and the same inner
     * addresses in two tunnels are two flows.
     */
    public int tunnelId() {
        return tunnelId;
    }

    /** The innermost tunnel's kind, or null when not tunnelled. */
    public Tunnel tunnelKind() {
        return tunnelKind;
    }

    /** IP version (4 or 6) of the outermost packet, 0 when not tunnelled. */
    public int tunnelFamily() {
        return tunnelFamily;
    }

    /** The outermost packet's source address bytes (4 or 16; empty when not tunnelled); allocates. */
    public byte[] tunnelSrc() {
        return tunnelFamily == 0 ? new byte[0]
                : io.judo.packet.flow.FlowKey.address(tunnelSrcHi, tunnelSrcLo, tunnelFamily);
    }

    /** The outermost packet's destination address bytes; allocates. */
    public byte[] tunnelDst() {
        return tunnelFamily == 0 ? new byte[0]
                : io.judo.packet.flow.FlowKey.address(tunnelDstHi, tunnelDstLo, tunnelFamily);
    }

    /** The outermost IP packet's protocol number (47 GRE, 17 UDP, 4 or 41 IP-in-IP), 0 when not tunnelled. */
    public int tunnelProtocol() {
        return tunnelProtocol;
    }

    /** The outermost packet's UDP source port (UDP encapsulations), else 0. */
    public int tunnelSrcPort() {
        return tunnelSrcPort;
    }

    /** The outermost packet's UDP destination port (UDP encapsulations), else 0. */
    public int tunnelDstPort() {
        return tunnelDstPort;
    }

    /**
     * Gives this view (a datagram rebuilt from fragments) the tunnel fields of {@code from}, one of its fragments:
     * the rebuilt inner datagram belongs to the same tunnel as the fragments that carried it.
     */
    public void inheritTunnel(PacketView from) {
        tunnelDepth = from.tunnelDepth;
        tunnelId = from.tunnelId;
        tunnelKind = from.tunnelKind;
        tunnelFamily = from.tunnelFamily;
        tunnelSrcHi = from.tunnelSrcHi;
        tunnelSrcLo = from.tunnelSrcLo;
        tunnelDstHi = from.tunnelDstHi;
        tunnelDstLo = from.tunnelDstLo;
        tunnelProtocol = from.tunnelProtocol;
        tunnelSrcPort = from.tunnelSrcPort;
        tunnelDstPort = from.tunnelDstPort;
    }
}
