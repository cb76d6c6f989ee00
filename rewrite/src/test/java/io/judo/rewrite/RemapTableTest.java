package io.judo.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.Addresses;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Replies translated back: addresses, ports and checksums checked by decoding the result with validation on. */
class RemapTableTest {
    private static PacketView view(byte[] frame) {
        return new PacketDecoder(true).decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length,
                LinkType.ETHERNET, new PacketView());
    }

    @Test
    void aReplyToTheNatAddressGoesBackToTheClient() {
        RemapTable t = new RemapTable(64);
        // client 10.0.0.1:40000 -> server 10.0.0.2:80 went out as 192.0.2.9:30000 -> 10.0.0.2:80
        t.put(6, Addresses.parse("10.0.0.2"), 80, Addresses.parse("192.0.2.9"), 30000, Addresses.parse("10.0.0.2"),
                80, Addresses.parse("10.0.0.1"), 40000);
        byte[] reply = PacketBuilder.ethernet().ipv4("10.0.0.2", "192.0.2.9").tcp(80, 30000).seq(5).ack(9)
                .flags(TcpFlags.ACK).payload("response").build();
        SegmentRewriter into = SegmentRewriter.inline();
        int n = t.untranslate(view(reply), into);
        byte[] back = java.util.Arrays.copyOf(into.output(), n);
        PacketView v = view(back);
        assertEquals(0, v.problems(), "checksums stay right");
        assertEquals("10.0.0.2", Addresses.format(v.buffer(), v.srcAddressOffset(), 4));
        assertEquals("10.0.0.1", Addresses.format(v.buffer(), v.dstAddressOffset(), 4));
        assertEquals(80, v.srcPort());
        assertEquals(40000, v.dstPort());
        // the client's own packets and other flows' replies are no replies of a remapped flow
        assertEquals(0, t.untranslate(view(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80)
                .flags(TcpFlags.ACK).build()), into));
        assertEquals(0, t.untranslate(view(PacketBuilder.ethernet().ipv4("10.0.0.2", "192.0.2.9").tcp(80, 30001)
                .flags(TcpFlags.ACK).build()), into));
        assertEquals(1, t.untranslated());
    }

    @Test
    void anRdrToReplyOverIpv6ComesFromTheAddressTheClientAsked() {
        RemapTable t = new RemapTable(64);
        // client fd00::1:5000 asked fd00::50 port 53 (UDP), sent on to fd00::2 port 5353
        t.put(17, Addresses.parse("fd00::2"), 5353, Addresses.parse("fd00::1"), 5000, Addresses.parse("fd00::50"),
                53, Addresses.parse("fd00::1"), 5000);
        byte[] reply = PacketBuilder.ethernet().ipv6("fd00::2", "fd00::1").udp(5353, 5000).payload("answer").build();
        SegmentRewriter into = SegmentRewriter.inline();
        int n = t.untranslate(view(reply), into);
        PacketView v = view(java.util.Arrays.copyOf(into.output(), n));
        assertEquals(0, v.problems());
        assertEquals("fd00::50", Addresses.format(v.buffer(), v.srcAddressOffset(), 16));
        assertEquals(53, v.srcPort());
    }

    @Test
    void aFullNeighbourhoodGivesTheHomeSlotToTheNewestMapping() {
        RemapTable t = new RemapTable(16);
        byte[] server = Addresses.parse("10.0.0.2");
        for (int port = 1; port <= 200; port++) {
            t.put(6, server, 80, Addresses.parse("192.0.2.9"), port, server, 80, Addresses.parse("10.0.0.1"), port);
        }
        assertEquals(16, t.size(), "bounded: the table never grows past its slots");
        byte[] reply = PacketBuilder.ethernet().ipv4("10.0.0.2", "192.0.2.9").tcp(80, 200).flags(TcpFlags.ACK)
                .build();
        SegmentRewriter into = SegmentRewriter.inline();
        int n = t.untranslate(view(reply), into);
        assertEquals(200, view(java.util.Arrays.copyOf(into.output(), n)).dstPort(), "the newest mapping is kept");
    }
}
