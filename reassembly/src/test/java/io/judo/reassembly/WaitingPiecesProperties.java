package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** {@link WaitingPieces} against a {@link TreeMap}, the sorted map it replaced, over random adds and removals. */
class WaitingPiecesProperties {
    @Property(tries = 300)
    void behavesAsASortedMap(@ForAll long seed) {
        Random r = new Random(seed);
        WaitingPieces<String> pieces = new WaitingPieces<>();
        TreeMap<Long, String> map = new TreeMap<>();
        for (int step = 0; step < 400; step++) {
            int op = r.nextInt(10);
            long key = r.nextInt(4) == 0 ? r.nextInt(64) : (map.isEmpty() ? 0 : map.lastKey()) + r.nextInt(8);
            if (op < 5) {
                String v = "v" + step;
                pieces.add(key, v);
                map.put(key, v);
            } else if (op < 7 && !map.isEmpty()) {
                pieces.remove(0, 1); // delivery takes the first
                map.pollFirstEntry();
            } else if (!map.isEmpty()) {
                int from = r.nextInt(map.size());
                int to = from + r.nextInt(Math.min(3, map.size() - from) + 1);
                pieces.remove(from, to);
                List<Long> keys = new ArrayList<>(map.keySet());
                for (int i = from; i < to; i++) {
                    map.remove(keys.get(i));
                }
            }
            long probe = r.nextInt(80);
            Map.Entry<Long, String> lower = map.lowerEntry(probe);
            int li = pieces.lower(probe);
            assertEquals(lower == null ? -1 : map.headMap(probe, false).size() - 1, li, "lower(" + probe + ")");
            if (lower != null) {
                assertEquals(lower.getKey(), pieces.start(li));
                assertEquals(lower.getValue(), pieces.piece(li));
            }
            assertEquals(map.size(), pieces.size());
            int i = 0;
            for (Map.Entry<Long, String> e : map.entrySet()) {
                assertEquals(e.getKey(), pieces.start(i));
                assertEquals(e.getValue(), pieces.piece(i++));
            }
        }
    }
}
