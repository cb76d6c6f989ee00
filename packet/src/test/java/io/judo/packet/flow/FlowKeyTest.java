package io.judo.packet.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FlowKeyTest {
    private static FlowKey key(byte[] frame) {
        PacketView v = new PacketDecoder().decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length,
                LinkType.ETHERNET, new PacketView());
        FlowKey k = new FlowKey();
        assertTrue(k.set(v));
        return k;
    }

    @Test
    void endpointAddressesComeBackAsBytes() throws Exception {
        FlowKey v4 = key(PacketBuilder.ethernet().ipv4("192.0.2.200", "10.0.0.1").tcp(5, 6).build());
        assertTrue(v4.reversed(), "10.0.0.1 is the smaller endpoint, so the sender is B");
        assertEquals("10.0.0.1", java.net.InetAddress.getByAddress(v4.address(true)).getHostAddress());
        assertEquals("192.0.2.200", java.net.InetAddress.getByAddress(v4.address(false)).getHostAddress());
        FlowKey v6 = key(PacketBuilder.ethernet().ipv6("2001:db8::ff01", "2001:db8:1::2").udp(5, 6).build());
        assertEquals(java.net.InetAddress.getByName("2001:db8::ff01"),
                java.net.InetAddress.getByAddress(v6.address(true)));
        assertEquals(java.net.InetAddress.getByName("2001:db8:1::2"),
                java.net.InetAddress.getByAddress(v6.address(false)));
    }

    @Test
    void bothDirectionsShareKeyAndHash() {
        FlowKey ab = key(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build());
        FlowKey ba = key(PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").tcp(80, 1234).build());
        assertEquals(ab, ba);
        assertEquals(ab.symmetricHash(), ba.symmetricHash());
        assertNotEquals(ab.reversed(), ba.reversed());
        FlowKey v6 = key(PacketBuilder.ethernet().ipv6("2001:db8::2", "2001:db8::1").udp(53, 5353).build());
        FlowKey v6r = key(PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2").udp(5353, 53).build());
        assertEquals(v6, v6r);
    }

    @Test
    void vlanPortAndProtocolSeparateFlows() {
        FlowKey plain = key(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build());
        FlowKey tagged = key(PacketBuilder.ethernet().vlan(5).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build());
        FlowKey udp = key(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1234, 80).build());
        FlowKey port = key(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1235, 80).build());
        assertNotEquals(plain, tagged);
        assertNotEquals(plain, udp);
        assertNotEquals(plain, port);
    }

    @Test
    void laterFragmentsHaveNoKey() {
        byte[] later = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").fragment(800, false, 1)
                .rawTransport(17, new byte[40]).build();
        PacketView v = new PacketDecoder().decode(ByteBuffer.wrap(later), 0, later.length, later.length,
                LinkType.ETHERNET, new PacketView());
        assertFalse(new FlowKey().set(v));
    }

    @Property
    void symmetricForAnyEndpoints(@ForAll long aHi, @ForAll long aLo, @ForAll @IntRange(max = 65535) int aPort,
                                  @ForAll long bHi, @ForAll long bLo, @ForAll @IntRange(max = 65535) int bPort,
                                  @ForAll @IntRange(max = 255) int proto) {
        FlowKey one = new FlowKey().set(6, proto, aHi, aLo, aPort, bHi, bLo, bPort, 0);
        FlowKey two = new FlowKey().set(6, proto, bHi, bLo, bPort, aHi, aLo, aPort, 0);
        assertEquals(one, two);
        assertEquals(one.symmetricHash(), two.symmetricHash());
    }

    /** The flat set agrees with a HashSet of the keys' text over many random keys (and rehashes on the way). */
    @Property(tries = 20)
    void flowKeySetCountsDistinctKeys(@ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        FlowKeySet set = new FlowKeySet(4);
        Set<String> oracle = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            long a = r.nextInt(50);
            long b = r.nextInt(50);
            int pa = r.nextInt(3);
            int pb = r.nextInt(3);
            FlowKey k = new FlowKey().set(4, 6, 0, a, pa, 0, b, pb, r.nextInt(2));
            boolean added = set.add(k);
            assertEquals(oracle.add(k.toString()), added);
        }
        assertEquals(oracle.size(), set.size());
    }
}
