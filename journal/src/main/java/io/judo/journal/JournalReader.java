package io.judo.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads a journal from its first record (or waits for new ones, for {@code tail --follow}). Records this version
 * cannot read are counted and skipped.
 */
public final class JournalReader implements AutoCloseable {
    private final ChronicleQueue queue;
    private final ExcerptTailer tailer;
    private long unreadable;

    private JournalReader(SingleChronicleQueue queue) {
        this.queue = queue;
        // Retention deletes whole cycle files; the queue's cached first/last cycle must not point at a deleted one.
        queue.refreshDirectoryListing();
        this.tailer = queue.createTailer();
    }

    /**
     * Opens the journal in {@code dir} for reading.
     *
     * @throws IOException when {@code dir} does not exist or holds no journal
     */
    public static JournalReader open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such journal directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.noneMatch(p -> p.toString().endsWith(".cq4"))) {
                throw new IOException(dir + ": not a journal (no .cq4 files)");
            }
        }
        try {
            return new JournalReader(SingleChronicleQueueBuilder.binary(dir).readOnly(true).build());
        } catch (RuntimeException e) {
            throw new IOException(dir + " cannot be read as a journal: " + e.getMessage(), e);
        }
    }

    /** Moves to the end: {@link #next} then returns only records appended from now on. */
    public JournalReader fromEnd() {
        tailer.toEnd();
        return this;
    }

    /**
     * Reads the next record into {@code e}.
     *
     * @return false when there is no complete record (yet)
     */
    public boolean next(JournalEvent e) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return false;
                }
                if (RecordCodec.read(dc.wire().bytes(), e)) {
                    return true;
                }
                unreadable++;
            }
        }
    }

    /** Records skipped because this version could not read them. */
    public long unreadable() {
        return unreadable;
    }

    @Override
    public void close() {
        tailer.close();
        queue.close();
    }
}
