package io.judo.packet.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads classic libpcap files: either byte order, microsecond ({@code 0xa1b2c3d4}) or nanosecond
 * ({@code 0xa1b23c4d}) timestamps.
 *
 * <p>Record lengths are checked against the snap length with slack (some writers exceed it slightly) and against a
 * hard limit; an impossible length ends the capture as {@link ReadStatus#CORRUPT}, since a pcap file has no way to
 * resynchronise after a bad record header.
 */
public final class PcapReader extends AbstractCaptureReader {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int FILE_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;
    /** Lengths above this are never real packets (Wireshark's largest supported is 256 KiB for most link types). */
    static final int MAX_RECORD_LENGTH = 16 << 20;

    private final boolean nanos;
    private final int linkType;
    private final int snapLength;
    private long number;

    PcapReader(CaptureInput input) throws IOException {
        super(input);
        if (!input.request(FILE_HEADER_LENGTH)) {
            throw new CaptureFormatException("pcap file header is cut short (" + input.available() + " of "
                    + FILE_HEADER_LENGTH + " bytes)");
        }
        int at = input.cursor();
        int magic = input.networkInt32(at);
        ByteOrder order = ByteOrder.BIG_ENDIAN;
        if (Integer.reverseBytes(magic) == MAGIC_MICROS || Integer.reverseBytes(magic) == MAGIC_NANOS) {
            order = ByteOrder.LITTLE_ENDIAN;
            magic = Integer.reverseBytes(magic);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new CaptureFormatException(String.format("not a pcap file (magic 0x%08x)", magic));
        }
        input.order(order);
        this.nanos = magic == MAGIC_NANOS;
        int major = input.uint16(at + 4);
        if (major != 2) {
            throw new CaptureFormatException("unsupported pcap version " + major + "." + input.uint16(at + 6));
        }
        int snap = input.int32(at + 16);
        this.snapLength = snap <= 0 ? MAX_RECORD_LENGTH : Math.min(snap, MAX_RECORD_LENGTH);
        // The upper 16 bits carry FCS information (pcap-linktype(7)); the link type is the low 16.
        this.linkType = input.int32(at + 20) & 0xffff;
        input.skip(FILE_HEADER_LENGTH);
    }

    /** The file's link type (LINKTYPE_ value). */
    public int linkType() {
        return linkType;
    }

    /** The snap length declared in the file header. */
    public int snapLength() {
        return snapLength;
    }

    /** True when timestamps are in nanoseconds. */
    public boolean nanosecondTimestamps() {
        return nanos;
    }

    @Override
    public ReadStatus next(PacketRecord record) throws IOException {
        if (ended() != null) {
            return ended();
        }
        long recordOffset = input.position();
        if (!input.request(RECORD_HEADER_LENGTH)) {
            if (input.available() == 0) {
                return ReadStatus.END;
            }
            return fail(ReadStatus.TRUNCATED, recordOffset, "truncated record header at byte offset " + recordOffset
                    + " (" + input.available() + " of " + RECORD_HEADER_LENGTH + " bytes)");
        }
        ByteBuffer b = input.buffer();
        int at = input.cursor();
        long seconds = Integer.toUnsignedLong(input.int32(at));
        long fraction = Integer.toUnsignedLong(input.int32(at + 4));
        int captured = input.int32(at + 8);
        int original = input.int32(at + 12);
        // Allow generous slack over the snap length: several writers store slightly longer records.
        if (captured < 0 || captured > MAX_RECORD_LENGTH || captured > Math.max(snapLength, 262144) * 2L) {
            return fail(ReadStatus.CORRUPT, recordOffset, "corrupt record header at byte offset " + recordOffset
                    + " (captured length " + Integer.toUnsignedString(captured) + ")");
        }
        if (!input.request(RECORD_HEADER_LENGTH + captured)) {
            return fail(ReadStatus.TRUNCATED, recordOffset, "truncated record at byte offset " + recordOffset
                    + " (" + (input.available() - RECORD_HEADER_LENGTH) + " of " + captured + " bytes)");
        }
        b = input.buffer(); // request may have replaced or compacted the buffer
        at = input.cursor();
        long nanosTs = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000L);
        record.set(b, at + RECORD_HEADER_LENGTH, captured, Math.max(original, captured), nanosTs, linkType, 0,
                recordOffset);
        record.number(++number);
        input.skip(RECORD_HEADER_LENGTH + captured);
        return ReadStatus.RECORD;
    }






    @Override
    public String format() {
        return "pcap";
    }

}
