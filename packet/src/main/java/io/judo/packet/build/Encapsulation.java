package io.judo.packet.build;

import io.judo.packet.checksum.InternetChecksum;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Wraps an Ethernet frame (the inner packet, e.g. from {@link TcpConversation}) in a tunnel or link encapsulation:
 * every kind Judo's decoder reads, built byte by byte from the RFCs so that tshark's dissection of the result is an
 * independent check of the decoder. Tunnel endpoints are fixed documentation addresses (192.0.2.1 and 192.0.2.2, or
 * 2001:db8:ffff::1 and ::2); {@code forward} false swaps them, for the other direction of the inner flow.
 */
public enum Encapsulation {
    /** GRE version 0, no options, IPv4 inside. */
    GRE,
    /** GRE with checksum, key and sequence number (RFC 2890), IPv4 inside. */
    GRE_KEY_SEQUENCE,
    /** GRE carrying an Ethernet frame (transparent Ethernet bridging, 0x6558). */
    GRE_ETHERNET,
    /** GRE inside GRE: two tunnel layers. */
    GRE_IN_GRE,
    /** PPTP's enhanced GRE (version 1) with PPP in HDLC framing. */
    PPTP,
    /** ERSPAN type I: the Ethernet frame straight after GRE. */
    ERSPAN_1,
    /** ERSPAN type II: GRE with a sequence number and the 8-byte ERSPAN header. */
    ERSPAN_2,
    /** ERSPAN type III with the platform-specific subheader. */
    ERSPAN_3,
    /** IPv4 in IPv4 (protocol 4). */
    IPIP,
    /** IPv6 in IPv4 (6in4, protocol 41); the inner packet must be IPv6. */
    SIX_IN_FOUR,
    /** IPv4 in IPv6. */
    FOUR_IN_SIX,
    /** IPv6 in IPv6; the inner packet must be IPv6. */
    SIX_IN_SIX,
    /** Teredo: IPv6 in UDP port 3544 with an origin indication; the inner packet must be IPv6. */
    TEREDO,
    /** VXLAN: Ethernet in UDP port 4789, VNI 5000. */
    VXLAN,
    /** Geneve: Ethernet in UDP port 6081 with one 8-byte option, VNI 77. */
    GENEVE,
    /** Two MPLS labels, then the IPv4 packet. */
    MPLS,
    /** An MPLS Ethernet pseudowire with a control word. */
    MPLS_PSEUDOWIRE,
    /** An MPLS Ethernet pseudowire without a control word. */
    MPLS_PSEUDOWIRE_NO_CONTROL_WORD,
    /** A PPPoE session carrying PPP and IPv4. */
    PPPOE,
    /** A network service header (MD type 2) before the IPv4 packet. */
    NSH,
    /** 802.1ad outer and 802.1Q inner tags. */
    QINQ;

    private static final byte[] MAC_A = {0x02, 0, 0, 0, 0, 0x0a};
    private static final byte[] MAC_B = {0x02, 0, 0, 0, 0, 0x0b};

    /** Whether the inner packet must be IPv6 (the kinds whose carrier names IPv6 alone). */
    public boolean innerIpv6() {
        return this == SIX_IN_FOUR || this == SIX_IN_SIX || this == TEREDO;
    }

    /** Whether the kind is a tunnel (its inner packet is a flow of its own), not a link encapsulation. */
    public boolean tunnel() {
        return this != MPLS && this != MPLS_PSEUDOWIRE && this != MPLS_PSEUDOWIRE_NO_CONTROL_WORD && this != PPPOE
                && this != NSH && this != QINQ;
    }

    /**
     * Wraps {@code inner}, an Ethernet II frame carrying IPv4 or IPv6, and returns the new Ethernet frame.
     *
     * @param forward whether the packet travels from tunnel endpoint 1 to 2
     */
    public byte[] wrap(byte[] inner, boolean forward) {
        byte[] ip = Arrays.copyOfRange(inner, 14, inner.length);
        String a = forward ? "192.0.2.1" : "192.0.2.2";
        String b = forward ? "192.0.2.2" : "192.0.2.1";
        String a6 = forward ? "2001:db8:ffff::1" : "2001:db8:ffff::2";
        String b6 = forward ? "2001:db8:ffff::2" : "2001:db8:ffff::1";
        switch (this) {
            case GRE:
                return overIpv4(a, b, 47, concat(gre(0, 0x0800), ip));
            case GRE_KEY_SEQUENCE:
                return overIpv4(a, b, 47, greWithOptions(0x0800, ip));
            case GRE_ETHERNET:
                return overIpv4(a, b, 47, concat(gre(0, 0x6558), inner));
            case GRE_IN_GRE: {
                byte[] first = overIpv4("198.51.100." + (forward ? 1 : 2), "198.51.100." + (forward ? 2 : 1), 47,
                        concat(gre(0, 0x0800), ip));
                return overIpv4(a, b, 47, concat(gre(0, 0x0800), Arrays.copyOfRange(first, 14, first.length)));
            }
            case PPTP:
                return overIpv4(a, b, 47, pptp(ip, forward));
            case ERSPAN_1:
                return overIpv4(a, b, 47, concat(gre(0, 0x88BE), inner));
            case ERSPAN_2:
                return overIpv4(a, b, 47, concat(greSequence(0x88BE), erspan2(), inner));
            case ERSPAN_3:
                return overIpv4(a, b, 47, concat(greSequence(0x22EB), erspan3(), inner));
            case IPIP:
                return overIpv4(a, b, 4, ip);
            case SIX_IN_FOUR:
                return overIpv4(a, b, 41, ip);
            case FOUR_IN_SIX:
                return PacketBuilder.ethernet().ipv6(a6, b6).rawTransport(4, ip).build();
            case SIX_IN_SIX:
                return PacketBuilder.ethernet().ipv6(a6, b6).rawTransport(41, ip).build();
            case TEREDO:
                return PacketBuilder.ethernet().ipv4(a, b).udp(forward ? 40000 : 3544, forward ? 3544 : 40000)
                        .payload(concat(new byte[] {0, 0, (byte) 0x9c, 0x3f, (byte) 0x3f, 0, 2, 1}, ip)).build();
            case VXLAN:
                return PacketBuilder.ethernet().ipv4(a, b).udp(49152 + (ip.length & 0xff), 4789)
                        .payload(concat(new byte[] {0x08, 0, 0, 0, 0, 0x13, (byte) 0x88, 0}, inner)).build();
            case GENEVE:
                return PacketBuilder.ethernet().ipv4(a, b).udp(50000, 6081).payload(concat(
                        new byte[] {0x02, 0, 0x65, 0x58, 0, 0, 77, 0}, // 2 words of options, TEB, VNI 77
                        new byte[] {0x01, 0x02, 0x03, 0x01, 1, 2, 3, 4}, inner)).build();
            case MPLS:
                return ethernet(0x8847, concat(label(16, false), label(17, true)), ip);
            case MPLS_PSEUDOWIRE:
                return ethernet(0x8847, concat(label(100, true), new byte[4]), inner);
            case MPLS_PSEUDOWIRE_NO_CONTROL_WORD:
                return ethernet(0x8847, label(101, true), inner);
            case PPPOE: {
                byte[] header = {0x11, 0, 0x12, 0x34, (byte) ((ip.length + 2) >>> 8), (byte) (ip.length + 2), 0, 0x21};
                return ethernet(0x8864, header, ip);
            }
            case NSH:
                // version 0, TTL 63, length 2 words, MD type 2, next protocol IPv4; service path 42, index 255
                return ethernet(0x894F, new byte[] {0x0f, (byte) 0xc2, 0x02, 0x01, 0, 0, 42, (byte) 0xff}, ip);
            case QINQ:
                return ethernet(0x88A8, new byte[] {0, 100, (byte) 0x81, 0, 0, (byte) 200, inner[12], inner[13]}, ip);
            default:
                throw new IllegalStateException(name());
        }
    }

    private static byte[] overIpv4(String src, String dst, int protocol, byte[] payload) {
        return PacketBuilder.ethernet().ipv4(src, dst).rawTransport(protocol, payload).build();
    }

    private static byte[] gre(int flags, int type) {
        return new byte[] {(byte) (flags >>> 8), (byte) flags, (byte) (type >>> 8), (byte) type};
    }

    private static byte[] greSequence(int type) {
        return concat(gre(0x1000, type), new byte[] {0, 0, 0, 7});
    }

    /** GRE with C, K and S set: checksum over the GRE header and payload, key 0x2a, sequence 1. */
    private static byte[] greWithOptions(int type, byte[] payload) {
        byte[] header = concat(gre(0xB000, type), new byte[4], new byte[] {0, 0, 0, 0x2a}, new byte[] {0, 0, 0, 1});
        byte[] all = concat(header, payload);
        int sum = InternetChecksum.finish(InternetChecksum.add(0, all, 0, all.length));
        all[4] = (byte) (sum >>> 8);
        all[5] = (byte) sum;
        return all;
    }

    /** Enhanced GRE: K and S set, version 1, PPP; key = payload length and call id (each side its own). */
    private static byte[] pptp(byte[] ip, boolean forward) {
        byte[] ppp = concat(new byte[] {(byte) 0xff, 0x03, 0, 0x21}, ip);
        int callId = forward ? 0x1111 : 0x2222;
        byte[] header = {0x30, 0x01, (byte) 0x88, 0x0b, (byte) (ppp.length >>> 8), (byte) ppp.length,
            (byte) (callId >>> 8), (byte) callId, 0, 0, 0, 5};
        return concat(header, ppp);
    }

    /** ERSPAN II: version 1, VLAN 0, COS 0, session 7; index 0. */
    private static byte[] erspan2() {
        return new byte[] {0x10, 0, 0, 0x07, 0, 0, 0, 0};
    }

    /** ERSPAN III: version 2, session 9, timestamp, SGT, flags with O set, then an 8-byte platform subheader. */
    private static byte[] erspan3() {
        return new byte[] {0x20, 0, 0, 0x09, 0, 0, 0, 1, 0, 0, 0, 1, 0x08, 0, 0, 0, 0, 0, 0, 0};
    }

    private static byte[] label(int label, boolean bottom) {
        int entry = label << 12 | (bottom ? 0x100 : 0) | 64;
        return ByteBuffer.allocate(4).putInt(entry).array();
    }

    private static byte[] ethernet(int type, byte[] header, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + header.length + payload.length);
        b.put(MAC_B).put(MAC_A).putShort((short) type).put(header).put(payload);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
