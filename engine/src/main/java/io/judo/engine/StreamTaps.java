package io.judo.engine;

import io.judo.engine.worker.Threads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * {@link StreamTap}s on several workers: each reads the same captures on a thread of its own and reassembles the
 * flows of its shard ({@link StreamTap#shard}), so each stream is reassembled whole by one worker and its sink sees
 * it in the order one tap would; streams of different workers interleave. One worker runs on the calling thread.
 * The counters are summed over the workers.
 */
public final class StreamTaps {
    /** What a worker does with its tap: read the captures through it. */
    @FunctionalInterface
    public interface Reading {
        void read(StreamTap tap, int worker) throws IOException;
    }

    private final List<StreamTap> taps = new ArrayList<>();

    /**
     * @param workers how many taps, at least 1
     * @param tapFor the tap of worker {@code i} (its own sink: sinks are not shared between threads)
     */
    public StreamTaps(int workers, IntFunction<StreamTap> tapFor) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers: " + workers);
        }
        for (int i = 0; i < workers; i++) {
            taps.add(tapFor.apply(i).shard(i, workers));
        }
    }

    /**
     * Runs {@code reading} on every tap, then ends each tap's flows ({@link StreamTap#finish}) on its own thread, and
     * returns when every worker is done; the first failure of any worker is thrown after all have stopped.
     */
    public void run(Reading reading) throws IOException {
        List<Integer> others = new ArrayList<>();
        for (int i = 1; i < taps.size(); i++) {
            others.add(i);
        }
        Threads<IOException> threads = new Threads<>(others, "judo-stream-worker", i -> {
            reading.read(taps.get(i), i);
            taps.get(i).finish();
        });
        try {
            reading.read(taps.get(0), 0);
            taps.get(0).finish();
        } finally {
            threads.join();
        }
    }

    /** The workers' taps, worker 0 first. */
    public List<StreamTap> taps() {
        return taps;
    }

    /** A reassembly count ({@link io.judo.reassembly.StreamCount}) summed over every worker. */
    public long count(io.judo.reassembly.StreamCount c) {
        long n = 0;
        for (StreamTap t : taps) {
            n += t.reassembler().count(c);
        }
        return n;
    }

    /** The defragmenters' counters ({@link io.judo.reassembly.Defragmenter#counters()}), summed by name. */
    public Map<String, Long> fragmentCounters() {
        Map<String, Long> sum = new LinkedHashMap<>();
        for (StreamTap t : taps) {
            t.defragmenter().counters().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }
}
