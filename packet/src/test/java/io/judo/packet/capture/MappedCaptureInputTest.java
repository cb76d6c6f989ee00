package io.judo.packet.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regular files are read through chunked mappings; these tests make the chunks tiny so records cross their ends. */
class MappedCaptureInputTest {
    @TempDir
    Path dir;

    private static List<byte[]> packets(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] data = new byte[random.nextInt(i % 13 == 0 ? 3000 : 120)];
            random.nextBytes(data);
            out.add(data);
        }
        return out;
    }

    private Path write(byte[] bytes) throws IOException {
        Path file = dir.resolve("capture");
        Files.write(file, bytes);
        return file;
    }

    private static CaptureInput mapped(Path file, int chunk) throws IOException {
        return new CaptureInput(FileChannel.open(file, StandardOpenOption.READ), chunk);
    }

    @Test
    void pcapRecordsCrossingChunkEndsArriveWhole() throws IOException {
        List<byte[]> expected = packets(300, 11);
        Blocks blocks = new Blocks(ByteOrder.LITTLE_ENDIAN).pcapHeader(0xa1b2c3d4, 0, 1);
        for (int i = 0; i < expected.size(); i++) {
            blocks.pcapRecord(i, 0, expected.get(i), expected.get(i).length);
        }
        byte[] bytes = blocks.bytes();
        Path file = write(bytes);
        for (int chunk : new int[] {64, 100, 4096}) {
            try (CaptureReader r = new PcapReader(mapped(file, chunk))) {
                List<byte[]> got = PcapReaderTest.readAll(r, ReadStatus.END);
                assertEquals(expected.size(), got.size(), "chunk " + chunk);
                for (int i = 0; i < got.size(); i++) {
                    assertArrayEquals(expected.get(i), got.get(i), "chunk " + chunk + ", record " + i);
                }
                assertEquals(bytes.length, r.position());
            }
        }
    }

    @Test
    void aFileCutInsideARecordIsTruncatedAtThatRecord() throws IOException {
        List<byte[]> expected = packets(40, 5);
        Blocks blocks = new Blocks(ByteOrder.BIG_ENDIAN).pcapHeader(0xa1b2c3d4, 65535, 1);
        long lastOffset = 0;
        for (int i = 0; i < expected.size(); i++) {
            lastOffset = blocks.bytes().length;
            blocks.pcapRecord(i, 0, expected.get(i), expected.get(i).length);
        }
        byte[] whole = blocks.bytes();
        Path file = write(Arrays.copyOf(whole, whole.length - 1));
        try (CaptureReader r = new PcapReader(mapped(file, 256))) {
            assertEquals(expected.size() - 1, PcapReaderTest.readAll(r, ReadStatus.TRUNCATED).size());
            assertEquals(lastOffset, r.problemOffset());
        }
    }

    @Test
    void pcapngThroughSmallChunksMatchesTheStream() throws IOException {
        List<byte[]> expected = packets(120, 3);
        Blocks blocks = new Blocks(ByteOrder.LITTLE_ENDIAN).shb().idb(1, 0, 9, 0);
        for (int i = 0; i < expected.size(); i++) {
            blocks.epb(0, i, expected.get(i), expected.get(i).length);
        }
        byte[] bytes = blocks.bytes();
        Path file = write(bytes);
        List<byte[]> streamed;
        try (CaptureReader r = Captures.open(bytes)) {
            streamed = PcapReaderTest.readAll(r, ReadStatus.END);
        }
        try (CaptureReader r = new PcapngReader(mapped(file, 128))) {
            List<byte[]> got = PcapReaderTest.readAll(r, ReadStatus.END);
            assertEquals(streamed.size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(streamed.get(i), got.get(i), "record " + i);
            }
        }
    }

    @Test
    void openingAPathMapsItAndRejectsAnEmptyFile() throws IOException {
        Path empty = write(new byte[0]);
        CaptureFormatException e = org.junit.jupiter.api.Assertions.assertThrows(CaptureFormatException.class,
                () -> Captures.open(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        byte[] three = PcapReaderTest.threeRecords(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4);
        try (CaptureReader r = Captures.open(write(three))) {
            List<byte[]> got = PcapReaderTest.readAll(r, ReadStatus.END);
            assertArrayEquals(PcapReaderTest.C, got.get(2));
        }
    }
}
