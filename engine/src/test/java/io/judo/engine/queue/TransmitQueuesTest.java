package io.judo.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token buckets and strict priority on a simulated clock; every figure is worked out by hand. */
class TransmitQueuesTest {
    private final List<Integer> sent = new ArrayList<>();

    /** A frame whose first byte names its queue. */
    private static byte[] frame(int q, int length) {
        byte[] b = new byte[length];
        b[0] = (byte) q;
        return b;
    }

    @Test
    void aRateLimitedQueueSendsItsRateOverASecond() {
        // queue 1 at 8 Mbit/s = 1,000,000 bytes/s; 1,000-byte frames offered every 0.5 ms = 2 MB/s, twice the rate
        long[] bytes = new long[1];
        TransmitQueues q = new TransmitQueues(new long[] {0, 8_000_000}, new int[] {1, 1}, 50,
                (f, o, l) -> bytes[0] += l, 0);
        long t = 0;
        for (int i = 0; i < 2_000; i++) {
            t += 500_000;
            q.offer(1, frame(1, 1_000), 0, 1_000, t);
        }
        // one second: the rate plus the initial burst (5 ms of rate = 5,000 bytes), to within one frame
        assertTrue(Math.abs(bytes[0] - 1_005_000) <= 1_000, "sent " + bytes[0]);
        assertEquals(2_000 - 50 - bytes[0] / 1_000, q.dropped(1), "the rest was dropped but the 50 waiting");
        assertEquals(50, q.waiting());
        long wait = q.service(t);
        // a frame leaves every other offer, so 0 or 500 bytes of tokens remain: the next 1,000 bytes take 0.5-1 ms
        assertTrue(wait > 0 && wait <= 1_000_001, "wait " + wait);
    }

    @Test
    void theDefaultQueueWithoutARateSendsAtOnce() {
        TransmitQueues q = new TransmitQueues(new long[] {0}, new int[] {1}, 50, (f, o, l) -> sent.add((int) f[0]),
                0);
        for (int i = 0; i < 1_000; i++) {
            q.offer(0, frame(0, 1_500), 0, 1_500, 0);
        }
        assertEquals(1_000, sent.size());
        assertEquals(0, q.waiting());
    }

    @Test
    void higherPriorityGoesFirstWhenBothMaySend() {
        // queues 1 (prio 1) and 2 (prio 5), both 800 kbit/s = 100,000 bytes/s, burst 3,036 bytes: three frames of
        // 1,000 each use a bucket up; the rest wait
        TransmitQueues q = new TransmitQueues(new long[] {0, 800_000, 800_000}, new int[] {1, 1, 5}, 50,
                (f, o, l) -> sent.add((int) f[0]), 0);
        for (int i = 0; i < 6; i++) {
            q.offer(1, frame(1, 1_000), 0, 1_000, 0);
        }
        for (int i = 0; i < 6; i++) {
            q.offer(2, frame(2, 1_000), 0, 1_000, 0);
        }
        assertEquals(List.of(1, 1, 1, 2, 2, 2), sent, "each bucket's burst at once");
        sent.clear();
        // 30 ms later each bucket has 3,000 bytes more (capped at 3,036): the prio 5 queue goes first
        q.service(30_000_000);
        assertEquals(List.of(2, 2, 2, 1, 1, 1), sent);
    }

    @Test
    void aFullQueueDropsTheNewFrame() {
        TransmitQueues q = new TransmitQueues(new long[] {0, 8_000}, new int[] {1, 1}, 4, (f, o, l) -> sent.add(1),
                0);
        for (int i = 0; i < 10; i++) {
            q.offer(1, frame(1, 1_518), 0, 1_518, 0);
        }
        assertEquals(2, sent.size(), "the burst: two full frames");
        assertEquals(4, q.waiting());
        assertEquals(4, q.dropped(1));
    }
}
