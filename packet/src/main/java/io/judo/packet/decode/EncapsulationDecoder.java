package io.judo.packet.decode;

import static io.judo.packet.decode.Bytes.u16;

import java.nio.ByteBuffer;

/**
 * What lies between a frame's link header and its network layer, and what lies inside tunnels: the network layer
 * named by an EtherType (IP, ARP, MPLS, PPPoE, PPP, NSH, or an Ethernet frame inside a tunnel), and the tunnels
 * the transport layer hands over (GRE with ERSPAN and PPTP's PPP, IP-in-IP, VXLAN, Geneve, Teredo).
 *
 * <p>A tunnel's inner packet is decoded into the same view, replacing the outer network and transport fields: rules,
 * flows and reassembly then see the inner packet, as Suricata's do, while the view keeps the outermost addresses,
 * the depth and a tunnel id for flow keys and EVE. Fragments are not looked into (the defragmenter rebuilds the
 * datagram and decodes it again), and a UDP payload is taken for a tunnel only when its header checks out, so a
 * stray packet to port 4789 stays a UDP packet.
 */
final class EncapsulationDecoder {
    /** Tunnels inside tunnels beyond this are refused ({@link Malformed#TOO_MANY_LAYERS}). */
    static final int MAX_TUNNEL_DEPTH = 8;
    /** Encapsulation layers of any kind, as Suricata's decoder.max-layers (16). */
    static final int MAX_LAYERS = 16;
    static final int VXLAN_PORT = 4789;
    static final int GENEVE_PORT = 6081;
    static final int TEREDO_PORT = 3544;
    private static final int MAX_MPLS_LABELS = 16;
    private static final int MAX_GRE_ROUTES = 16;

    private final IpDecoder ip;

    EncapsulationDecoder(IpDecoder ip) {
        this.ip = ip;
    }

    /** Decodes the layer an EtherType names, at {@code at} up to {@code end}. */
    void network(PacketView v, int type, int at, int end) {
        if (++v.layers > MAX_LAYERS) {
            v.problem(Malformed.TOO_MANY_LAYERS);
            return;
        }
        switch (type) {
            case EtherType.IPV4:
                ip.decodeIpv4(v, at, end);
                return;
            case EtherType.IPV6:
                ip.decodeIpv6(v, at, end);
                return;
            case EtherType.ARP:
                v.saw(Protocol.ARP);
                return;
            case EtherType.MPLS:
            case EtherType.MPLS_MULTICAST:
                mpls(v, at, end);
                return;
            case EtherType.PPPOE_SESSION:
                pppoe(v, at, end);
                return;
            case EtherType.PPPOE_DISCOVERY:
                v.saw(Protocol.PPPOE);
                return;
            case EtherType.PPP:
                ppp(v, at, end);
                return;
            case EtherType.NSH:
                nsh(v, at, end);
                return;
            case EtherType.TEB:
                ethernet(v, at, end);
                return;
            default:
                v.saw(Protocol.OTHER_L3);
        }
    }

    /** Whether {@link #network} decodes something for this EtherType (a tunnel is entered only then). */
    private static boolean decodable(int type) {
        switch (type) {
            case EtherType.IPV4: case EtherType.IPV6: case EtherType.MPLS: case EtherType.MPLS_MULTICAST:
            case EtherType.PPP: case EtherType.NSH: case EtherType.TEB:
                return true;
            default:
                return false;
        }
    }

    /** An Ethernet frame inside a tunnel or pseudowire (its VLAN tags are counted with the outer ones). */
    private void ethernet(PacketView v, int at, int end) {
        v.saw(Protocol.ETHERNET);
        if (end - at < 14) {
            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
            return;
        }
        long tagged = LinkDecoder.tags(v, v.buffer, at + 14, u16(v.buffer, at + 12), end);
        if (tagged >= 0) {
            network(v, (int) (tagged & 0xffff), (int) (tagged >>> 16), end);
        }
    }

    /**
     * An MPLS label stack. After the bottom label: the explicit-null labels name IPv4 (0) and IPv6 (2); otherwise
     * the first nibble decides, as in Suricata: 4 and 6 are IP, 0 a pseudowire control word before an Ethernet
     * frame. Unlike Suricata, an Ethernet pseudowire without a control word is read too: when the nibble is
     * neither, or when it is 0 but only the frame without a control word has a known EtherType.
     */
    private void mpls(PacketView v, int at, int end) {
        v.saw(Protocol.MPLS);
        ByteBuffer b = v.buffer;
        int label;
        for (int n = 0; ; n++) {
            if (at + 4 > end) {
                v.problem(Malformed.TRUNCATED_ENCAPSULATION);
                return;
            }
            if (n == MAX_MPLS_LABELS) {
                v.problem(Malformed.TOO_MANY_LAYERS);
                return;
            }
            int entry = b.getInt(at);
            at += 4;
            label = entry >>> 12;
            if ((entry & 0x100) != 0) {
                break;
            }
        }
        if (at >= end) {
            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
            return;
        }
        if (label == 0) {
            network(v, EtherType.IPV4, at, end);
            return;
        }
        if (label == 2) {
            network(v, EtherType.IPV6, at, end);
            return;
        }
        switch ((b.get(at) & 0xff) >>> 4) {
            case 4:
                network(v, EtherType.IPV4, at, end);
                return;
            case 6:
                network(v, EtherType.IPV6, at, end);
                return;
            case 0:
                boolean withWord = knownEtherType(b, at + 4 + 12, end);
                ethernet(v, withWord || !knownEtherType(b, at + 12, end) ? at + 4 : at, end);
                return;
            default:
                ethernet(v, at, end);
        }
    }

    private static boolean knownEtherType(ByteBuffer b, int at, int end) {
        if (at + 2 > end) {
            return false;
        }
        int t = u16(b, at);
        return t == EtherType.IPV4 || t == EtherType.IPV6 || t == EtherType.ARP || t == EtherType.VLAN
                || t == EtherType.QINQ || t == EtherType.MPLS;
    }

    /** A PPPoE session header (RFC 2516): version and type 1, code 0, then PPP bounded by the PPPoE length. */
    private void pppoe(PacketView v, int at, int end) {
        v.saw(Protocol.PPPOE);
        ByteBuffer b = v.buffer;
        if (end - at < 8) {
            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
            return;
        }
        if ((b.get(at) & 0xff) != 0x11 || b.get(at + 1) != 0) {
            v.problem(Malformed.BAD_ENCAPSULATION);
            return;
        }
        ppp(v, at + 6, Math.min(end, at + 6 + u16(b, at + 4)));
    }

    /**
     * A PPP header: the HDLC address and control bytes when present, then a one-byte (compressed, odd) or two-byte
     * protocol. IPv4, IPv6 and MPLS are decoded; control protocols (LCP, IPCP, ...) are counted as PPP only.
     */
    private void ppp(PacketView v, int at, int end) {
        v.saw(Protocol.PPP);
        ByteBuffer b = v.buffer;
        if (at + 2 <= end && (b.get(at) & 0xff) == 0xff && (b.get(at + 1) & 0xff) == 0x03) {
            at += 2;
        }
        if (at >= end) {
            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
            return;
        }
        int protocol = b.get(at) & 0xff;
        if ((protocol & 1) == 0) {
            if (at + 2 > end) {
                v.problem(Malformed.TRUNCATED_ENCAPSULATION);
                return;
            }
            protocol = u16(b, at);
            at += 2;
        } else {
            at++;
        }
        switch (protocol) {
            case 0x21:
                network(v, EtherType.IPV4, at, end);
                return;
            case 0x57:
                network(v, EtherType.IPV6, at, end);
                return;
            case 0x281:
                network(v, EtherType.MPLS, at, end);
                return;
            default:
                v.saw(Protocol.OTHER_L3);
        }
    }

    /** A network service header (RFC 8300): version 0, its length in 4-byte words, then the next protocol. */
    private void nsh(PacketView v, int at, int end) {
        v.saw(Protocol.NSH);
        ByteBuffer b = v.buffer;
        if (end - at < 8) {
            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
            return;
        }
        int first = u16(b, at);
        int length = (first & 0x3f) * 4;
        int mdType = b.get(at + 2) & 0x0f;
        if (first >>> 14 != 0 || length < 8 || mdType == 1 && length != 24) {
            v.problem(Malformed.BAD_ENCAPSULATION);
            return;
        }
        if (at + length > end) {
            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
            return;
        }
        int next = at + length;
        switch (b.get(at + 3) & 0xff) {
            case 1:
                network(v, EtherType.IPV4, next, end);
                return;
            case 2:
                network(v, EtherType.IPV6, next, end);
                return;
            case 3:
                network(v, EtherType.TEB, next, end);
                return;
            case 4:
                network(v, EtherType.NSH, next, end);
                return;
            case 5:
                network(v, EtherType.MPLS, next, end);
                return;
            default:
                v.saw(Protocol.OTHER_L3);
        }
    }

    // ---- tunnels (called by the transport decoder for packets that are not fragments) ----

    /** IP protocol 4 (IPv4 inside) or 41 (IPv6 inside), at the outer packet's payload. */
    void ipInIp(PacketView v, boolean innerV4, int at, int end) {
        boolean outerV4 = v.ipVersion == 4;
        v.saw(innerV4 ? (outerV4 ? Protocol.IPV4_IN_IPV4 : Protocol.IPV4_IN_IPV6)
                : (outerV4 ? Protocol.IPV6_IN_IPV4 : Protocol.IPV6_IN_IPV6));
        if (enter(v, innerV4 ? Tunnel.IPV4 : Tunnel.IPV6, 0)) {
            network(v, innerV4 ? EtherType.IPV4 : EtherType.IPV6, at, end);
        }
    }

    /**
     * GRE (IP protocol 47). Version 0 (RFC 2784 and 2890: checksum, key, sequence, and RFC 1701's source routes);
     * version 1 is PPTP's enhanced GRE (RFC 2637: key with payload length and call id, sequence, acknowledgement)
     * carrying PPP. A payload type Judo does not decode (keepalives of unknown kind, ...) leaves the packet a GRE
     * packet of the outer flow.
     */
    void gre(PacketView v, int at, int end) {
        v.saw(Protocol.GRE);
        ByteBuffer b = v.buffer;
        if (end - at < 4) {
            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
            return;
        }
        int flags = u16(b, at);
        int type = u16(b, at + 2);
        boolean checksum = (flags & 0x8000) != 0;
        boolean routing = (flags & 0x4000) != 0;
        boolean key = (flags & 0x2000) != 0;
        boolean sequence = (flags & 0x1000) != 0;
        int length = 4;
        switch (flags & 7) {
            case 0:
                length += (checksum || routing ? 4 : 0) + (key ? 4 : 0) + (sequence ? 4 : 0);
                if (at + length > end) {
                    v.problem(Malformed.TRUNCATED_ENCAPSULATION);
                    return;
                }
                if (routing) {
                    for (int n = 0; ; n++) {
                        if (n == MAX_GRE_ROUTES) {
                            v.problem(Malformed.BAD_GRE);
                            return;
                        }
                        if (at + length + 4 > end) {
                            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
                            return;
                        }
                        int family = u16(b, at + length);
                        int sre = b.get(at + length + 3) & 0xff;
                        length += 4 + sre;
                        if (family == 0 && sre == 0) {
                            break;
                        }
                    }
                }
                break;
            case 1:
                if (type != EtherType.PPP || !key || checksum || routing) {
                    v.problem(Malformed.BAD_GRE);
                    return;
                }
                length = 8 + (sequence ? 4 : 0) + ((flags & 0x80) != 0 ? 4 : 0);
                break;
            default:
                v.problem(Malformed.BAD_GRE);
                return;
        }
        if (at + length > end) {
            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
            return;
        }
        int payload = at + length;
        boolean erspan = type == EtherType.ERSPAN || type == EtherType.ERSPAN_3;
        if (!erspan && !decodable(type)) {
            return; // the packet stays the outer flow's GRE packet, its payload the GRE header on
        }
        if (!enter(v, Tunnel.GRE, 0)) {
            return;
        }
        if (erspan) {
            erspan(v, type == EtherType.ERSPAN_3 ? 3 : sequence ? 2 : 1, payload, end);
        } else {
            network(v, type, payload, end);
        }
    }

    /**
     * ERSPAN: type I is the mirrored Ethernet frame straight after GRE (no sequence number); type II an 8-byte
     * header (version 1); type III a 12-byte header (version 2) and an 8-byte platform subheader when its O flag
     * is set.
     */
    private void erspan(PacketView v, int kind, int at, int end) {
        v.saw(Protocol.ERSPAN);
        ByteBuffer b = v.buffer;
        int length = kind == 1 ? 0 : kind == 2 ? 8 : 12;
        if (at + length > end) {
            v.problem(Malformed.TRUNCATED_ENCAPSULATION);
            return;
        }
        if (kind > 1 && (b.get(at) & 0xff) >>> 4 != kind - 1) {
            v.problem(Malformed.BAD_ENCAPSULATION);
            return;
        }
        if (kind == 3 && (b.get(at + 11) & 1) != 0) {
            length += 8;
        }
        ethernet(v, at + length, end);
    }

    /**
     * A UDP payload at {@code at} up to {@code end}: VXLAN (destination port 4789), Geneve (6081) or Teredo (3544
     * either way), each only when its header is valid; otherwise the packet stays a UDP packet.
     */
    void udp(PacketView v, int at, int end) {
        if (v.dstPort == VXLAN_PORT) {
            vxlan(v, at, end);
        } else if (v.dstPort == GENEVE_PORT) {
            geneve(v, at, end);
        } else if (v.srcPort == TEREDO_PORT || v.dstPort == TEREDO_PORT) {
            teredo(v, at, end);
        }
    }

    /** VXLAN (RFC 7348): the I flag set, then a 24-bit VNI and an Ethernet frame. */
    private void vxlan(PacketView v, int at, int end) {
        ByteBuffer b = v.buffer;
        if (end - at < 8 + 14 || (b.get(at) & 0x08) == 0) {
            return;
        }
        int vni = b.getInt(at + 4) >>> 8;
        v.saw(Protocol.VXLAN);
        if (enter(v, Tunnel.VXLAN, vni)) {
            network(v, EtherType.TEB, at + 8, end);
        }
    }

    /** Geneve (RFC 8926): version 0, options of the stated length, then the protocol its EtherType names. */
    private void geneve(PacketView v, int at, int end) {
        ByteBuffer b = v.buffer;
        if (end - at < 8 || (b.get(at) & 0xff) >>> 6 != 0) {
            return;
        }
        int inner = at + 8 + (b.get(at) & 0x3f) * 4;
        int type = u16(b, at + 2);
        if (inner > end || !decodable(type)) {
            return;
        }
        v.saw(Protocol.GENEVE);
        if (enter(v, Tunnel.GENEVE, b.getInt(at + 4) >>> 8)) {
            network(v, type, inner, end);
        }
    }

    /**
     * Teredo (RFC 4380): optional authentication and origin indications, then an IPv6 packet that fills the UDP
     * payload exactly (as Suricata checks); bubbles (no next header, no payload) are not decoded.
     */
    private void teredo(PacketView v, int at, int end) {
        ByteBuffer b = v.buffer;
        int p = at;
        if (p + 4 <= end && u16(b, p) == 1) {
            p += 4 + (b.get(p + 2) & 0xff) + (b.get(p + 3) & 0xff) + 9;
        }
        if (p + 2 <= end && u16(b, p) == 0) {
            p += 8;
        }
        if (p + 40 > end || (b.get(p) & 0xff) >>> 4 != 6) {
            return;
        }
        int payload = u16(b, p + 4);
        if (p + 40 + payload != end || payload == 0 && (b.get(p + 6) & 0xff) == 59) {
            return;
        }
        v.saw(Protocol.TEREDO);
        if (enter(v, Tunnel.TEREDO, 0)) {
            network(v, EtherType.IPV6, p, end);
        }
    }

    /**
     * Steps into a tunnel: remembers the outermost packet, folds this layer (kind, both outer addresses in
     * canonical order, and the VNI where there is one) into the tunnel id, and clears the network and transport
     * fields for the inner packet. The outer UDP source port is left out on purpose: VXLAN and Geneve senders vary
     * it per inner flow for load balancing.
     *
     * @return false when the tunnel is too deep (the view keeps the outer packet)
     */
    private static boolean enter(PacketView v, Tunnel kind, int discriminator) {
        if (v.tunnelDepth == MAX_TUNNEL_DEPTH) {
            v.problem(Malformed.TOO_MANY_LAYERS);
            return false;
        }
        ByteBuffer b = v.buffer;
        long sHi;
        long sLo;
        long dHi;
        long dLo;
        if (v.ipVersion == 4) {
            sHi = 0;
            dHi = 0;
            sLo = Integer.toUnsignedLong(b.getInt(v.srcAddressOffset));
            dLo = Integer.toUnsignedLong(b.getInt(v.dstAddressOffset));
        } else {
            sHi = b.getLong(v.srcAddressOffset);
            sLo = b.getLong(v.srcAddressOffset + 8);
            dHi = b.getLong(v.dstAddressOffset);
            dLo = b.getLong(v.dstAddressOffset + 8);
        }
        if (v.tunnelDepth == 0) {
            v.tunnelFamily = v.ipVersion;
            v.tunnelSrcHi = sHi;
            v.tunnelSrcLo = sLo;
            v.tunnelDstHi = dHi;
            v.tunnelDstLo = dLo;
            v.tunnelProtocol = v.ipProtocol;
            v.tunnelSrcPort = v.ipProtocol == 17 ? v.srcPort : 0;
            v.tunnelDstPort = v.ipProtocol == 17 ? v.dstPort : 0;
        }
        boolean srcFirst = Long.compareUnsigned(sHi, dHi) < 0 || sHi == dHi && Long.compareUnsigned(sLo, dLo) <= 0;
        long h = mix(v.tunnelId ^ ((long) kind.ordinal() << 32) ^ ((long) v.tunnelDepth << 40) ^ discriminator);
        h = mix(h ^ (srcFirst ? sHi : dHi));
        h = mix(h ^ (srcFirst ? sLo : dLo));
        h = mix(h ^ (srcFirst ? dHi : sHi));
        h = mix(h ^ (srcFirst ? dLo : sLo));
        int id = (int) (h ^ (h >>> 32));
        v.tunnelId = id == 0 ? 1 : id;
        v.tunnelDepth++;
        v.tunnelKind = kind;
        v.clearNetwork();
        return true;
    }

    private static long mix(long z) {
        // SplitMix64's finaliser, as the flow key's hash.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
