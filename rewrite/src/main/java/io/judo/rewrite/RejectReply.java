package io.judo.rewrite;

import io.judo.packet.checksum.InternetChecksum;
import io.judo.packet.decode.PacketView;
import io.judo.packet.decode.Protocol;
import java.nio.ByteBuffer;

/**
 * The answer a bridge sends back to the sender of a rejected packet, as pf's {@code block return} and Suricata's
 * {@code reject} do: a TCP RST for TCP (acknowledging the segment when it carried no ACK, RFC 9293 section 3.10.7.1),
 * an ICMP (IPv4) or ICMPv6 port unreachable quoting the packet for anything else. It comes from the packet's
 * destination, with the link addresses swapped, so the sender's stack takes it as the peer's answer. Built into a
 * buffer this object owns; nothing is allocated per reply.
 */
public final class RejectReply {
    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST = 0x04;
    private static final int TCP_ACK = 0x10;
    /** ICMPv6 error messages must fit the IPv6 minimum MTU (RFC 4443 section 2.4). */
    private static final int IPV6_MIN_MTU = 1280;

    private final byte[] out = new byte[2048];
    private final ByteBuffer b = ByteBuffer.wrap(out);
    private long tcpResets;
    private long unreachables;

    /** The reply built by {@link #build}: bytes [0, returned length). */
    public byte[] output() {
        return out;
    }

    /**
     * Builds the reply to {@code v} (an Ethernet, possibly VLAN-tagged, IPv4 or IPv6 packet).
     *
     * @return the reply frame's length, or 0 when none is due: an RST is never answered, nor an ICMP error, a
     *     fragment after the first, or a packet that is not IP
     */
    public int build(PacketView v) {
        int ipVersion = v.ipVersion();
        if ((ipVersion != 4 && ipVersion != 6) || v.malformed() || v.snapped()) {
            return 0; // a damaged packet gets no answer: its sender's stack would not have sent it so
        }
        int link = v.l3Offset() - v.start();
        if (link < 14 || link > 64) {
            return 0;
        }
        ByteBuffer in = v.buffer();
        in.get(v.start(), out, 0, link);
        swap(0, 6, 6); // the reply goes back to the sender's MAC, from the destination's
        if (v.has(Protocol.TCP) && !v.fragment()) {
            return (v.tcpFlags() & TCP_RST) != 0 ? 0 : reset(v, link);
        }
        if (v.has(Protocol.ICMP) || v.has(Protocol.ICMPV6) && (in.get(v.l4Offset()) & 0x80) == 0) {
            return 0; // never an error about an error (RFC 1122 3.2.2, RFC 4443 2.4 e)
        }
        if (v.fragmentOffset() != 0) {
            return 0;
        }
        return unreachable(v, link);
    }

    private int reset(PacketView v, int link) {
        int l3 = link;
        int ipHeader = ipVersion(v) == 4 ? 20 : 40;
        int l4 = l3 + ipHeader;
        writeIpHeader(v, l3, ipHeader + 20, 6);
        b.putShort(l4, (short) v.dstPort());
        b.putShort(l4 + 2, (short) v.srcPort());
        int flags = v.tcpFlags();
        long seq;
        long ack;
        int replyFlags;
        if ((flags & TCP_ACK) != 0) {
            seq = v.ack(); // RST carrying the sequence number the sender expects next
            ack = 0;
            replyFlags = TCP_RST;
        } else {
            long length = v.payloadLength() + ((flags & TCP_SYN) != 0 ? 1 : 0) + ((flags & TCP_FIN) != 0 ? 1 : 0);
            seq = 0;
            ack = (v.seq() + length) & 0xffffffffL;
            replyFlags = TCP_RST | TCP_ACK;
        }
        b.putInt(l4 + 4, (int) seq);
        b.putInt(l4 + 8, (int) ack);
        b.put(l4 + 12, (byte) (5 << 4));
        b.put(l4 + 13, (byte) replyFlags);
        b.putShort(l4 + 14, (short) 0); // window
        b.putShort(l4 + 18, (short) 0); // urgent pointer
        InternetChecksum.storeTransport(b, l4, 20, 16, l3 + (ipHeader == 20 ? 12 : 8),
                l3 + (ipHeader == 20 ? 16 : 24), ipHeader == 20 ? 4 : 16, 6);
        tcpResets++;
        return l4 + 20;
    }

    private int unreachable(PacketView v, int link) {
        int l3 = link;
        boolean v4 = ipVersion(v) == 4;
        int ipHeader = v4 ? 20 : 40;
        int l4 = l3 + ipHeader;
        int quoted = v.l3End() - v.l3Offset();
        int capturedL3 = v.start() + v.capturedLength() - v.l3Offset();
        // ICMP quotes the IP header and 8 bytes (RFC 792); ICMPv6 as much as fits in 1,280 bytes (RFC 4443)
        quoted = Math.min(quoted, capturedL3);
        quoted = v4 ? Math.min(quoted, v.ipHeaderLength() + 8) : Math.min(quoted, IPV6_MIN_MTU - 40 - 8);
        quoted = Math.min(quoted, out.length - l4 - 8);
        writeIpHeader(v, l3, ipHeader + 8 + quoted, v4 ? 1 : 58);
        b.put(l4, (byte) (v4 ? 3 : 1)); // destination unreachable
        b.put(l4 + 1, (byte) (v4 ? 3 : 4)); // port unreachable
        b.putShort(l4 + 2, (short) 0);
        b.putInt(l4 + 4, 0);
        v.buffer().get(v.l3Offset(), out, l4 + 8, quoted);
        if (v4) {
            b.putShort(l4 + 2, (short) InternetChecksum.compute(b, l4, 8 + quoted));
        } else {
            InternetChecksum.storeTransport(b, l4, 8 + quoted, 2, l3 + 8, l3 + 24, 16, 58);
        }
        unreachables++;
        return l4 + 8 + quoted;
    }

    private static int ipVersion(PacketView v) {
        return v.ipVersion();
    }

    /** A fresh IP header from the packet's destination to its source (no options, no extension headers). */
    private void writeIpHeader(PacketView v, int l3, int length, int protocol) {
        ByteBuffer in = v.buffer();
        int src = v.srcAddressOffset();
        int dst = v.dstAddressOffset();
        if (v.ipVersion() == 4) {
            b.put(l3, (byte) 0x45);
            b.put(l3 + 1, (byte) 0);
            b.putShort(l3 + 2, (short) length);
            b.putInt(l3 + 4, 0); // id 0, no fragmentation flags
            b.put(l3 + 8, (byte) 64);
            b.put(l3 + 9, (byte) protocol);
            in.get(dst, out, l3 + 12, 4);
            in.get(src, out, l3 + 16, 4);
            InternetChecksum.storeIpv4Header(b, l3, 20);
        } else {
            b.putInt(l3, 6 << 28);
            b.putShort(l3 + 4, (short) (length - 40));
            b.put(l3 + 6, (byte) protocol);
            b.put(l3 + 7, (byte) 64);
            in.get(dst, out, l3 + 8, 16);
            in.get(src, out, l3 + 24, 16);
        }
    }

    private void swap(int a, int c, int n) {
        for (int i = 0; i < n; i++) {
            byte t = out[a + i];
            out[a + i] = out[c + i];
            out[c + i] = t;
        }
    }

    /** TCP resets built. */
    public long tcpResets() {
        return tcpResets;
    }

    /** ICMP / ICMPv6 unreachables built. */
    public long unreachables() {
        return unreachables;
    }
}
