package io.judo.engine;

import io.judo.engine.output.OutputException;
import io.judo.engine.worker.Threads;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.rules.SyntaxError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a {@link PacketFilter} over captures on one or more workers ({@code judo filter}). A filter looks at one packet
 * at a time, so any split is exact: worker i takes every N-th record from the i-th, each reading the capture itself.
 * Selected records reach the writer in capture order: one worker writes as it filters; several mark the records they
 * select and one pass then copies those. A link type the filter cannot be compiled for (NFLOG, as for tcpdump) has its
 * packets counted as not filtered, from then on for every capture.
 */
public final class CaptureFilter {
    /** Receives the selected records, in capture order, on the calling thread. */
    @FunctionalInterface
    public interface Writer {
        void write(PacketRecord record);
    }

    /** What filtering one capture found. */
    public static final class Outcome {
        private long matched;
        private long total;
        private long skipped;
        private String skippedWhy;
        private ReadStatus end;
        private String problem;
        private IOException failure;

        /** Packets the filter selected. */
        public long matched() {
            return matched;
        }

        /** Packets the filter ran on. */
        public long total() {
            return total;
        }

        /** Packets of a link type the filter cannot be compiled for, not filtered. */
        public long skipped() {
            return skipped;
        }

        /** The compiler's reason for the first link type it refused, or null. */
        public String skippedWhy() {
            return skippedWhy;
        }

        /** How the capture ended (end, truncated, corrupt), when it could be read. */
        public ReadStatus end() {
            return end;
        }

        /** The reader's problem at a truncated or corrupt end. */
        public String problem() {
            return problem;
        }

        /** Why the capture could not be read at all (not a capture, no such file), or null. */
        public IOException failure() {
            return failure;
        }
    }

    private final List<PacketFilter> filters = new ArrayList<>();
    private final List<BitSet> unfilterable = new ArrayList<>();

    /**
     * @param workers threads that share each capture, at least 1
     * @param filters makes a worker's filter (a filter holds per-thread state; filter programs are small to compile)
     */
    public CaptureFilter(int workers, Supplier<PacketFilter> filters) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers: " + workers);
        }
        for (int w = 0; w < workers; w++) {
            this.filters.add(filters.get());
            unfilterable.add(new BitSet());
        }
    }

    /**
     * Filters one capture, handing the selected records to {@code writer} (null: only count). Never throws for the
     * capture's content: the outcome says how it ended; the writer's own exceptions pass through.
     */
    public Outcome run(Path capture, Writer writer) {
        int workers = filters.size();
        if (workers == 1) {
            return pass(capture, 0, writer == null ? null : (record, ordinal) -> writer.write(record));
        }
        BitSet[] selected = new BitSet[workers];
        Outcome[] outcomes = new Outcome[workers];
        List<Integer> others = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            selected[w] = new BitSet();
            if (w > 0) {
                others.add(w);
            }
        }
        java.util.function.IntFunction<Selected> marks = w -> writer == null ? null
                : (r, ordinal) -> selected[w].set(slot(ordinal, workers));
        Threads<RuntimeException> threads = new Threads<>(others, "judo-filter-worker",
                w -> outcomes[w] = pass(capture, w, marks.apply(w)));
        try {
            outcomes[0] = pass(capture, 0, marks.apply(0));
        } finally {
            threads.join(); // a failure here (an OutputException) must not leave the others reading
        }
        Outcome sum = outcomes[0]; // every worker read the same records: the first one's end stands for all
        for (int w = 1; w < workers; w++) {
            sum.matched += outcomes[w].matched;
            sum.total += outcomes[w].total;
            sum.skipped += outcomes[w].skipped;
            sum.skippedWhy = sum.skippedWhy != null ? sum.skippedWhy : outcomes[w].skippedWhy;
        }
        if (writer != null && sum.failure == null) {
            copy(capture, selected, writer);
        }
        return sum;
    }

    /** Why the JIT was not used for some program (it then runs interpreted), or null. */
    public String jitFallback() {
        for (PacketFilter f : filters) {
            if (f.jitFallback() != null) {
                return f.jitFallback();
            }
        }
        return null;
    }

    /** Told of each record a worker selects, with its ordinal in the capture. */
    @FunctionalInterface
    private interface Selected {
        void record(PacketRecord record, long ordinal);
    }

    /**
     * Where record {@code ordinal} is kept in its worker's selection: worker {@code ordinal % workers} sees every
     * {@code workers}-th record, so the slot is the quotient, and a bit set holds 2^31 - 1 of them per worker.
     */
    static int slot(long ordinal, int workers) {
        long slot = ordinal / workers;
        if (slot >= Integer.MAX_VALUE) { // BitSet's last index is 2^31 - 2
            throw new OutputException("a capture of " + (long) Integer.MAX_VALUE * workers
                    + " packets or more cannot be written by " + workers + " workers; use --workers 1");
        }
        return (int) slot;
    }

    /** Worker {@code worker}'s share of {@code capture}: the records whose ordinal is it modulo the workers. */
    private Outcome pass(Path capture, int worker, Selected selected) {
        int workers = filters.size();
        PacketFilter filter = filters.get(worker);
        BitSet refused = unfilterable.get(worker);
        Outcome o = new Outcome();
        PacketRecord record = new PacketRecord();
        try (CaptureReader reader = Captures.open(capture)) {
            ReadStatus s;
            long ordinal = -1;
            while ((s = reader.next(record)) == ReadStatus.RECORD) {
                if (++ordinal % workers != worker) {
                    continue;
                }
                if (refused.get(record.linkType())) {
                    o.skipped++;
                    continue;
                }
                boolean match;
                try {
                    match = filter.matches(record);
                } catch (SyntaxError e) {
                    // the front end refused this link type (the expression itself compiled for Ethernet up front)
                    refused.set(record.linkType());
                    o.skipped++;
                    o.skippedWhy = e.getMessage();
                    continue;
                }
                o.total++;
                if (match) {
                    o.matched++;
                    if (selected != null) {
                        selected.record(record, ordinal);
                    }
                }
            }
            o.end = s;
            o.problem = reader.problem();
        } catch (IOException e) { // not a capture, no such file, unreadable
            o.failure = e;
        }
        return o;
    }

    /**
     * Hands the records of {@code capture} that some worker selected to the writer, in capture order, reading no
     * further than the last of them.
     */
    private static void copy(Path capture, BitSet[] selected, Writer writer) {
        int workers = selected.length;
        long last = -1;
        for (int w = 0; w < workers; w++) {
            int hi = selected[w].previousSetBit(Integer.MAX_VALUE - 1); // slots stop below 2^31 - 1 (slot())
            if (hi >= 0) {
                last = Math.max(last, (long) hi * workers + w);
            }
        }
        PacketRecord record = new PacketRecord();
        try (CaptureReader reader = Captures.open(capture)) {
            for (long ordinal = 0; ordinal <= last && reader.next(record) == ReadStatus.RECORD; ordinal++) {
                if (selected[(int) (ordinal % workers)].get((int) (ordinal / workers))) {
                    writer.write(record);
                }
            }
        } catch (IOException e) {
            // the workers read it a moment ago: gone or changed since
            throw new java.io.UncheckedIOException(capture + ": could not be read again to write its packets", e);
        }
    }
}
