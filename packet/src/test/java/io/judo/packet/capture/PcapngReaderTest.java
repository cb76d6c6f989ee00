package io.judo.packet.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcapngReaderTest {
    static final byte[] P1 = {0x45, 0, 0, 20, 1, 2, 3};
    static final byte[] P2 = new byte[64];
    static final byte[] P3 = {7, 7, 7, 7};

    /** Two interfaces (Ethernet with microseconds, raw IP with nanoseconds and an offset) and every packet block. */
    static byte[] sample(ByteOrder order) {
        return new Blocks(order).shb()
                .idb(1, 65535, -1, 0)
                .custom(0x00000BAD, 13)          // an unknown block: skipped
                .idb(101, 1500, 9, 10)           // 10^-9 resolution, +10 s offset
                .epb(0, 1_700_000_000_000_001L, P1, 60)
                .epb(1, 5_000_000_123L, P2, 64)
                .spb(P3, 4)
                .opb(1, 42L, P1)
                .bytes();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIG_ENDIAN", "LITTLE_ENDIAN"})
    void readsEveryBlockInBothByteOrders(String orderName) throws IOException {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        try (CaptureReader r = Captures.open(sample(order))) {
            assertEquals("pcapng", r.format());
            PacketRecord rec = new PacketRecord();
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertArrayEquals(P1, rec.toBytes());
            assertEquals(1, rec.linkType());
            assertEquals(60, rec.originalLength());
            assertEquals(1_700_000_000_000_001_000L, rec.timestampNanos());
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertEquals(101, rec.linkType());
            assertEquals(1, rec.interfaceId());
            assertEquals(15_000_000_123L, rec.timestampNanos(), "nanosecond resolution plus if_tsoffset");
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertArrayEquals(P3, rec.toBytes(), "simple packet block");
            assertEquals(1, rec.linkType(), "SPB belongs to interface 0");
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertEquals(10_000_000_042L, rec.timestampNanos(), "obsolete packet block");
            assertEquals(4, rec.number());
            assertEquals(ReadStatus.END, r.next(rec));
        }
    }

    @Test
    void aSecondSectionMayChangeByteOrderAndResetsInterfaces() throws IOException {
        byte[] first = new Blocks(ByteOrder.LITTLE_ENDIAN).shb().idb(1, 65535, -1, 0).epb(0, 1, P1, 7).bytes();
        byte[] second = new Blocks(ByteOrder.BIG_ENDIAN).shb().idb(228, 65535, 6, 0).epb(0, 2, P2, 64).bytes();
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        try (CaptureReader r = Captures.open(both)) {
            PacketRecord rec = new PacketRecord();
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertEquals(1, rec.linkType());
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertEquals(228, rec.linkType());
            assertEquals(2000, rec.timestampNanos());
            assertEquals(ReadStatus.END, r.next(rec));
        }
    }

    @Test
    void binaryTimestampResolution() {
        assertEquals(1_500_000_000L, PcapngReader.toNanos(3L << 9, 1L << 10), "2^-10 units: 1536/1024 s");
        assertEquals(1_000_000_000L, PcapngReader.toNanos(1000, 1000));
    }

    @Test
    void truncationAtEveryByteBoundaryNeverThrows() throws IOException {
        byte[] full = sample(ByteOrder.LITTLE_ENDIAN);
        int previous = -1;
        for (int cut = 28; cut <= full.length; cut++) {
            try (CaptureReader r = Captures.open(Arrays.copyOf(full, cut))) {
                PacketRecord rec = new PacketRecord();
                int n = 0;
                ReadStatus s;
                while ((s = r.next(rec)) == ReadStatus.RECORD) {
                    n++;
                }
                assertTrue(s == ReadStatus.END || s == ReadStatus.TRUNCATED, "cut at " + cut + ": " + s);
                assertTrue(n >= previous, "records never disappear as the file grows");
                previous = n;
                if (cut == full.length) {
                    assertEquals(ReadStatus.END, s);
                    assertEquals(4, n);
                }
            }
        }
    }

    @Test
    void packetForUndeclaredInterfaceIsCorrupt() throws IOException {
        byte[] bytes = new Blocks(ByteOrder.LITTLE_ENDIAN).shb().idb(1, 65535, -1, 0).epb(0, 1, P1, 7)
                .epb(3, 1, P1, 7).bytes();
        try (CaptureReader r = Captures.open(bytes)) {
            PacketRecord rec = new PacketRecord();
            assertEquals(ReadStatus.RECORD, r.next(rec));
            assertEquals(ReadStatus.CORRUPT, r.next(rec));
            assertTrue(r.problem().contains("undeclared interface 3"), r.problem());
        }
    }

    @Test
    void badByteOrderMagicIsNotACapture() {
        byte[] bytes = new Blocks(ByteOrder.LITTLE_ENDIAN).shb().bytes();
        bytes[8] = 0x11;
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> Captures.open(bytes));
        assertTrue(e.getMessage().contains("byte-order magic"), e.getMessage());
    }
}
