package io.judo.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link LongSet} answers as a {@code HashSet<Long>} does, over keys with many repeats, zero and negative ones. */
class LongSetTest {
    @Test
    void addsAsAHashSetDoes() {
        Random r = new Random(3);
        LongSet set = new LongSet();
        Set<Long> oracle = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            long k = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(500); // repeats, zero among them
                case 1 -> -r.nextInt(500);
                case 2 -> (long) r.nextInt(16) << 40 ^ r.nextInt(3000); // gid << 40 ^ sid, as the writer keys rules
                default -> r.nextLong();
            };
            assertEquals(oracle.add(k), set.add(k), "key " + k + " at step " + i);
        }
    }
}
