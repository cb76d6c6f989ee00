package io.judo.packet.decode;

import static io.judo.packet.decode.Decoded.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.Encapsulation;
import io.judo.packet.build.PacketBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link Checksums} bits the decoder leaves on the view, which the checksum rule keywords read. */
class ChecksumsTest {
    private static final int IPV4 = Checksums.IPV4_JUDGED | Checksums.VERIFIED;
    private static final int L4 = Checksums.TRANSPORT_JUDGED;

    private static int bits(byte[] frame) {
        return decode(LinkType.ETHERNET, frame).checksums();
    }

    @Test
    void goodAndBadHeaders() {
        PacketBuilder v4 = PacketBuilder.ethernet().ipv4("192.0.2.1", "192.0.2.2");
        assertEquals(IPV4 | L4, bits(PacketBuilder.ethernet().ipv4("192.0.2.1", "192.0.2.2").tcp(1, 2).build()));
        assertEquals(IPV4 | Checksums.IPV4_BAD | L4, bits(v4.badIpChecksum().tcp(1, 2).build()));
        assertEquals(IPV4 | L4 | Checksums.TRANSPORT_BAD, bits(PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2")
                .udp(1, 2).payload("x").badTransportChecksum().build()));
        assertEquals(IPV4 | L4 | Checksums.TRANSPORT_BAD, bits(PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2")
                .icmp(8, 0, 0).badTransportChecksum().build()));
        // IPv6 has no header checksum: only the transport's is judged
        assertEquals(Checksums.VERIFIED | L4 | Checksums.TRANSPORT_BAD, bits(PacketBuilder.ethernet()
                .ipv6("::1", "::2").icmp(128, 0, 0).badTransportChecksum().build()));
        assertEquals(Checksums.VERIFIED | L4, bits(PacketBuilder.ethernet().ipv6("::1", "::2").tcp(1, 2).build()));
    }

    @Test
    void withoutVerificationEveryJudgedChecksumReadsGood() {
        byte[] bad = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").badIpChecksum().tcp(1, 2)
                .badTransportChecksum().build();
        assertEquals(Checksums.IPV4_JUDGED | L4, decode(LinkType.ETHERNET, bad, bad.length, bad.length, false)
                .checksums());
    }

    @Test
    void unjudgedTransports() {
        byte[] f = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").udp(1, 2).payload("abc").build();
        f[14 + 20 + 6] = 0; // no UDP checksum over IPv4
        f[14 + 20 + 7] = 0;
        assertEquals(IPV4, bits(f));
        List<byte[]> fragments = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2)
                .payload(new byte[64]).buildFragments(32);
        for (byte[] fragment : fragments) {
            assertEquals(IPV4, bits(fragment), "a fragment's transport checksum covers other packets' bytes");
        }
        byte[] whole = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2).payload(new byte[64]).build();
        PacketView snapped = decode(LinkType.ETHERNET, whole, whole.length - 10, whole.length, true);
        assertEquals(IPV4, snapped.checksums(), "the capture cut the segment");
        byte[] truncated = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2).build();
        assertEquals(IPV4, decode(LinkType.ETHERNET, truncated, 14 + 20 + 10, truncated.length, true).checksums());
    }

    @Test
    void theInnermostPacketsBitsOnly() {
        byte[] inner = PacketBuilder.ethernet().ipv4("10.1.0.10", "10.2.0.20").tcp(40001, 80).build();
        byte[] outer = Encapsulation.GRE.wrap(inner, true);
        outer[14 + 10] ^= 0x55; // the outer IPv4 header's checksum
        PacketView v = decode(LinkType.ETHERNET, outer);
        assertEquals(true, v.has(Malformed.BAD_IPV4_CHECKSUM));
        assertEquals(IPV4 | L4, v.checksums(), "the inner packet is whole and good");
    }
}
