package io.judo.packet.decode;

import io.judo.packet.checksum.InternetChecksum;
import static io.judo.packet.decode.Bytes.u16;

import java.nio.ByteBuffer;

/**
 * IPv4 (options checked, header checksum verified, fragment fields) and IPv6 (extension header chain walked to the
 * upper-layer protocol: hop-by-hop, routing, fragment, destination options, AH, mobility, HIP, shim6).
 */
final class IpDecoder {
    /** Longer chains are an evasion attempt rather than real traffic. */
    static final int MAX_IPV6_EXT_HEADERS = 16;

    private final TransportDecoder transport;
    private final boolean verifyChecksums;

    IpDecoder(TransportDecoder transport, boolean verifyChecksums) {
        this.transport = transport;
        this.verifyChecksums = verifyChecksums;
    }

    void decodeIpv4(PacketView v, int at, int end) {
        v.saw(Protocol.IPV4);
        ByteBuffer b = v.buffer;
        if (end - at < 20) {
            v.problem(Malformed.TRUNCATED_IPV4);
            return;
        }
        int vh = b.get(at) & 0xff;
        if (vh >>> 4 != 4) {
            v.problem(Malformed.BAD_IP_VERSION);
            return;
        }
        int ihl = (vh & 0x0f) * 4;
        if (ihl < 20) {
            v.problem(Malformed.BAD_IHL);
            return;
        }
        if (at + ihl > end) {
            v.problem(Malformed.TRUNCATED_IPV4);
            return;
        }
        int total = u16(b, at + 2);
        if (total == 0) {
            total = end - at; // segmentation offload leaves the length zero in captures taken on the sender
        }
        if (total < ihl) {
            v.problem(Malformed.BAD_IPV4_TOTAL_LENGTH);
            return;
        }
        int declaredEnd = at + total;
        if (declaredEnd > end && !v.snapped()) {
            v.problem(Malformed.BAD_IPV4_TOTAL_LENGTH);
            return;
        }
        v.ipVersion = 4;
        v.l3Offset = at;
        v.ipHeaderLength = ihl;
        v.l3End = Math.min(declaredEnd, end);
        v.tos = b.get(at + 1) & 0xff;
        v.fragmentId = u16(b, at + 4);
        int frag = u16(b, at + 6);
        v.moreFragments = (frag & 0x2000) != 0;
        v.fragmentOffset = (frag & 0x1fff) * 8;
        v.fragment = v.moreFragments || v.fragmentOffset != 0;
        v.ttl = b.get(at + 8) & 0xff;
        v.ipProtocol = b.get(at + 9) & 0xff;
        v.srcAddressOffset = at + 12;
        v.dstAddressOffset = at + 16;
        if (ihl > 20 && !optionsValid(b, at + 20, at + ihl)) {
            v.problem(Malformed.BAD_IPV4_OPTIONS);
        }
        v.checksums = verifyChecksums ? Checksums.IPV4_JUDGED | Checksums.VERIFIED : Checksums.IPV4_JUDGED;
        if (verifyChecksums && InternetChecksum.fold(InternetChecksum.add(0, b, at, ihl)) != 0xffff) {
            v.problem(Malformed.BAD_IPV4_CHECKSUM);
            v.checksums |= Checksums.IPV4_BAD;
        }
        if (v.fragment) {
            v.saw(Protocol.FRAGMENT);
            if (v.fragmentOffset + total - ihl > 65535) {
                v.problem(Malformed.BAD_FRAGMENT); // reassembles beyond the largest datagram ("ping of death")
                return;
            }
        }
        if (v.fragmentOffset != 0) {
            v.payloadOffset = at + ihl;
            v.payloadLength = v.l3End - v.payloadOffset;
            return;
        }
        transport.decode(v, v.ipProtocol, at + ihl, v.l3End, declaredEnd);
    }

    private static boolean optionsValid(ByteBuffer b, int at, int end) {
        while (at < end) {
            int len = Bytes.optionLength(b, at, end);
            if (len <= 0) {
                return len == 0;
            }
            at += len;
        }
        return true;
    }

    void decodeIpv6(PacketView v, int at, int end) {
        v.saw(Protocol.IPV6);
        ByteBuffer b = v.buffer;
        if (end - at < 40) {
            v.problem(Malformed.TRUNCATED_IPV6);
            return;
        }
        int first = b.getInt(at);
        if (first >>> 28 != 6) {
            v.problem(Malformed.BAD_IP_VERSION);
            return;
        }
        int payloadLength = u16(b, at + 4);
        int next = b.get(at + 6) & 0xff;
        if (payloadLength == 0 && next == 0) {
            payloadLength = end - at - 40; // jumbogram: the real length is in a hop-by-hop option
        }
        int declaredEnd = at + 40 + payloadLength;
        if (declaredEnd > end && !v.snapped()) {
            v.problem(Malformed.BAD_IPV6_PAYLOAD_LENGTH);
            return;
        }
        v.ipVersion = 6;
        v.checksums = verifyChecksums ? Checksums.VERIFIED : 0; // IPv6 has no header checksum
        v.l3Offset = at;
        v.ipHeaderLength = 40;
        int l3End = Math.min(declaredEnd, end);
        v.l3End = l3End;
        v.tos = (first >>> 20) & 0xff;
        v.ttl = b.get(at + 7) & 0xff;
        v.srcAddressOffset = at + 8;
        v.dstAddressOffset = at + 24;
        int p = at + 40;
        int nextAt = at + 6; // the byte holding 'next', rewritten by defragmentation
        for (int count = 0; ; count++) {
            if (count == MAX_IPV6_EXT_HEADERS) {
                v.problem(Malformed.TOO_MANY_IPV6_EXT_HEADERS);
                return;
            }
            int length;
            switch (next) {
                case 0: case 43: case 60: case 135: case 139: case 140:
                    if (p + 2 > l3End) {
                        v.problem(Malformed.TRUNCATED_IPV6_EXT_HEADER);
                        return;
                    }
                    length = ((b.get(p + 1) & 0xff) + 1) * 8;
                    break;
                case 51: // AH counts its length in 4-byte units, minus 2
                    if (p + 2 > l3End) {
                        v.problem(Malformed.TRUNCATED_IPV6_EXT_HEADER);
                        return;
                    }
                    length = ((b.get(p + 1) & 0xff) + 2) * 4;
                    break;
                case 44:
                    length = 8;
                    break;
                default:
                    v.ipProtocol = next;
                    transport.decode(v, next, p, l3End, declaredEnd);
                    return;
            }
            if (p + length > l3End) {
                v.problem(Malformed.TRUNCATED_IPV6_EXT_HEADER);
                return;
            }
            v.ipv6ExtHeaders |= 1 << (next & 31);
            if (next == 44) {
                int frag = u16(b, p + 2);
                v.fragment = true;
                v.fragmentOffset = frag & 0xfff8;
                v.moreFragments = (frag & 1) != 0;
                v.fragmentId = Integer.toUnsignedLong(b.getInt(p + 4));
                v.fragmentHeaderOffset = p;
                v.fragmentNextHeaderAt = nextAt;
                v.saw(Protocol.FRAGMENT);
                if (v.fragmentOffset + (declaredEnd - p - 8) > 65535) {
                    v.problem(Malformed.BAD_FRAGMENT);
                    return;
                }
                if (v.fragmentOffset != 0) {
                    v.ipProtocol = b.get(p) & 0xff;
                    v.payloadOffset = p + 8;
                    v.payloadLength = l3End - v.payloadOffset;
                    return;
                }
            }
            next = b.get(p) & 0xff;
            nextAt = p;
            p += length;
        }
    }

}
