package io.judo.packet.decode;

import io.judo.packet.checksum.InternetChecksum;
import static io.judo.packet.decode.Bytes.u16;

import java.nio.ByteBuffer;

/**
 * TCP (with every option Judo uses: MSS, window scale, SACK-permitted, SACK blocks, timestamps), UDP, ICMP and
 * ICMPv6. Checksums are verified only when the whole datagram was captured and is not a fragment.
 */
final class TransportDecoder {
    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMPV6 = 58;
    static final int NO_NEXT_HEADER = 59;
    static final int IPIP = 4;
    static final int IPV6 = 41;
    static final int GRE = 47;

    private final boolean verifyChecksums;
    private EncapsulationDecoder tunnels;

    TransportDecoder(boolean verifyChecksums) {
        this.verifyChecksums = verifyChecksums;
    }

    /** Hands tunnels (GRE, IP-in-IP, UDP encapsulations) to {@code decoder}; without it they stay payload. */
    void tunnels(EncapsulationDecoder decoder) {
        this.tunnels = decoder;
    }

    /**
     * @param at transport header offset
     * @param end end of the captured datagram
     * @param declaredEnd end of the datagram according to the IP header (beyond {@code end} when snapped)
     */
    void decode(PacketView v, int protocol, int at, int end, int declaredEnd) {
        switch (protocol) {
            case TCP:
                tcp(v, at, end, declaredEnd);
                return;
            case UDP:
                udp(v, at, end, declaredEnd);
                return;
            case ICMP:
                icmp(v, at, end, declaredEnd, false);
                return;
            case ICMPV6:
                icmp(v, at, end, declaredEnd, true);
                return;
            default:
                break;
        }
        boolean tunnel = (protocol == IPIP || protocol == IPV6 || protocol == GRE) && tunnels != null && !v.fragment;
        if (protocol != NO_NEXT_HEADER && !tunnel) {
            v.saw(Protocol.OTHER_L4);
        }
        // The payload is the protocol's header on: what rules see for a packet whose tunnel is not decoded.
        v.payloadOffset = at;
        v.payloadLength = Math.max(0, end - at);
        if (tunnel && protocol == GRE) {
            tunnels.gre(v, at, end);
        } else if (tunnel) {
            tunnels.ipInIp(v, protocol == IPIP, at, end);
        }
    }

    /**
     * Whether the transport checksum can be judged (the whole datagram captured, not a fragment), recorded in the
     * view's {@link Checksums} bits; the caller verifies it only when this is true and checksums are verified.
     */
    private static boolean judged(PacketView v, int end, int declaredEnd) {
        if (v.fragment || declaredEnd > end) {
            return false;
        }
        v.checksums |= Checksums.TRANSPORT_JUDGED;
        return true;
    }

    /** Records a wrong transport checksum: the reason, and the bit the checksum keywords read. */
    private static void bad(PacketView v, Malformed reason) {
        v.problem(reason);
        v.checksums |= Checksums.TRANSPORT_BAD;
    }

    private static long pseudo(PacketView v, int protocol, int length) {
        return InternetChecksum.pseudoHeader(v.buffer, v.srcAddressOffset, v.dstAddressOffset, v.addressLength(),
                protocol, length);
    }

    private void tcp(PacketView v, int at, int end, int declaredEnd) {
        v.saw(Protocol.TCP);
        ByteBuffer b = v.buffer;
        if (end - at < 20) {
            v.problem(Malformed.TRUNCATED_TCP);
            return;
        }
        v.l4Offset = at;
        v.srcPort = u16(b, at);
        v.dstPort = u16(b, at + 2);
        v.seq = Integer.toUnsignedLong(b.getInt(at + 4));
        v.ack = Integer.toUnsignedLong(b.getInt(at + 8));
        int offset = ((b.get(at + 12) & 0xff) >>> 4) * 4;
        v.tcpFlags = b.get(at + 13) & 0xff;
        v.window = u16(b, at + 14);
        v.urgentPointer = u16(b, at + 18);
        if (offset < 20 || at + offset > declaredEnd) {
            v.problem(Malformed.BAD_TCP_DATA_OFFSET);
            return;
        }
        if (at + offset > end) {
            v.problem(Malformed.TRUNCATED_TCP); // snapped inside the options
            return;
        }
        v.l4HeaderLength = offset;
        if (offset > 20 && !options(v, b, at + 20, at + offset)) {
            v.problem(Malformed.BAD_TCP_OPTIONS);
        }
        v.payloadOffset = at + offset;
        v.payloadLength = end - v.payloadOffset;
        if (judged(v, end, declaredEnd) && verifyChecksums) {
            int length = end - at;
            long sum = InternetChecksum.add(pseudo(v, TCP, length), b, at, length);
            if (InternetChecksum.fold(sum) != 0xffff) {
                bad(v, Malformed.BAD_TCP_CHECKSUM);
            }
        }
    }

    /** Parses TCP options into the view; false when an option's length is impossible. */
    private static boolean options(PacketView v, ByteBuffer b, int at, int end) {
        boolean ok = true;
        while (at < end) {
            int len = Bytes.optionLength(b, at, end);
            if (len <= 0) {
                return ok && len == 0;
            }
            if (len == 1) {
                at++;
                continue;
            }
            switch (b.get(at) & 0xff) {
                case 2:
                    if (len == 4) {
                        v.mss = u16(b, at + 2);
                    } else {
                        ok = false;
                    }
                    break;
                case 3:
                    if (len == 3) {
                        v.windowScale = b.get(at + 2) & 0xff;
                    } else {
                        ok = false;
                    }
                    break;
                case 4:
                    if (len == 2) {
                        v.sackPermitted = true;
                    } else {
                        ok = false;
                    }
                    break;
                case 5:
                    if ((len - 2) % 8 == 0 && len > 2) {
                        int blocks = Math.min((len - 2) / 8, PacketView.MAX_SACK_BLOCKS);
                        for (int i = 0; i < blocks; i++) {
                            v.sackEdges[2 * i] = Integer.toUnsignedLong(b.getInt(at + 2 + 8 * i));
                            v.sackEdges[2 * i + 1] = Integer.toUnsignedLong(b.getInt(at + 6 + 8 * i));
                        }
                        v.sackBlocks = blocks;
                        v.sackOffset = at + 2;
                    } else {
                        ok = false;
                    }
                    break;
                case 8:
                    if (len == 10) {
                        v.timestamps = true;
                        v.tsValue = Integer.toUnsignedLong(b.getInt(at + 2));
                        v.tsEcho = Integer.toUnsignedLong(b.getInt(at + 6));
                    } else {
                        ok = false;
                    }
                    break;
                default:
                    break; // other options are well-formed TLVs we do not interpret
            }
            at += len;
        }
        return ok;
    }

    private void udp(PacketView v, int at, int end, int declaredEnd) {
        v.saw(Protocol.UDP);
        ByteBuffer b = v.buffer;
        if (end - at < 8) {
            v.problem(Malformed.TRUNCATED_UDP);
            return;
        }
        v.l4Offset = at;
        v.l4HeaderLength = 8;
        v.srcPort = u16(b, at);
        v.dstPort = u16(b, at + 2);
        int length = u16(b, at + 4);
        // A first fragment carries the length of the whole datagram, which extends past this packet.
        if (length < 8 || (!v.fragment && at + length > declaredEnd)) {
            v.problem(Malformed.BAD_UDP_LENGTH);
            return;
        }
        int udpEnd = v.fragment ? end : Math.min(at + length, end);
        v.payloadOffset = at + 8;
        v.payloadLength = udpEnd - v.payloadOffset;
        int checksum = u16(b, at + 6);
        boolean present = checksum != 0 || v.ipVersion == 6; // zero means "none" only for IPv4
        if (present && judged(v, end, at + length) && verifyChecksums) {
            long sum = InternetChecksum.add(pseudo(v, UDP, length), b, at, length);
            if (InternetChecksum.fold(sum) != 0xffff) {
                bad(v, Malformed.BAD_UDP_CHECKSUM);
            }
        }
        if (tunnels != null && !v.fragment && v.payloadLength > 0) {
            tunnels.udp(v, v.payloadOffset, udpEnd);
        }
    }

    private void icmp(PacketView v, int at, int end, int declaredEnd, boolean v6) {
        v.saw(v6 ? Protocol.ICMPV6 : Protocol.ICMP);
        ByteBuffer b = v.buffer;
        if (end - at < 4) {
            v.problem(v6 ? Malformed.TRUNCATED_ICMPV6 : Malformed.TRUNCATED_ICMP);
            return;
        }
        v.l4Offset = at;
        v.icmpType = b.get(at) & 0xff;
        v.icmpCode = b.get(at + 1) & 0xff;
        v.l4HeaderLength = Math.min(8, end - at);
        v.payloadOffset = at + v.l4HeaderLength;
        v.payloadLength = end - v.payloadOffset;
        if (judged(v, end, declaredEnd) && verifyChecksums) {
            int length = end - at;
            long sum = InternetChecksum.add(v6 ? pseudo(v, ICMPV6, length) : 0, b, at, length);
            if (InternetChecksum.fold(sum) != 0xffff) {
                bad(v, v6 ? Malformed.BAD_ICMPV6_CHECKSUM : Malformed.BAD_ICMP_CHECKSUM);
            }
        }
    }

}
