package io.judo.packet.decode;

import static io.judo.packet.decode.Bytes.u16;

import java.nio.ByteBuffer;

/**
 * Link layers: finds the network layer's offset and EtherType. Ethernet II and 802.3 with 802.2 SNAP, 802.1Q and
 * 802.1ad tag stacks, raw IP, Linux cooked v1/v2, BSD NULL/LOOP, and NFLOG (whose TLV lengths are host order; the
 * Linux hosts that write it are little-endian).
 */
final class LinkDecoder {
    /** More tags than this is not a real network; Suricata's limit is similar. */
    static final int MAX_VLAN_TAGS = 8;
    private static final int NFLOG_PAYLOAD = 9;

    /** @return absolute offset of the network layer, with {@code view.etherType} set; -1 when there is none */
    int decode(PacketView v) {
        ByteBuffer b = v.buffer;
        int at = v.start;
        int len = v.end - at;
        switch (v.linkType) {
            case LinkType.ETHERNET:
                v.saw(Protocol.ETHERNET);
                if (len < 14) {
                    return truncated(v);
                }
                return ethernet(v, b, at);
            case LinkType.LINUX_SLL:
                v.saw(Protocol.SLL);
                if (len < 16) {
                    return truncated(v);
                }
                return network(v, tags(v, b, at + 16, u16(b, at + 14), v.end));
            case LinkType.LINUX_SLL2:
                v.saw(Protocol.SLL);
                if (len < 20) {
                    return truncated(v);
                }
                return network(v, tags(v, b, at + 20, u16(b, at), v.end));
            case LinkType.RAW:
            case LinkType.RAW_ALIAS_12:
            case LinkType.RAW_ALIAS_14:
            case LinkType.IPV4:
            case LinkType.IPV6:
                if (len < 1) {
                    return truncated(v);
                }
                return byVersion(v, at);
            case LinkType.NULL:
            case LinkType.LOOP:
                v.saw(Protocol.LOOPBACK);
                if (len < 4) {
                    return truncated(v);
                }
                return loopback(v, b, at);
            case LinkType.NFLOG:
                v.saw(Protocol.NFLOG);
                return nflog(v, b, at);
            case LinkType.PPP:
            case LinkType.PPP_HDLC:
                v.etherType = EtherType.PPP; // the encapsulation decoder reads the PPP header
                return at;
            default:
                v.problem(Malformed.UNKNOWN_LINK_TYPE);
                return -1;
        }
    }

    private static int ethernet(PacketView v, ByteBuffer b, int at) {
        int type = u16(b, at + 12);
        int next = at + 14;
        if (type <= 1500) {
            // 802.3 length field: only 802.2 LLC with a SNAP header carries an EtherType.
            if (next + 8 <= v.end && (b.get(next) & 0xff) == 0xAA && (b.get(next + 1) & 0xff) == 0xAA
                    && (b.get(next + 2) & 0xff) == 0x03) {
                return network(v, tags(v, b, next + 8, u16(b, next + 6), v.end));
            }
            v.saw(Protocol.OTHER_L3);
            return -1;
        }
        return network(v, tags(v, b, next, type, v.end));
    }

    /** Sets the view's EtherType from a {@link #tags} result and returns the network layer's offset (or -1). */
    private static int network(PacketView v, long tagged) {
        if (tagged < 0) {
            return -1;
        }
        v.etherType = (int) (tagged & 0xffff);
        return (int) (tagged >>> 16);
    }

    /**
     * Skips 802.1Q/802.1ad tags starting at {@code at}, where {@code type} is the EtherType before them, recording
     * the VLAN ids. Used for the frame's own Ethernet header and for Ethernet frames inside tunnels.
     *
     * @return the offset after the tags in the high bits and the EtherType after them in the low 16, or -1 when
     *     the tags are cut short or too many (the problem is recorded)
     */
    static long tags(PacketView v, ByteBuffer b, int at, int type, int end) {
        while (type == EtherType.VLAN || type == EtherType.QINQ || type == EtherType.QINQ_OLD) {
            v.saw(Protocol.VLAN);
            if (at + 4 > end) {
                return truncated(v);
            }
            if (v.vlanCount == MAX_VLAN_TAGS) {
                v.problem(Malformed.TOO_MANY_VLAN_TAGS);
                return -1;
            }
            int id = u16(b, at) & 0x0fff;
            if (v.vlanCount == 0) {
                v.vlanOuter = id;
            } else if (v.vlanCount == 1) {
                v.vlanInner = id;
            }
            v.vlanCount++;
            type = u16(b, at + 2);
            at += 4;
        }
        return ((long) at << 16) | type;
    }

    private static int byVersion(PacketView v, int at) {
        int version = (v.buffer.get(at) & 0xff) >>> 4;
        v.etherType = version == 6 ? EtherType.IPV6 : version == 4 ? EtherType.IPV4 : -1;
        if (v.etherType < 0) {
            v.problem(Malformed.BAD_IP_VERSION);
            return -1;
        }
        return at;
    }

    private static int loopback(PacketView v, ByteBuffer b, int at) {
        int family = b.getInt(at);
        // NULL stores the family in the capturing host's order; LOOP always in network order. Families are small,
        // so a value whose low half is zero was written by a little-endian host.
        if (v.linkType == LinkType.NULL && (family & 0xffff) == 0) {
            family = Integer.reverseBytes(family);
        }
        switch (family) {
            case 2:
                v.etherType = EtherType.IPV4;
                break;
            case 10: case 24: case 28: case 30: // AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, macOS
                v.etherType = EtherType.IPV6;
                break;
            default:
                v.saw(Protocol.OTHER_L3);
                return -1;
        }
        return at + 4;
    }

    private static int nflog(PacketView v, ByteBuffer b, int at) {
        if (v.end - at < 4) {
            return truncated(v);
        }
        int family = b.get(at) & 0xff;
        int tlv = at + 4;
        while (tlv + 4 <= v.end) {
            int length = Short.toUnsignedInt(Short.reverseBytes(b.getShort(tlv)));
            int type = Short.toUnsignedInt(Short.reverseBytes(b.getShort(tlv + 2))) & 0x7fff;
            if (length < 4 || tlv + length > v.end) {
                return truncated(v);
            }
            if (type == NFLOG_PAYLOAD) {
                int ip = tlv + 4;
                v.etherType = family == 10 ? EtherType.IPV6 : EtherType.IPV4;
                return ip;
            }
            tlv += (length + 3) & ~3;
        }
        v.saw(Protocol.OTHER_L3);
        return -1;
    }

    private static int truncated(PacketView v) {
        v.problem(Malformed.TRUNCATED_LINK_HEADER);
        return -1;
    }

}
