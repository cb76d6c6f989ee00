package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.flow.FlowKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The flow table's own hash chains and LRU list behave like a {@link LinkedHashMap} in access order (the structure it
 * replaced): for random packets over a small address space (so flows repeat, both directions), random clock steps,
 * a small cap and periodic expiry, the same flows are found, created, evicted and expired in the same order.
 */
class FlowTableProperties {
    @Property(tries = 60)
    void behavesLikeAnAccessOrderedMap(@ForAll long seed) {
        Random r = new Random(seed);
        int cap = 1 + r.nextInt(40);
        long timeout = 1_000 + r.nextInt(5_000);
        FlowTable table = new FlowTable(cap, timeout, timeout / 2);
        LinkedHashMap<FlowKey, Long> model = new LinkedHashMap<>(16, 0.75f, true);
        Map<FlowKey, Integer> protocolOf = new java.util.HashMap<>();
        Map<Long, Long> lastSeen = new java.util.HashMap<>();
        List<Long> ended = new ArrayList<>();
        List<Long> modelEnded = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder(false);
        PacketView v = new PacketView();
        FlowKey key = new FlowKey();
        long now = 0;
        for (int step = 0; step < 400; step++) {
            now += r.nextInt(400);
            if (r.nextInt(10) == 0) {
                table.expire(now, f -> ended.add(f.id));
                expireModel(model, protocolOf, lastSeen, now, timeout, modelEnded);
                assertEquals(modelEnded, ended, "seed " + seed + " expiry at step " + step);
                continue;
            }
            String a = "10.0.0." + (1 + r.nextInt(6));
            String b = "10.0.1." + (1 + r.nextInt(6));
            boolean tcp = r.nextBoolean();
            PacketBuilder pb = r.nextBoolean() ? PacketBuilder.ethernet().ipv4(a, b) : PacketBuilder.ethernet().ipv4(b, a);
            byte[] frame = tcp ? pb.tcp(1000 + r.nextInt(3), 80).build() : pb.udp(2000 + r.nextInt(3), 53).build();
            decoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.ETHERNET, v);
            key.set(v);
            Flow f = table.lookup(key, v, now, e -> ended.add(e.id));
            FlowKey copy = new FlowKey().set(key);
            Long id = model.get(copy);
            if (id == null) {
                if (model.size() >= cap) {
                    Iterator<Map.Entry<FlowKey, Long>> it = model.entrySet().iterator();
                    modelEnded.add(it.next().getValue());
                    it.remove();
                }
                id = FlowTable.flowId(copy, now); // a hash of the key and the first packet's time
                model.put(copy, id);
                protocolOf.put(copy, tcp ? 6 : 17);
            }
            lastSeen.put(id, now);
            assertEquals(id.longValue(), f.id, "seed " + seed + " step " + step);
            assertEquals(modelEnded, ended, "seed " + seed + " eviction at step " + step);
            assertEquals(model.size(), table.size());
        }
        table.drain(f -> ended.add(f.id));
        modelEnded.addAll(model.values());
        assertEquals(modelEnded, ended, "seed " + seed + " drain");
    }

    /** The previous table's expiry: walk from the least recently used, stop at the first flow within both timeouts. */
    private static void expireModel(LinkedHashMap<FlowKey, Long> model, Map<FlowKey, Integer> protocolOf,
            Map<Long, Long> lastSeen, long now, long tcpTimeout, List<Long> ended) {
        Iterator<Map.Entry<FlowKey, Long>> it = model.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<FlowKey, Long> e = it.next();
            long idle = now - lastSeen.get(e.getValue());
            if (idle <= Math.min(tcpTimeout, tcpTimeout / 2)) {
                return;
            }
            if (idle > (protocolOf.get(e.getKey()) == 6 ? tcpTimeout : tcpTimeout / 2)) {
                it.remove();
                ended.add(e.getValue());
            }
        }
    }
}
