package io.judo.packet.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PcapReaderTest {
    static final byte[] A = {1, 2, 3, 4, 5};
    static final byte[] B = new byte[300];
    static final byte[] C = {9};

    static byte[] threeRecords(ByteOrder order, int magic) {
        return new Blocks(order).pcapHeader(magic, 65535, 1)
                .pcapRecord(1_700_000_000L, 123_456, A, 60)
                .pcapRecord(1_700_000_001L, 999_999, B, 300)
                .pcapRecord(1_700_000_002L, 0, C, 1).bytes();
    }

    static List<byte[]> readAll(CaptureReader r, ReadStatus expectedEnd) throws IOException {
        List<byte[]> out = new ArrayList<>();
        PacketRecord rec = new PacketRecord();
        ReadStatus s;
        while ((s = r.next(rec)) == ReadStatus.RECORD) {
            out.add(rec.toBytes());
        }
        assertEquals(expectedEnd, s);
        assertEquals(expectedEnd, r.next(rec), "the ending is sticky");
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG_ENDIAN", "LITTLE_ENDIAN"})
    void readsBothByteOrdersWithMicroseconds(String orderName) throws IOException {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        try (CaptureReader r = Captures.open(threeRecords(order, 0xa1b2c3d4))) {
            assertEquals("pcap", r.format());
            PacketRecord rec = new PacketRecord();
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertArrayEquals(A, rec.toBytes());
            assertEquals(60, rec.originalLength());
            assertEquals(1_700_000_000_123_456_000L, rec.timestampNanos());
            assertEquals(1, rec.linkType());
            assertEquals(1, rec.number());
            assertEquals(24, rec.fileOffset());
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertEquals(1_700_000_001_999_999_000L, rec.timestampNanos());
            assertEquals(300, rec.capturedLength());
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertEquals(3, rec.number());
            assertEquals(ReadStatus.END, r.next(rec));
        }
    }

    @Test
    void readsNanosecondTimestamps() throws IOException {
        try (CaptureReader r = Captures.open(threeRecords(ByteOrder.LITTLE_ENDIAN, 0xa1b23c4d))) {
            PacketRecord rec = new PacketRecord();
            r.next(rec);
            assertEquals(1_700_000_000_000_123_456L, rec.timestampNanos());
        }
    }

    /** A file cut at any byte delivers every complete record, then TRUNCATED at the cut record's offset. */
    @Test
    void truncationAtEveryByteBoundary() throws IOException {
        byte[] full = threeRecords(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4);
        int[] recordStarts = {24, 24 + 16 + A.length, 24 + 16 + A.length + 16 + B.length, full.length};
        for (int cut = 24; cut <= full.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(full, cut);
            int complete = 0;
            while (complete < 3 && recordStarts[complete + 1] <= cut) {
                complete++;
            }
            boolean clean = cut == recordStarts[complete];
            try (CaptureReader r = Captures.open(part)) {
                List<byte[]> got = readAll(r, clean ? ReadStatus.END : ReadStatus.TRUNCATED);
                assertEquals(complete, got.size(), "cut at " + cut);
                if (!clean) {
                    assertEquals(recordStarts[complete], r.problemOffset(), "cut at " + cut);
                    assertTrue(r.problem().contains("truncated"), r.problem());
                    assertTrue(r.problem().contains("offset " + recordStarts[complete]), r.problem());
                }
            }
        }
    }

    @Test
    void fileHeaderCutShortIsNotACapture() {
        byte[] full = threeRecords(ByteOrder.BIG_ENDIAN, 0xa1b2c3d4);
        for (int cut = 0; cut < 24; cut++) {
            byte[] part = java.util.Arrays.copyOf(full, cut);
            assertThrows(CaptureFormatException.class, () -> Captures.open(part), "cut at " + cut);
        }
    }

    @Test
    void impossibleRecordLengthIsCorrupt() throws IOException {
        byte[] bytes = new Blocks(ByteOrder.LITTLE_ENDIAN).pcapHeader(0xa1b2c3d4, 65535, 1)
                .pcapRecord(1, 0, A, 5).raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, 0x7f, 0, 0, 0, 0}).bytes();
        try (CaptureReader r = Captures.open(bytes)) {
            assertEquals(1, readAll(r, ReadStatus.CORRUPT).size());
            assertEquals(24 + 16 + A.length, r.problemOffset());
            assertTrue(r.problem().contains("corrupt"), r.problem());
        }
    }

    @Test
    void notACaptureIsRejectedWithTheMagic() {
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> Captures.open("hello, this is text\n".getBytes()));
        assertTrue(e.getMessage().contains("not a pcap or pcapng capture"), e.getMessage());
        CaptureFormatException empty = assertThrows(CaptureFormatException.class, () -> Captures.open(new byte[0]));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    /** A tiny window forces compaction on every record and growth for records larger than it. */
    @Test
    void streamsThroughASmallBufferAndGrowsForLargeRecords() throws IOException {
        Blocks blocks = new Blocks(ByteOrder.LITTLE_ENDIAN).pcapHeader(0xa1b2c3d4, 0, 1);
        List<byte[]> expected = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] data = new byte[random.nextInt(i % 17 == 0 ? 5000 : 90)];
            random.nextBytes(data);
            expected.add(data);
            blocks.pcapRecord(i, 0, data, data.length);
        }
        byte[] bytes = blocks.bytes();
        CaptureInput input = new CaptureInput(Channels.newChannel(new ByteArrayInputStream(bytes)), 64);
        try (CaptureReader r = new PcapReader(input)) {
            List<byte[]> got = readAll(r, ReadStatus.END);
            assertEquals(expected.size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(expected.get(i), got.get(i), "record " + i);
            }
            assertEquals(bytes.length, r.position());
        }
    }
}
