package io.judo.engine;

import io.judo.engine.worker.Threads;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code judo scan}'s reading with N workers: one {@link CaptureScanner} that reports the run, and, when each worker
 * reads the captures itself, one sibling scanner per further worker, on threads of their own, whose counts are
 * added to the first one's at the end. Which of the two ways a {@link Pipeline}'s workers run is decided here
 * ({@link #workers}); engine/DESIGN.md, "Workers", says why.
 */
public final class CaptureScan {
    /** Reads the run's inputs with one scanner (the first, or a sibling shard). */
    @FunctionalInterface
    public interface Reading {
        /**
         * Reads every input with {@code scanner}, checking {@link CaptureScanner#stopped} between them.
         *
         * @param first whether this is the first scanner, the one that reports progress
         */
        void read(CaptureScanner scanner, boolean first);
    }

    private final CaptureScanner scanner;
    /** Sibling scanners, one per further worker, when each worker reads the captures itself. */
    private final List<CaptureScanner> shards = new CopyOnWriteArrayList<>();
    private final ChecksumMode checksums;
    /** {@link #stop} was called: siblings made after it start stopped. */
    private volatile boolean stopped;

    /** A scan whose scanners decide checksums by {@code checksums}. */
    public CaptureScan(ChecksumMode checksums) {
        this.checksums = checksums;
        this.scanner = new CaptureScanner(checksums);
    }

    /**
     * Runs {@code pipeline}'s partitions on {@code n} workers. With files that can be read again and no packet
     * output, each worker reads them itself and takes its own flows (sharded readers: no hand-over, no reader
     * thread); standard input, read once, and a written capture, whose packets leave in input order, go through one
     * reader and the pipeline's rings instead. Without a call, the scan only counts.
     *
     * @param rereadable whether every input can be opened again (no standard input)
     * @return how many workers run
     */
    public int workers(Pipeline pipeline, int n, boolean rereadable) {
        if (n > 1 && rereadable && !pipeline.writes()) {
            List<CaptureScanner.PacketListener> lanes = pipeline.shards(n);
            scanner.shard(0, n).listener(lanes.get(0));
            for (int i = 1; i < n; i++) {
                CaptureScanner sibling = new CaptureScanner(checksums).shard(i, n).listener(lanes.get(i));
                shards.add(sibling);
                // after the add: a stop either sees the sibling in the list or set the flag before looking
                if (stopped) {
                    sibling.stop(); // a stop request came while the rules were loading
                }
            }
            return n;
        }
        scanner.listener(pipeline);
        return pipeline.workers(n);
    }

    /**
     * Reads with every scanner, each sibling on a thread of its own and the first on this one, and adds the siblings'
     * counts to the first's once all ended; a sibling's failure (a bug: bad input is an outcome) stops the others and
     * is rethrown then.
     */
    public void run(Reading reading) {
        Threads<RuntimeException> threads = new Threads<>(shards, "judo-worker", 1, s -> reading.read(s, false),
                this::stop);
        try {
            reading.read(scanner, true);
        } finally {
            threads.join();
        }
        shards.forEach(scanner::absorb);
    }

    /** Stops every scanner after the packet in hand (from a signal handler's thread). */
    public void stop() {
        stopped = true;
        scanner.stop();
        shards.forEach(CaptureScanner::stop);
    }

    /** The scanner that reports the run: its outcomes, counts and checksum decisions (siblings' added by run). */
    public CaptureScanner scanner() {
        return scanner;
    }
}
