package io.judo.packet.decode;

import static io.judo.packet.decode.Decoded.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {

    @Test
    void tcpOverIpv4WithEveryOption() {
        byte[] f = PacketBuilder.ethernet().ipv4("192.0.2.1", "198.51.100.7").ttl(63).tos(0x10).ipId(4321)
                .dontFragment().tcp(40000, 443).seq(0xFFFFFFF0L).ack(0x80000001L)
                .flags(TcpFlags.SYN | TcpFlags.ACK | TcpFlags.ECE).window(29200).mss(1460).sackPermitted()
                .timestamps(0xDEADBEEFL, 7).windowScale(9).sack(100, 200, 0xFFFFFF00L, 5).payload("data").build();
        PacketView v = decode(LinkType.ETHERNET, f);
        assertFalse(v.malformed(), Long.toBinaryString(v.problems()));
        assertTrue(v.has(Protocol.ETHERNET) && v.has(Protocol.IPV4) && v.has(Protocol.TCP));
        assertEquals(EtherType.IPV4, v.etherType());
        assertEquals(4, v.ipVersion());
        assertEquals(7 + 14, v.l3Offset());
        assertEquals(63, v.ttl());
        assertEquals(0x10, v.tos());
        assertEquals(4321, v.fragmentId());
        assertFalse(v.fragment());
        assertEquals(6, v.ipProtocol());
        assertEquals("192.0.2.1", v.srcAddressText());
        assertEquals("198.51.100.7", v.dstAddressText());
        assertEquals(0xC0000201, v.srcIpv4());
        assertEquals(40000, v.srcPort());
        assertEquals(443, v.dstPort());
        assertEquals(0xFFFFFFF0L, v.seq());
        assertEquals(0x80000001L, v.ack());
        assertEquals(TcpFlags.SYN | TcpFlags.ACK | TcpFlags.ECE, v.tcpFlags());
        assertEquals(29200, v.window());
        assertEquals(1460, v.mss());
        assertEquals(9, v.windowScale());
        assertTrue(v.sackPermitted());
        assertTrue(v.timestamps());
        assertEquals(0xDEADBEEFL, v.tsValue());
        assertEquals(7, v.tsEcho());
        assertEquals(2, v.sackBlocks());
        assertEquals(100, v.sackLeft(0));
        assertEquals(200, v.sackRight(0));
        assertEquals(0xFFFFFF00L, v.sackLeft(1));
        assertEquals(5, v.sackRight(1));
        assertEquals(4, v.payloadLength());
        assertEquals('d', v.buffer().get(v.payloadOffset()));
        assertEquals(v.end(), v.l3End());
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] f = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).build();
        byte[] padded = java.util.Arrays.copyOf(f, 60);
        PacketView v = decode(LinkType.ETHERNET, padded);
        assertFalse(v.malformed());
        assertEquals(0, v.payloadLength());
        assertEquals(v.start() + f.length, v.l3End());
    }

    @Test
    void ipv6ExtensionChainToTheTransport() {
        byte[] f = PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2").ipv6Extension(0).ipv6Extension(43)
                .ipv6Extension(51).ipv6Extension(60).tcp(1, 2).payload("x").build();
        PacketView v = decode(LinkType.ETHERNET, f);
        assertFalse(v.malformed(), Long.toBinaryString(v.problems()));
        assertEquals(6, v.ipProtocol());
        assertEquals(1, v.srcPort());
        assertEquals("2001:db8::1", v.srcAddressText());
        int expected = 1 << 0 | 1 << (43 & 31) | 1 << (51 & 31) | 1 << (60 & 31);
        assertEquals(expected, v.ipv6ExtHeaders());
        assertEquals(1, v.payloadLength());
    }

    @Test
    void ipv4AndIpv6FragmentsFirstDecodesTransportOthersDoNot() {
        List<byte[]> v4 = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").ipId(9).udp(53, 53)
                .payload(new byte[2000]).buildFragments(800);
        assertEquals(3, v4.size());
        PacketView first = decode(LinkType.ETHERNET, v4.get(0));
        assertTrue(first.fragment() && first.moreFragments());
        assertEquals(0, first.fragmentOffset());
        assertTrue(first.has(Protocol.UDP));
        assertEquals(53, first.dstPort());
        assertFalse(first.malformed(), "UDP length spans fragments and its checksum is not checked: "
                + Long.toBinaryString(first.problems()));
        PacketView last = decode(LinkType.ETHERNET, v4.get(2));
        assertTrue(last.fragment());
        assertFalse(last.moreFragments());
        assertEquals(1600, last.fragmentOffset());
        assertFalse(last.has(Protocol.UDP));
        assertEquals(-1, last.l4Offset());
        assertEquals(17, last.ipProtocol());

        List<byte[]> v6 = PacketBuilder.ethernet().ipv6("::1", "::2").fragment(0, false, 0xABCDEF01L).udp(1, 2)
                .payload(new byte[2000]).buildFragments(1000);
        PacketView f6 = decode(LinkType.ETHERNET, v6.get(0));
        assertTrue(f6.fragment() && f6.moreFragments());
        assertEquals(0xABCDEF01L, f6.fragmentId());
        assertTrue(f6.has(Protocol.UDP));
        PacketView l6 = decode(LinkType.ETHERNET, v6.get(v6.size() - 1));
        assertEquals(2000, l6.fragmentOffset());
        assertEquals(17, l6.ipProtocol());
        assertFalse(l6.has(Protocol.UDP));
    }

    @Test
    void vlanStacksAndTheirLimit() {
        PacketView one = decode(LinkType.ETHERNET, PacketBuilder.ethernet().vlan(100).ipv4("1.1.1.1", "2.2.2.2")
                .udp(1, 2).build());
        assertEquals(1, one.vlanCount());
        assertEquals(100, one.vlanOuter());
        PacketView two = decode(LinkType.ETHERNET, PacketBuilder.ethernet().qinq().vlan(7).vlan(4000)
                .ipv6("::1", "::2").udp(1, 2).build());
        assertEquals(2, two.vlanCount());
        assertEquals(7, two.vlanOuter());
        assertEquals(4000, two.vlanInner());
        assertTrue(two.has(Protocol.IPV6));
        PacketBuilder nine = PacketBuilder.ethernet();
        for (int i = 0; i < 9; i++) {
            nine.vlan(i + 1);
        }
        PacketView tooMany = decode(LinkType.ETHERNET, nine.ipv4("1.1.1.1", "2.2.2.2").udp(1, 2).build());
        assertTrue(tooMany.has(Malformed.TOO_MANY_VLAN_TAGS));
        assertFalse(tooMany.has(Protocol.IPV4));
    }

    @Test
    void everyLinkType() {
        int[] links = {LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP,
            LinkType.RAW, LinkType.RAW_ALIAS_12, LinkType.RAW_ALIAS_14, LinkType.IPV4};
        for (int link : links) {
            PacketView v = decode(link, PacketBuilder.link(link).ipv4("1.1.1.1", "2.2.2.2").tcp(7, 8).build());
            assertFalse(v.malformed(), "link " + link);
            assertEquals(8, v.dstPort(), "link " + link);
            PacketView v6 = decode(link == LinkType.IPV4 ? LinkType.IPV6 : link,
                    PacketBuilder.link(link).ipv6("::1", "::2").udp(7, 9).build());
            assertFalse(v6.malformed(), "link " + link);
            assertEquals(9, v6.dstPort(), "link " + link);
        }
        PacketView snap = decode(LinkType.ETHERNET, PacketBuilder.ethernet().snap().ipv4("1.1.1.1", "2.2.2.2")
                .tcp(7, 8).build());
        assertEquals(8, snap.dstPort());
    }

    @Test
    void nflogPayloadTlv() {
        byte[] ip = PacketBuilder.link(LinkType.RAW).ipv4("10.0.0.1", "10.0.0.2").tcp(80, 5000).payload("ok").build();
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4 + ip.length + 3);
        b.put((byte) 2).put((byte) 0).putShort((short) 0);
        b.putShort(Short.reverseBytes((short) 8)).putShort(Short.reverseBytes((short) 1)).putInt(0x0800_0300);
        b.putShort(Short.reverseBytes((short) (4 + ip.length))).putShort(Short.reverseBytes((short) 9)).put(ip);
        PacketView v = decode(LinkType.NFLOG, b.array());
        assertTrue(v.has(Protocol.NFLOG));
        assertFalse(v.malformed(), Long.toBinaryString(v.problems()));
        assertEquals(80, v.srcPort());
        assertEquals(2, v.payloadLength());
    }

    @Test
    void unknownLinkType() {
        PacketView v = decode(147, new byte[40]);
        assertTrue(v.has(Malformed.UNKNOWN_LINK_TYPE));
    }

    @Test
    void badChecksumsAreCountedButDecodingGoesOn() {
        PacketView ip = decode(LinkType.ETHERNET, PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").badIpChecksum()
                .tcp(1, 2).build());
        assertTrue(ip.has(Malformed.BAD_IPV4_CHECKSUM));
        assertTrue(ip.has(Protocol.TCP));
        assertEquals(2, ip.dstPort());
        assertTrue(decode(LinkType.ETHERNET, PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2)
                .badTransportChecksum().build()).has(Malformed.BAD_TCP_CHECKSUM));
        assertTrue(decode(LinkType.ETHERNET, PacketBuilder.ethernet().ipv6("::1", "::2").udp(1, 2)
                .badTransportChecksum().build()).has(Malformed.BAD_UDP_CHECKSUM));
        assertTrue(decode(LinkType.ETHERNET, PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").icmp(8, 0, 0)
                .badTransportChecksum().build()).has(Malformed.BAD_ICMP_CHECKSUM));
        assertTrue(decode(LinkType.ETHERNET, PacketBuilder.ethernet().ipv6("::1", "::2").icmp(128, 0, 0)
                .badTransportChecksum().build()).has(Malformed.BAD_ICMPV6_CHECKSUM));
        byte[] bad = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2).badTransportChecksum().build();
        assertFalse(decode(LinkType.ETHERNET, bad, bad.length, bad.length, false).malformed(),
                "verification can be switched off");
    }

    @Test
    void udpWithoutChecksumOverIpv4IsValid() {
        byte[] f = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").udp(1, 2).payload("abc").build();
        int udpChecksum = 14 + 20 + 6;
        f[udpChecksum] = 0;
        f[udpChecksum + 1] = 0;
        assertFalse(decode(LinkType.ETHERNET, f).malformed());
    }

    @Test
    void headerFieldProblems() {
        byte[] f = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2).payload("abcdef").build();
        int ip = 14;
        byte[] version = f.clone();
        version[ip] = 0x55;
        assertTrue(decode(LinkType.ETHERNET, version).has(Malformed.BAD_IP_VERSION));
        byte[] ihl = f.clone();
        ihl[ip] = 0x44;
        assertTrue(decode(LinkType.ETHERNET, ihl).has(Malformed.BAD_IHL));
        byte[] total = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").ipTotalLength(400).tcp(1, 2).build();
        assertTrue(decode(LinkType.ETHERNET, total).has(Malformed.BAD_IPV4_TOTAL_LENGTH));
        byte[] small = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").ipTotalLength(12).tcp(1, 2).build();
        assertTrue(decode(LinkType.ETHERNET, small).has(Malformed.BAD_IPV4_TOTAL_LENGTH));
        byte[] offset = f.clone();
        offset[ip + 20 + 12] = 0x30; // data offset 3 words
        assertTrue(decode(LinkType.ETHERNET, offset).has(Malformed.BAD_TCP_DATA_OFFSET));
        byte[] beyond = f.clone();
        beyond[ip + 20 + 12] = (byte) 0xF0; // 60 bytes of header in a 26-byte segment
        assertTrue(decode(LinkType.ETHERNET, beyond).has(Malformed.BAD_TCP_DATA_OFFSET));
        byte[] opt = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2)
                .tcpOptionBytes((byte) 2, (byte) 9, (byte) 0, (byte) 0).build();
        PacketView o = decode(LinkType.ETHERNET, opt);
        assertTrue(o.has(Malformed.BAD_TCP_OPTIONS));
        assertEquals(2, o.dstPort(), "a bad option does not stop decoding");
        byte[] ipopt = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").ipv4Options((byte) 7, (byte) 40, (byte) 0,
                (byte) 0).tcp(1, 2).build();
        assertTrue(decode(LinkType.ETHERNET, ipopt).has(Malformed.BAD_IPV4_OPTIONS));
        byte[] udp = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").udp(1, 2).payload("abc").build();
        udp[ip + 20 + 5] = 50;
        assertTrue(decode(LinkType.ETHERNET, udp).has(Malformed.BAD_UDP_LENGTH));
        byte[] v6 = PacketBuilder.ethernet().ipv6("::1", "::2").udp(1, 2).payload("abc").build();
        v6[ip + 5] = 100;
        assertTrue(decode(LinkType.ETHERNET, v6).has(Malformed.BAD_IPV6_PAYLOAD_LENGTH));
        PacketBuilder chain = PacketBuilder.ethernet().ipv6("::1", "::2");
        for (int i = 0; i < 17; i++) {
            chain.ipv6Extension(60);
        }
        assertTrue(decode(LinkType.ETHERNET, chain.udp(1, 2).build()).has(Malformed.TOO_MANY_IPV6_EXT_HEADERS));
        byte[] death = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").fragment(65528, false, 1)
                .rawTransport(17, new byte[100]).build();
        assertTrue(decode(LinkType.ETHERNET, death).has(Malformed.BAD_FRAGMENT));
    }

    static List<byte[]> corpus() {
        List<byte[]> c = new ArrayList<>();
        c.add(PacketBuilder.ethernet().vlan(3).ipv4("1.1.1.1", "2.2.2.2").ipv4Options((byte) 1, (byte) 0).tcp(1, 2)
                .mss(1400).sackPermitted().timestamps(1, 2).sack(1, 2).payload("hello").build());
        c.add(PacketBuilder.ethernet().ipv6("::1", "::2").ipv6Extension(0).ipv6Extension(51).udp(1, 2)
                .payload("x").build());
        c.add(PacketBuilder.ethernet().ipv6("::1", "::2").icmp(128, 0, 5).payload("echo").build());
        c.add(PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").icmp(8, 0, 5).payload("echo").build());
        c.add(PacketBuilder.ethernet().ipv6("::1", "::2").fragment(0, true, 5).tcp(1, 2).build());
        return c;
    }

    /**
     * Every packet cut at every byte: never an exception; cut short without snapping, something is reported;
     * cut short by the snap length, no length lie is reported and what was captured is decoded.
     */
    @Test
    void truncationAtEveryByteBoundary() {
        for (byte[] f : corpus()) {
            for (int cut = 0; cut < f.length; cut++) {
                PacketView lied = decode(LinkType.ETHERNET, f, cut, cut, true);
                assertTrue(lied.malformed(), "cut at " + cut + " of " + f.length + " must be reported");
                PacketView snapped = decode(LinkType.ETHERNET, f, cut, f.length, true);
                assertFalse(snapped.has(Malformed.BAD_IPV4_TOTAL_LENGTH) || snapped.has(Malformed.BAD_IPV6_PAYLOAD_LENGTH)
                        || snapped.has(Malformed.BAD_TCP_CHECKSUM) || snapped.has(Malformed.BAD_UDP_CHECKSUM),
                        "a snapped packet is not a liar: cut at " + cut);
            }
        }
    }
}
