package io.judo.packet.build;

import io.judo.packet.Addresses;
import io.judo.packet.checksum.InternetChecksum;
import io.judo.packet.decode.EtherType;
import io.judo.packet.decode.LinkType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one frame, outermost layer first in the call chain, innermost computed first in {@link #build()}: lengths
 * and checksums come out right unless a {@code bad...} method asks otherwise. Not for the hot path (allocates).
 *
 * <pre>{@code
 * byte[] syn = PacketBuilder.ethernet().vlan(10).ipv4("10.0.0.1", "10.0.0.2")
 *         .tcp(40000, 80).seq(1000).flags(TcpFlags.SYN).mss(1460).build();
 * }</pre>
 */
public final class PacketBuilder {
    /** TCP flag bits. */
    public static final class TcpFlags {
        public static final int FIN = 0x01;
        public static final int SYN = 0x02;
        public static final int RST = 0x04;
        public static final int PSH = 0x08;
        public static final int ACK = 0x10;
        public static final int URG = 0x20;
        public static final int ECE = 0x40;
        public static final int CWR = 0x80;

        private TcpFlags() {
        }
    }

    private static final int NONE = -1;
    private static final byte[] SRC_MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    private static final byte[] DST_MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

    private final int linkType;
    private byte[] srcMac = SRC_MAC;
    private byte[] dstMac = DST_MAC;
    private final List<Integer> vlans = new ArrayList<>();
    private int vlanEtherType = EtherType.VLAN;
    private boolean snap;

    private int ipVersion;
    private byte[] src;
    private byte[] dst;
    private int ttl = 64;
    private int tos;
    private int ipId = 1;
    private boolean dontFragment;
    private int fragmentOffset;
    private boolean moreFragments;
    private boolean v6Fragment;
    private long v6FragmentId;
    private final List<Integer> v6Extensions = new ArrayList<>();
    private byte[] ipv4Options = new byte[0];

    private int protocol = NONE;
    private int srcPort;
    private int dstPort;
    private long seq;
    private long ack;
    private int flags = TcpFlags.ACK;
    private int window = 65535;
    private int urgent;
    private final ByteArrayOutputStream tcpOptions = new ByteArrayOutputStream();
    private int icmpType;
    private int icmpCode;
    private int icmpRest;
    private byte[] l4Raw;
    private byte[] payload = new byte[0];

    private int arpEtherType = NONE;
    private boolean badIpChecksum;
    private boolean badL4Checksum;
    private int ipTotalLengthOverride = NONE;

    private PacketBuilder(int linkType) {
        this.linkType = linkType;
    }

    /** Ethernet II. */
    public static PacketBuilder ethernet() {
        return new PacketBuilder(LinkType.ETHERNET);
    }

    /** Any supported link type: ETHERNET, RAW, LINUX_SLL, LINUX_SLL2, NULL, LOOP. */
    public static PacketBuilder link(int linkType) {
        return new PacketBuilder(linkType);
    }

    /** The link type of the frames this builder makes. */
    public int linkType() {
        return linkType;
    }

    public PacketBuilder macs(byte[] src, byte[] dst) {
        this.srcMac = src.clone();
        this.dstMac = dst.clone();
        return this;
    }

    /** Adds an 802.1Q tag (outermost first). */
    public PacketBuilder vlan(int id) {
        vlans.add(id);
        return this;
    }

    /** Uses 802.1ad (0x88a8) for the outer tag of a stack. */
    public PacketBuilder qinq() {
        vlanEtherType = EtherType.QINQ;
        return this;
    }

    /** Writes an 802.3 length and an 802.2 LLC/SNAP header instead of an EtherType. */
    public PacketBuilder snap() {
        snap = true;
        return this;
    }

    /**
     * An ARP (or, with {@code rarp}, RARP) message for IPv4 over Ethernet: operation, sender and target hardware and
     * protocol addresses.
     */
    public PacketBuilder arp(boolean rarp, int operation, byte[] senderMac, String senderIp, byte[] targetMac,
                             String targetIp) {
        arpEtherType = rarp ? 0x8035 : EtherType.ARP;
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort((short) 1).putShort((short) EtherType.IPV4).put((byte) 6).put((byte) 4).putShort((short) operation)
                .put(senderMac).put(address(senderIp, 4)).put(targetMac).put(address(targetIp, 4));
        this.payload = b.array();
        return this;
    }

    public PacketBuilder ipv4(String src, String dst) {
        ipVersion = 4;
        this.src = address(src, 4);
        this.dst = address(dst, 4);
        return this;
    }

    public PacketBuilder ipv6(String src, String dst) {
        ipVersion = 6;
        this.src = address(src, 16);
        this.dst = address(dst, 16);
        return this;
    }

    public PacketBuilder ttl(int ttl) {
        this.ttl = ttl;
        return this;
    }

    public PacketBuilder tos(int tos) {
        this.tos = tos;
        return this;
    }

    public PacketBuilder ipId(int id) {
        this.ipId = id;
        return this;
    }

    public PacketBuilder dontFragment() {
        this.dontFragment = true;
        return this;
    }

    /** IPv4 options (padded to a multiple of 4 with EOL). */
    public PacketBuilder ipv4Options(byte... options) {
        this.ipv4Options = Arrays.copyOf(options, (options.length + 3) & ~3);
        return this;
    }

    /** Marks the packet as a fragment (IPv4 fields, or an IPv6 fragment header). Offset in bytes, multiple of 8. */
    public PacketBuilder fragment(int offsetBytes, boolean more, long id) {
        this.fragmentOffset = offsetBytes;
        this.moreFragments = more;
        this.ipId = (int) id;
        this.v6FragmentId = id;
        this.v6Fragment = true;
        return this;
    }

    /** Adds an IPv6 extension header (0 hop-by-hop, 43 routing, 60 destination options, 51 AH), in order. */
    public PacketBuilder ipv6Extension(int type) {
        v6Extensions.add(type);
        return this;
    }

    public PacketBuilder tcp(int srcPort, int dstPort) {
        protocol = 6;
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        return this;
    }

    public PacketBuilder udp(int srcPort, int dstPort) {
        protocol = 17;
        this.srcPort = srcPort;
        this.dstPort = dstPort;
        return this;
    }

    /** ICMP (IPv4) or ICMPv6 (IPv6) with the 4 bytes after the checksum (e.g. echo id and sequence). */
    public PacketBuilder icmp(int type, int code, int rest) {
        protocol = ipVersion == 6 ? 58 : 1;
        this.icmpType = type;
        this.icmpCode = code;
        this.icmpRest = rest;
        return this;
    }

    /** An arbitrary upper layer: protocol number and its bytes (no checksum is computed). */
    public PacketBuilder rawTransport(int protocol, byte[] bytes) {
        this.protocol = protocol;
        this.l4Raw = bytes.clone();
        return this;
    }

    public PacketBuilder seq(long seq) {
        this.seq = seq & 0xffffffffL;
        return this;
    }

    public PacketBuilder ack(long ack) {
        this.ack = ack & 0xffffffffL;
        return this;
    }

    public PacketBuilder flags(int flags) {
        this.flags = flags;
        return this;
    }

    public PacketBuilder window(int window) {
        this.window = window;
        return this;
    }

    public PacketBuilder urgent(int pointer) {
        this.urgent = pointer;
        return this;
    }

    public PacketBuilder mss(int mss) {
        tcpOptions.write(2);
        tcpOptions.write(4);
        tcpOptions.write(mss >>> 8);
        tcpOptions.write(mss);
        return this;
    }

    public PacketBuilder windowScale(int shift) {
        tcpOptions.write(1); // NOP, as real stacks align it
        tcpOptions.write(3);
        tcpOptions.write(3);
        tcpOptions.write(shift);
        return this;
    }

    public PacketBuilder sackPermitted() {
        tcpOptions.write(4);
        tcpOptions.write(2);
        return this;
    }

    public PacketBuilder timestamps(long value, long echo) {
        tcpOptions.write(8);
        tcpOptions.write(10);
        writeInt(tcpOptions, value);
        writeInt(tcpOptions, echo);
        return this;
    }

    /** A SACK option with the given left/right edge pairs. */
    public PacketBuilder sack(long... edges) {
        tcpOptions.write(5);
        tcpOptions.write(2 + edges.length * 4);
        for (long e : edges) {
            writeInt(tcpOptions, e);
        }
        return this;
    }

    /** Raw TCP option bytes (for malformed-option tests). */
    public PacketBuilder tcpOptionBytes(byte... bytes) {
        tcpOptions.writeBytes(bytes);
        return this;
    }

    public PacketBuilder payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    public PacketBuilder payload(String ascii) {
        this.payload = ascii.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return this;
    }

    public PacketBuilder badIpChecksum() {
        badIpChecksum = true;
        return this;
    }

    public PacketBuilder badTransportChecksum() {
        badL4Checksum = true;
        return this;
    }

    /** Writes this IPv4 total length instead of the true one. */
    public PacketBuilder ipTotalLength(int length) {
        ipTotalLengthOverride = length;
        return this;
    }

    /** Builds the frame. */
    public byte[] build() {
        byte[] transport = transport();
        if (fragmentOffset != 0 || moreFragments) {
            return frame(transport, fragmentOffset, moreFragments, true);
        }
        return frame(transport, 0, false, false);
    }

    /**
     * Builds the datagram and cuts it into IP fragments whose payloads are {@code fragmentSize} bytes (rounded down
     * to a multiple of 8), in order.
     */
    public List<byte[]> buildFragments(int fragmentSize) {
        int size = Math.max(8, fragmentSize & ~7);
        v6Fragment = true;
        byte[] transport = transport();
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < transport.length; off += size) {
            byte[] piece = Arrays.copyOfRange(transport, off, Math.min(transport.length, off + size));
            frames.add(frame(piece, off, off + size < transport.length, true));
        }
        return frames;
    }

    private byte[] transport() {
        if (ipVersion == 0) {
            return payload;
        }
        switch (protocol) {
            case 6:
                return tcpSegment();
            case 17:
                return udpDatagram();
            case 1:
            case 58:
                return icmpMessage();
            case NONE:
                protocol = 59;
                return payload;
            default:
                return l4Raw != null ? l4Raw : payload;
        }
    }

    private byte[] tcpSegment() {
        byte[] opts = tcpOptions.toByteArray();
        int optLen = (opts.length + 3) & ~3;
        int hdr = 20 + optLen;
        ByteBuffer b = ByteBuffer.allocate(hdr + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt((int) ack);
        b.put((byte) ((hdr / 4) << 4)).put((byte) flags).putShort((short) window).putShort((short) 0)
                .putShort((short) urgent);
        b.put(opts);
        b.position(hdr);
        b.put(payload);
        byte[] seg = b.array();
        putChecksum(seg, 16, transportChecksum(seg, 6));
        return seg;
    }

    private byte[] udpDatagram() {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        byte[] d = b.array();
        int c = transportChecksum(d, 17);
        putChecksum(d, 6, c == 0 && !badL4Checksum ? 0xffff : c);
        return d;
    }

    private byte[] icmpMessage() {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.put((byte) icmpType).put((byte) icmpCode).putShort((short) 0).putInt(icmpRest).put(payload);
        byte[] m = b.array();
        int c = protocol == 58 ? transportChecksum(m, 58) : InternetChecksum.finish(InternetChecksum.add(0, m, 0, m.length));
        putChecksum(m, 2, badL4Checksum && protocol == 1 ? c ^ 0x5555 : c);
        return m;
    }

    private int transportChecksum(byte[] data, int proto) {
        long sum = InternetChecksum.add(0, src, 0, src.length);
        sum = InternetChecksum.add(sum, dst, 0, dst.length);
        sum += proto + data.length;
        int c = InternetChecksum.finish(InternetChecksum.add(sum, data, 0, data.length));
        return badL4Checksum ? c ^ 0x5555 : c;
    }

    private static void putChecksum(byte[] data, int at, int value) {
        data[at] = (byte) (value >>> 8);
        data[at + 1] = (byte) value;
    }

    private byte[] frame(byte[] ipPayload, int fragOffset, boolean more, boolean isFragment) {
        byte[] ip = ipVersion == 4 ? ipv4(ipPayload, fragOffset, more)
                : ipVersion == 6 ? ipv6(ipPayload, fragOffset, more, isFragment) : ipPayload;
        int etherType = arpEtherType != NONE ? arpEtherType : ipVersion == 6 ? EtherType.IPV6 : EtherType.IPV4;
        ByteBuffer b;
        switch (linkType) {
            case LinkType.ETHERNET: {
                int tagBytes = vlans.size() * 4;
                b = ByteBuffer.allocate(14 + tagBytes + (snap ? 8 : 0) + ip.length);
                b.put(dstMac).put(srcMac);
                for (int i = 0; i < vlans.size(); i++) {
                    int tpid = i == 0 && vlans.size() > 1 ? vlanEtherType : EtherType.VLAN;
                    b.putShort((short) tpid).putShort((short) (vlans.get(i) & 0x0fff));
                }
                if (snap) {
                    b.putShort((short) (8 + ip.length));
                    b.put((byte) 0xAA).put((byte) 0xAA).put((byte) 0x03).put((byte) 0).put((byte) 0).put((byte) 0);
                }
                b.putShort((short) etherType);
                break;
            }
            case LinkType.LINUX_SLL:
                b = ByteBuffer.allocate(16 + ip.length);
                b.putShort((short) 0).putShort((short) 1).putShort((short) 6).put(srcMac).putShort((short) 0)
                        .putShort((short) etherType);
                break;
            case LinkType.LINUX_SLL2:
                b = ByteBuffer.allocate(20 + ip.length);
                b.putShort((short) etherType).putShort((short) 0).putInt(1).putShort((short) 1).put((byte) 0)
                        .put((byte) 6).put(srcMac).putShort((short) 0);
                break;
            case LinkType.NULL: {
                b = ByteBuffer.allocate(4 + ip.length);
                int family = ipVersion == 6 ? 30 : 2;
                b.putInt(Integer.reverseBytes(family)); // host order of a little-endian capturing machine
                break;
            }
            case LinkType.LOOP:
                b = ByteBuffer.allocate(4 + ip.length);
                b.putInt(ipVersion == 6 ? 24 : 2);
                break;
            default:
                b = ByteBuffer.allocate(ip.length);
        }
        b.put(ip);
        return b.array();
    }

    private byte[] ipv4(byte[] data, int fragOffset, boolean more) {
        int hdr = 20 + ipv4Options.length;
        int total = ipTotalLengthOverride != NONE ? ipTotalLengthOverride : hdr + data.length;
        ByteBuffer b = ByteBuffer.allocate(hdr + data.length);
        int frag = (fragOffset / 8) | (more ? 0x2000 : 0) | (dontFragment ? 0x4000 : 0);
        b.put((byte) (0x40 | hdr / 4)).put((byte) tos).putShort((short) total).putShort((short) ipId)
                .putShort((short) frag).put((byte) ttl).put((byte) protocol).putShort((short) 0).put(src).put(dst)
                .put(ipv4Options);
        byte[] h = b.array();
        int c = InternetChecksum.finish(InternetChecksum.add(0, h, 0, hdr));
        putChecksum(h, 10, badIpChecksum ? c ^ 0x1111 : c);
        System.arraycopy(data, 0, h, hdr, data.length);
        return h;
    }

    private byte[] ipv6(byte[] data, int fragOffset, boolean more, boolean isFragment) {
        List<Integer> chain = new ArrayList<>(v6Extensions);
        if (isFragment && v6Fragment) {
            chain.add(44);
        }
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        for (int i = 0; i < chain.size(); i++) {
            int type = chain.get(i);
            int next = i + 1 < chain.size() ? chain.get(i + 1) : protocol;
            if (type == 44) {
                ext.write(next);
                ext.write(0);
                int field = fragOffset | (more ? 1 : 0);
                ext.write(field >>> 8);
                ext.write(field);
                writeInt(ext, v6FragmentId);
            } else if (type == 51) {
                ext.writeBytes(new byte[] {(byte) next, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1}); // 12 bytes: (3 - 2) words; SPI 1, seq 1
            } else if (type == 43) {
                ext.writeBytes(new byte[] {(byte) next, 0, 4, 0, 0, 0, 0, 0}); // segment routing stub, 0 left
            } else {
                ext.writeBytes(new byte[] {(byte) next, 0, 1, 4, 0, 0, 0, 0}); // PadN
            }
        }
        byte[] e = ext.toByteArray();
        int first = chain.isEmpty() ? protocol : chain.get(0);
        ByteBuffer b = ByteBuffer.allocate(40 + e.length + data.length);
        b.putInt(0x60000000 | (tos << 20)).putShort((short) (e.length + data.length)).put((byte) first)
                .put((byte) ttl).put(src).put(dst).put(e).put(data);
        return b.array();
    }

    private static void writeInt(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }

    private static byte[] address(String text, int length) {
        byte[] a = Addresses.parse(text);
        if (a.length != length) {
            throw new IllegalArgumentException("expected an IPv" + (length == 4 ? 4 : 6) + " address: " + text);
        }
        return a;
    }
}
