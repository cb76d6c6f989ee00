package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.flow.FlowKey;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Flow ids name a flow by its key and first packet, whichever table tracks it. */
class FlowIdTest {
    private static FlowKey key(String src, int sport, String dst, int dport) {
        byte[] frame = PacketBuilder.ethernet().ipv4(src, dst).tcp(sport, dport).build();
        PacketView v = new PacketDecoder(false).decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length,
                LinkType.ETHERNET, new PacketView());
        FlowKey k = new FlowKey();
        assertTrue(k.set(v));
        return k;
    }

    @Test
    void bothDirectionsAndEveryTableGiveOneId() {
        long t = 1_700_000_000_000_000_000L;
        assertEquals(FlowTable.flowId(key("10.0.0.1", 4000, "10.0.0.2", 80), t),
                FlowTable.flowId(key("10.0.0.2", 80, "10.0.0.1", 4000), t));
        assertNotEquals(FlowTable.flowId(key("10.0.0.1", 4000, "10.0.0.2", 80), t),
                FlowTable.flowId(key("10.0.0.1", 4000, "10.0.0.2", 80), t + 1), "a later flow on the same ports");
    }

    @Test
    void idsAreDistinctPositiveAndFitADouble() {
        Set<Long> seen = new HashSet<>();
        for (int port = 1; port <= 20_000; port++) {
            long id = FlowTable.flowId(key("192.168.0.1", port, "192.168.0.2", 443), 5_000L);
            assertTrue(id > 0 && id < (1L << 53), "id " + id);
            assertTrue(seen.add(id), "a repeated id at port " + port);
        }
    }
}
