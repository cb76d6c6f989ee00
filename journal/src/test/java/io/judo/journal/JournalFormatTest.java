package io.judo.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versioning, unknown records, retention and bad directories, with records written by hand. */
class JournalFormatTest {
    @TempDir
    Path dir;

    private void raw(java.util.function.Consumer<Bytes<?>> body) {
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_DAILY).build();
             ExcerptAppender a = q.createAppender();
             DocumentContext dc = a.writingDocument()) {
            body.accept(dc.wire().bytes());
        }
    }

    @Test
    void aVersion1RecordWithMoreFixedFieldsReadsItsKnownOnes() throws IOException {
        raw(b -> {
            b.writeByte((byte) 1);
            b.writeByte((byte) EventType.ALERT.code());
            b.writeShort((short) (JournalEvent.FIXED_V1 + 8)); // one more fixed field
            b.writeLong(123L);
            b.writeLong(7L);
            for (int i = 0; i < JournalEvent.FIXED_V1 - 16; i++) {
                b.writeByte((byte) 0);
            }
            b.writeLong(-1L); // the new fixed field
            for (int f = 0; f < 4; f++) {
                b.writeShort((short) 1);
                b.writeByte((byte) ('a' + f));
            }
            b.writeShort((short) 3); // a new trailing field
            b.write(new byte[] {9, 9, 9});
        });
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            assertTrue(r.next(e));
            assertEquals(123L, e.timeNanos);
            assertEquals(7L, e.flowId);
            assertEquals("d", e.text());
            assertEquals(1, e.excerptLength);
            assertFalse(r.next(e));
        }
    }

    /** An IPv4 alert, encoded by hand from the layout RecordCodec documents (little-endian, as on x86). */
    private static final byte[] ALERT_V2 = {
        2, 1, // version, type alert
        1, 0, 0, 0, 0, 0, 0, 0, // time 1 ns
        0x3b, // mask: flow, packet, gid, sid, rev
        10, // flow 5, zig-zag
        4, 6, 1, 4, 10, 0, 0, 1, 10, 0, 0, 2, (byte) 0xd2, 0x04, 80, 0, // family proto dir length, addresses, ports
        2, // gid 1
        (byte) 0xa2, 0x1f, // sid 2001 (zig-zag 4002)
        6, // rev 3
    };

    private static JournalEvent handAlert() {
        JournalEvent e = new JournalEvent();
        e.type = EventType.ALERT;
        e.timeNanos = 1;
        e.flowId = 5;
        e.addresses(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
        e.protocol = 6;
        e.direction = 1;
        e.srcPort = 1234;
        e.dstPort = 80;
        e.gid = 1;
        e.sid = 2001;
        e.rev = 3;
        return e;
    }

    @Test
    void version2IsTheHandEncodedLayout() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.ByteOrder.nativeOrder()
                == java.nio.ByteOrder.LITTLE_ENDIAN, "the vector is little-endian");
        Bytes<?> b = Bytes.allocateElasticOnHeap(256);
        RecordCodec.write(b, handAlert(), RecordCodec.scratch());
        assertEquals(java.util.HexFormat.of().formatHex(ALERT_V2), java.util.HexFormat.of().formatHex(b.toByteArray()));
        raw(q -> q.write(ALERT_V2));
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            assertTrue(r.next(e));
            assertTrue(handAlert().sameAs(e));
        }
    }

    @Test
    void aNewerCompactRecordReadsItsKnownFields() throws IOException {
        raw(b -> {
            b.write(ALERT_V2, 0, 10);
            b.write(new byte[] {(byte) 0xbb, (byte) 0x80, 0x08}); // mask 0x2003b: bit 17, a field this version lacks,

            b.write(ALERT_V2, 11, ALERT_V2.length - 11);
            b.write(new byte[] {3, 7, 7, 7}); // which follows the known ones
        });
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            assertTrue(r.next(e));
            assertTrue(handAlert().sameAs(e));
            assertEquals(0, r.unreadable());
        }
    }

    @Test
    void truncatedCompactRecordsAreCountedNotMisread() throws IOException {
        JournalEvent full = handAlert().text("a message");
        Bytes<?> b = Bytes.allocateElasticOnHeap(256);
        RecordCodec.write(b, full, RecordCodec.scratch());
        byte[] record = b.toByteArray();
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_DAILY).build();
             ExcerptAppender a = q.createAppender()) {
            for (int cut = 0; cut < record.length; cut++) {
                try (DocumentContext dc = a.writingDocument()) {
                    dc.wire().bytes().write(record, 0, cut);
                }
            }
        }
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            assertFalse(r.next(e), "no prefix of a record reads as one");
            assertEquals(record.length, r.unreadable());
        }
    }

    @Test
    void journalsOfBothVersionsReadFieldForField() throws IOException {
        java.util.Random random = new java.util.Random(11);
        java.util.List<JournalEvent> written = new java.util.ArrayList<>();
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_DAILY).build();
             ExcerptAppender a = q.createAppender()) {
            for (int i = 0; i < 300; i++) {
                JournalEvent e = JournalRoundTripProperties.random(random);
                if (i % 2 == 0) { // version 1 had no category, severity or http object
                    e.categoryLength = 0;
                    e.severity = 0;
                    e.httpLength = 0;
                }
                try (DocumentContext dc = a.writingDocument()) {
                    if (i % 2 == 0) {
                        Version1Records.write(dc.wire().bytes(), e);
                    } else {
                        RecordCodec.write(dc.wire().bytes(), e, RecordCodec.scratch());
                    }
                }
                written.add(e);
            }
        }
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            for (JournalEvent expected : written) {
                assertTrue(r.next(e));
                assertTrue(expected.sameAs(e));
            }
            assertFalse(r.next(e));
        }
    }

    @Test
    void anOlderShorterRecordReadsWithDefaults() throws IOException {
        raw(b -> {
            b.writeByte((byte) 0);
            b.writeByte((byte) EventType.DROP.code());
            b.writeShort((short) 0); // no fixed fields at all
        });
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            assertTrue(r.next(e));
            assertEquals(EventType.DROP, e.type);
            assertEquals(-1, e.streamOffset);
            assertEquals(0, e.textLength);
        }
    }

    @Test
    void unknownTypesAreSkippedAndCounted() throws IOException {
        raw(b -> {
            b.writeByte((byte) 1);
            b.writeByte((byte) 99);
            b.writeShort((short) 0);
        });
        try (JournalWriter w = JournalWriter.open(dir, JournalWriter.Roll.DAILY, JournalWriter.Retention.KEEP_ALL)) {
            JournalEvent e = new JournalEvent();
            e.type = EventType.ANOMALY;
            e.text("gap");
            w.append(e);
        }
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            assertTrue(r.next(e));
            assertEquals("gap", e.text());
            assertEquals(1, r.unreadable());
        }
    }

    @Test
    void rulesAreWrittenOncePerWriter() throws IOException {
        try (JournalWriter w = JournalWriter.open(dir, JournalWriter.Roll.HOURLY, JournalWriter.Retention.KEEP_ALL)) {
            w.rule(1, 2001, 3, "ET TEST");
            w.rule(1, 2001, 3, "ET TEST");
            w.rule(3, 2001, 1, "other gid");
            assertEquals(2, w.written());
        }
    }

    @Test
    void retentionDeletesOldCycleFilesButNeverTheCurrentOne() throws IOException {
        SetTimeProvider clock = new SetTimeProvider(java.time.Instant.parse("2026-01-01T12:00:00Z").toEpochMilli()
                * 1_000_000L);
        try (JournalWriter w = JournalWriter.open(dir, JournalWriter.Roll.DAILY, JournalWriter.Retention.KEEP_ALL,
                clock)) {
            for (int day = 0; day < 3; day++) {
                w.append(new JournalEvent());
                clock.advanceMillis(86_400_000L);
            }
        }
        java.util.List<Path> cycles = cycles();
        assertEquals(3, cycles.size(), cycles.toString());
        assertEquals(3, count(), "every cycle readable");
        Files.setLastModifiedTime(cycles.get(0), FileTime.fromMillis(0));
        JournalWriter.open(dir, JournalWriter.Roll.DAILY, new JournalWriter.Retention(86_400_000L, 0), clock).close();
        assertEquals(cycles.subList(1, 3), cycles(), "the file older than a day goes");
        JournalWriter.open(dir, JournalWriter.Roll.DAILY, new JournalWriter.Retention(0, 1), clock).close();
        assertEquals(cycles.subList(2, 3), cycles(), "over the size limit, all but the newest go");
        assertEquals(1, count(), "the newest cycle's record is kept");
    }

    private int count() throws IOException {
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            int n = 0;
            while (r.next(e)) {
                n++;
            }
            return n;
        }
    }

    private java.util.List<Path> cycles() throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    @Test
    void missingOrForeignDirectoriesAreClearErrors() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> JournalReader.open(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("no such journal directory"), missing.getMessage());
        Files.writeString(dir.resolve("notes.txt"), "hello");
        IOException foreign = assertThrows(IOException.class, () -> JournalReader.open(dir));
        assertTrue(foreign.getMessage().contains("not a journal"), foreign.getMessage());
    }
}
