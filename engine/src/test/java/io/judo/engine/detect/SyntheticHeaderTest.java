package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.Addresses;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.PacketView;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The in-place header a flushed stream chunk is inspected with is byte for byte the packet {@code PacketBuilder}
 * builds for the same endpoints (that builder's frames are checked against tshark in the packet module), decodes
 * without a problem, and costs no allocation.
 */
class SyntheticHeaderTest {
    private static byte[] bytes(PacketView v) {
        byte[] out = new byte[v.end() - v.start()];
        v.buffer().get(v.start(), out);
        return out;
    }

    @Test
    void equalsTheBuildersPacketForIpv4AndIpv6() {
        SyntheticHeader h = new SyntheticHeader();
        String[][] pairs = {{"192.0.2.1", "198.51.100.77"}, {"10.255.0.9", "172.16.254.3"},
                {"2001:db8::1", "2001:db8:ffff::abcd"}, {"fe80::1", "::1"}};
        int[][] ports = {{49152, 80}, {65535, 1}, {443, 51000}, {53, 53}};
        for (int i = 0; i < pairs.length; i++) {
            String s = pairs[i][0];
            String d = pairs[i][1];
            PacketBuilder b = s.contains(":") ? PacketBuilder.ethernet().ipv6(s, d) : PacketBuilder.ethernet().ipv4(s, d);
            byte[] expected = b.tcp(ports[i][0], ports[i][1]).build();
            PacketView v = h.of(Addresses.parse(s), ports[i][0], Addresses.parse(d), ports[i][1]);
            assertArrayEquals(expected, bytes(v), s + " -> " + d);
            assertFalse(v.malformed(), s + " -> " + d);
            assertEquals(6, v.ipProtocol());
            assertEquals(64, v.ttl());
        }
        // After an IPv6 header, an IPv4 one still equals the builder's (no bytes left from the longer frame).
        PacketView v = h.of(Addresses.parse("192.0.2.1"), 1, Addresses.parse("192.0.2.2"), 2);
        assertArrayEquals(PacketBuilder.ethernet().ipv4("192.0.2.1", "192.0.2.2").tcp(1, 2).build(), bytes(v));
    }

    @Test
    void writingAHeaderAllocatesNothing() {
        SyntheticHeader h = new SyntheticHeader();
        byte[] a = Addresses.parse("192.0.2.1");
        byte[] b = Addresses.parse("2001:db8::1");
        byte[] c = Addresses.parse("2001:db8::2");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes = 0;
        int ports = 0;
        for (int round = 0; round < 2; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50_000; i++) {
                ports += h.of(a, i & 0xffff, a, 80).ipVersion();
                ports += h.of(b, 443, c, i & 0xffff).ipVersion();
            }
            bytes = mx.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals(2 * 50_000 * (4 + 6), ports);
        assertTrue(bytes < 4096, bytes + " bytes allocated over 100,000 headers");
    }

    /** A flow's header, both directions: the builder's packet for its endpoints, written without allocating. */
    @Test
    void aFlowsHeaderEqualsTheBuildersPacketBothWays() {
        SyntheticHeader h = new SyntheticHeader();
        String[][] pairs = {{"192.0.2.1", "198.51.100.77"}, {"2001:db8::1", "2001:db8:ffff::abcd"}};
        for (String[] pair : pairs) {
            String client = pair[0];
            String server = pair[1];
            PacketBuilder syn = client.contains(":") ? PacketBuilder.ethernet().ipv6(client, server)
                    : PacketBuilder.ethernet().ipv4(client, server);
            byte[] frame = syn.tcp(40000, 80).flags(0x02).build();
            io.judo.reassembly.TcpReassembler r = new io.judo.reassembly.TcpReassembler(
                    io.judo.reassembly.FlowTable.defaults(), io.judo.reassembly.StreamConfig.defaults(),
                    (flow, dir, offset, data, from, length) -> { }, f -> { });
            PacketView v = new io.judo.packet.decode.PacketDecoder(false).decode(java.nio.ByteBuffer.wrap(frame), 0,
                    frame.length, frame.length, io.judo.packet.decode.LinkType.ETHERNET, new PacketView());
            r.packet(v, 1);
            io.judo.reassembly.Flow f = r.lastFlow();
            PacketBuilder up = client.contains(":") ? PacketBuilder.ethernet().ipv6(client, server)
                    : PacketBuilder.ethernet().ipv4(client, server);
            PacketBuilder down = client.contains(":") ? PacketBuilder.ethernet().ipv6(server, client)
                    : PacketBuilder.ethernet().ipv4(server, client);
            for (int round = 0; round < 2; round++) { // a header asked for again is the same, as is the other way
                assertArrayEquals(up.tcp(40000, 80).build(), bytes(h.of(f, 0)), client + " to the server");
                assertArrayEquals(up.tcp(40000, 80).build(), bytes(h.of(f, 0)), client + " to the server again");
                assertArrayEquals(down.tcp(80, 40000).build(), bytes(h.of(f, 1)), server + " to the client");
            }
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long bytes = 0;
            for (int round = 0; round < 2; round++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 50_000; i++) {
                    h.of(f, i & 1);
                }
                bytes = mx.getCurrentThreadAllocatedBytes() - before;
            }
            assertTrue(bytes < 4096, bytes + " bytes allocated over 50,000 headers of " + client);
        }
    }
}
