package io.judo.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per pipeline thread, all into one journal directory at once: every record of every thread reads back
 * whole, each thread's in its own order.
 */
class JournalThreadsTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 20_000;

    @TempDir
    Path dir;

    @Test
    void writersOnSeveralThreadsInterleaveWholeRecords() throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                try (JournalWriter w = JournalWriter.open(dir, JournalWriter.Roll.DAILY,
                        JournalWriter.Retention.KEEP_ALL)) {
                    JournalEvent e = new JournalEvent();
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        e.clear();
                        e.flowId = thread;
                        e.sid = i;
                        e.excerpt(new byte[] {(byte) thread, (byte) i, (byte) (i >> 8)}, 0, 3);
                        w.append(e);
                    }
                } catch (Throwable x) {
                    failures.add(x);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        long[] next = new long[THREADS];
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            while (r.next(e)) {
                int thread = (int) e.flowId;
                assertEquals(next[thread]++, e.sid, "thread " + thread + "'s records in its order");
                assertEquals(3, e.excerptLength);
                assertEquals(thread, e.excerpt[0]);
                assertEquals((byte) e.sid, e.excerpt[1]);
            }
            assertEquals(0, r.unreadable());
        }
        for (int t = 0; t < THREADS; t++) {
            assertEquals(PER_THREAD, next[t], "every record of thread " + t);
        }
    }
}
