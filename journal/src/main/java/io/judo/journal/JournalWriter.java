package io.judo.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Appends records to a journal directory. One per pipeline thread (Chronicle appenders are per thread). A record is
 * complete once {@link #append} returns: a process killed later loses nothing appended, and one killed during an
 * append leaves an incomplete document that readers skip. Rolls daily or hourly; retention deletes whole cycle files
 * older than an age or beyond a total size (never the current one).
 */
public final class JournalWriter implements AutoCloseable {
    /** How often the queue starts a new file. */
    public enum Roll { DAILY, HOURLY }

    /**
     * What to keep.
     *
     * @param maxAgeMillis delete cycle files last written longer ago than this; 0 keeps them
     * @param maxBytes delete the oldest cycle files while the journal is larger; 0 for no limit
     */
    public record Retention(long maxAgeMillis, long maxBytes) {
        public static final Retention KEEP_ALL = new Retention(0, 0);
    }

    private static final int RETENTION_EVERY = 1 << 16;

    private final Path dir;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Retention retention;
    private final LongSet rulesWritten = new LongSet();
    private final JournalEvent ruleRecord = new JournalEvent();
    private final java.nio.ByteBuffer scratch = RecordCodec.scratch();
    private long written;

    /** Whether {@link #close} closes the queue (the writer that opened it) or only this writer's appender. */
    private final boolean ownsQueue;

    private JournalWriter(Path dir, ChronicleQueue queue, Retention retention, boolean ownsQueue) {
        this.dir = dir;
        this.queue = queue;
        this.appender = queue.createAppender();
        this.retention = retention;
        this.ownsQueue = ownsQueue;
    }

    /**
     * A writer for another thread on the same journal: its own appender (Chronicle appenders are per thread) over this
     * writer's queue. It names each rule once itself, so every record it appends follows its rule's RULE record in the
     * journal's order (a rule several workers alert on is named once per worker). Close siblings before this writer.
     */
    public JournalWriter sibling() {
        return new JournalWriter(dir, queue, Retention.KEEP_ALL, false);
    }

    /**
     * Opens (creating it when absent) the journal in {@code dir}; new records go after the last complete one.
     *
     * @throws IOException when the directory cannot be created or is not a journal
     */
    public static JournalWriter open(Path dir, Roll roll, Retention retention) throws IOException {
        return open(dir, roll, retention, null);
    }

    /** As {@link #open(Path, Roll, Retention)} with a clock for the roll cycles (tests); null for the system's. */
    static JournalWriter open(Path dir, Roll roll, Retention retention, TimeProvider clock) throws IOException {
        Files.createDirectories(dir);
        try {
            SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.binary(dir)
                    .rollCycle(roll == Roll.HOURLY ? RollCycles.FAST_HOURLY : RollCycles.FAST_DAILY);
            if (clock != null) {
                b.timeProvider(clock);
            }
            ChronicleQueue q = b.build();
            JournalWriter w = new JournalWriter(dir, q, retention, true);
            w.enforceRetention();
            return w;
        } catch (RuntimeException e) {
            throw new IOException(dir + " cannot be opened as a journal: " + e.getMessage(), e);
        }
    }

    /** Appends one record. */
    public void append(JournalEvent e) {
        try (DocumentContext dc = appender.writingDocument()) {
            RecordCodec.write(dc.wire().bytes(), e, scratch);
        }
        if ((++written & (RETENTION_EVERY - 1)) == 0) {
            enforceRetention();
        }
    }

    /**
     * Appends a RULE record for {@code gid:sid} the first time this writer sees the rule, so readers can name rules
     * without the rule files.
     */
    public void rule(int gid, long sid, int rev, String message) {
        rule(gid, sid, rev, message, "", 0);
    }

    /**
     * As {@link #rule(int, long, int, String)}, with the rule's category (its classtype's description, or empty) and
     * severity (its priority, or 0), so a reader can write the alert as EVE does without the rule files.
     */
    public void rule(int gid, long sid, int rev, String message, String category, int severity) {
        if (rulesWritten.add((long) gid << 40 ^ sid)) {
            ruleRecord.clear();
            ruleRecord.type = EventType.RULE;
            ruleRecord.gid = gid;
            ruleRecord.sid = sid;
            ruleRecord.rev = rev;
            ruleRecord.text(message);
            ruleRecord.category(category);
            ruleRecord.severity = severity;
            append(ruleRecord);
        }
    }

    /** Records appended by this writer. */
    public long written() {
        return written;
    }

    /** Deletes cycle files beyond the retention limits, oldest first, never the one being written. */
    void enforceRetention() {
        if (retention.maxAgeMillis() <= 0 && retention.maxBytes() <= 0) {
            return;
        }
        List<Path> cycles;
        try (Stream<Path> s = Files.list(dir)) {
            cycles = s.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long total = 0;
        for (Path p : cycles) {
            total += size(p);
        }
        long now = System.currentTimeMillis();
        for (int i = 0; i < cycles.size() - 1; i++) {
            Path p = cycles.get(i);
            boolean old = retention.maxAgeMillis() > 0 && now - modified(p) > retention.maxAgeMillis();
            boolean big = retention.maxBytes() > 0 && total > retention.maxBytes();
            if (!old && !big) {
                break;
            }
            long size = size(p);
            try {
                Files.deleteIfExists(p);
                total -= size;
            } catch (IOException e) {
                break; // still in use elsewhere: try again later
            }
        }
        if (queue instanceof net.openhft.chronicle.queue.impl.single.SingleChronicleQueue q) {
            q.refreshDirectoryListing();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public void close() {
        appender.close();
        if (ownsQueue) {
            queue.close();
        }
    }
}
