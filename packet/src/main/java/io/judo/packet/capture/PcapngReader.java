package io.judo.packet.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads pcapng files: Section Header Blocks in either byte order (a file may hold several sections), Interface
 * Description Blocks (each interface with its own link type, snap length and timestamp resolution and offset),
 * Enhanced, Simple and obsolete Packet Blocks. Other block types are skipped.
 *
 * <p>Interface state is kept in flat arrays indexed by interface id, so reading allocates nothing per packet.
 */
public final class PcapngReader extends AbstractCaptureReader {
    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 0x00000001;
    static final int OPB = 0x00000002;
    static final int SPB = 0x00000003;
    static final int EPB = 0x00000006;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int MIN_BLOCK = 12;
    static final int MAX_BLOCK = PcapReader.MAX_RECORD_LENGTH + 4096;
    private static final int MAX_INTERFACES = 65536;

    private int interfaces;
    private int[] linkTypes = new int[4];
    private int[] snapLengths = new int[4];
    /** Timestamp units per second for each interface (10^6 unless if_tsresol says otherwise). */
    private long[] unitsPerSecond = new long[4];
    private long[] offsetSeconds = new long[4];
    private long number;

    PcapngReader(CaptureInput input) throws IOException {
        super(input);
        long offset = input.position();
        if (!input.request(MIN_BLOCK + 16)) {
            throw new CaptureFormatException("pcapng section header is cut short");
        }
        String error = readSectionHeader(offset);
        if (error != null) {
            throw new CaptureFormatException(error);
        }
    }

    @Override
    public ReadStatus next(PacketRecord record) throws IOException {
        if (ended() != null) {
            return ended();
        }
        while (true) {
            long blockOffset = input.position();
            if (!input.request(8)) {
                if (input.available() == 0) {
                    return ReadStatus.END;
                }
                return fail(ReadStatus.TRUNCATED, blockOffset, "truncated block header at byte offset " + blockOffset);
            }
            ByteBuffer b = input.buffer();
            int at = input.cursor();
            int type = input.int32(at); // SHB's type is a palindrome, so the order does not matter for it
            if (type == SHB) {
                if (!input.request(MIN_BLOCK + 16)) {
                    return fail(ReadStatus.TRUNCATED, blockOffset, "truncated section header at byte offset "
                            + blockOffset);
                }
                String error = readSectionHeader(blockOffset);
                if (error != null) {
                    return fail(ReadStatus.CORRUPT, blockOffset, error);
                }
                continue;
            }
            int length = input.int32(at + 4);
            if (length < MIN_BLOCK || (length & 3) != 0 || length > MAX_BLOCK) {
                return fail(ReadStatus.CORRUPT, blockOffset, "corrupt block at byte offset " + blockOffset
                        + " (type 0x" + Integer.toHexString(type) + ", length " + Integer.toUnsignedString(length) + ")");
            }
            if (!input.request(length)) {
                return fail(ReadStatus.TRUNCATED, blockOffset, "truncated block at byte offset " + blockOffset + " ("
                        + input.available() + " of " + length + " bytes)");
            }
            b = input.buffer();
            at = input.cursor();
            if (input.int32(at + length - 4) != length) {
                return fail(ReadStatus.CORRUPT, blockOffset, "corrupt block at byte offset " + blockOffset
                        + " (trailing length differs from leading length " + length + ")");
            }
            ReadStatus status;
            switch (type) {
                case IDB:
                    status = readInterface(b, at, length, blockOffset);
                    break;
                case EPB:
                    status = readPacketBlock(b, at, length, blockOffset, record, true);
                    break;
                case SPB:
                    status = readSimple(b, at, length, blockOffset, record);
                    break;
                case OPB:
                    status = readPacketBlock(b, at, length, blockOffset, record, false);
                    break;
                default:
                    status = null; // unknown or uninteresting block: skip
            }
            input.skip(length);
            if (status != null) {
                if (status == ReadStatus.RECORD) {
                    record.number(++number);
                }
                return status;
            }
        }
    }

    /** Parses the SHB at the cursor; sets the byte order; returns an error message or null. */
    private String readSectionHeader(long offset) throws IOException {
        ByteBuffer b = input.buffer();
        int at = input.cursor();
        if (input.networkInt32(at) != SHB) {
            return String.format("not a pcapng file (block type 0x%08x)", input.networkInt32(at));
        }
        int magic = input.networkInt32(at + 8);
        if (magic == BYTE_ORDER_MAGIC) {
            input.order(ByteOrder.BIG_ENDIAN);
        } else if (Integer.reverseBytes(magic) == BYTE_ORDER_MAGIC) {
            input.order(ByteOrder.LITTLE_ENDIAN);
        } else {
            return String.format("bad pcapng byte-order magic 0x%08x at byte offset %d", magic, offset);
        }
        int length = input.int32(at + 4);
        if (length < 28 || (length & 3) != 0 || length > MAX_BLOCK) {
            return "bad pcapng section header length " + length + " at byte offset " + offset;
        }
        int major = (input.uint16(at + 12));
        if (major != 1) {
            return "unsupported pcapng version " + major + " at byte offset " + offset;
        }
        if (!input.request(length)) {
            return "pcapng section header is cut short at byte offset " + offset;
        }
        input.skip(length);
        interfaces = 0; // interface ids are scoped to their section
        return null;
    }

    private ReadStatus readInterface(ByteBuffer b, int at, int length, long offset) {
        if (length < 20) {
            return fail(ReadStatus.CORRUPT, offset, "interface description block too short at byte offset " + offset);
        }
        if (interfaces == MAX_INTERFACES) {
            return fail(ReadStatus.CORRUPT, offset, "more than " + MAX_INTERFACES + " interfaces");
        }
        if (interfaces == linkTypes.length) {
            int n = interfaces * 2;
            linkTypes = Arrays.copyOf(linkTypes, n);
            snapLengths = Arrays.copyOf(snapLengths, n);
            unitsPerSecond = Arrays.copyOf(unitsPerSecond, n);
            offsetSeconds = Arrays.copyOf(offsetSeconds, n);
        }
        int id = interfaces++;
        linkTypes[id] = (input.uint16(at + 8));
        int snap = input.int32(at + 12);
        snapLengths[id] = snap <= 0 ? PcapReader.MAX_RECORD_LENGTH : snap;
        unitsPerSecond[id] = 1_000_000L;
        offsetSeconds[id] = 0;
        int opt = at + 16;
        int end = at + length - 4;
        while (opt + 4 <= end) {
            int code = (input.uint16(opt));
            int len = (input.uint16(opt + 2));
            if (code == 0 || opt + 4 + len > end) {
                break;
            }
            if (code == 9 && len >= 1) { // if_tsresol
                int r = b.get(opt + 4) & 0xff;
                int exp = r & 0x7f;
                if ((r & 0x80) == 0) {
                    unitsPerSecond[id] = exp <= 18 ? pow10(exp) : 1_000_000L;
                } else {
                    unitsPerSecond[id] = exp <= 62 ? 1L << exp : 1_000_000L;
                }
            } else if (code == 14 && len >= 8) { // if_tsoffset
                offsetSeconds[id] = input.int64(opt + 4);
            }
            opt += 4 + ((len + 3) & ~3);
        }
        return null;
    }

    private static long pow10(int exp) {
        long v = 1;
        for (int i = 0; i < exp; i++) {
            v *= 10;
        }
        return v;
    }

    /** EPB and the obsolete PB differ only in the width of the interface id (32 vs 16 bits). */
    private ReadStatus readPacketBlock(ByteBuffer b, int at, int length, long offset, PacketRecord record,
                                       boolean enhanced) {
        if (length < 32) {
            return fail(ReadStatus.CORRUPT, offset, "packet block too short at byte offset " + offset);
        }
        int id = enhanced ? input.int32(at + 8) : input.uint16(at + 8);
        long ts = (Integer.toUnsignedLong(input.int32(at + 12)) << 32) | Integer.toUnsignedLong(input.int32(at + 16));
        int captured = input.int32(at + 20);
        int original = input.int32(at + 24);
        return deliver(b, at + 28, length - 32, id, ts, captured, original, offset, record);
    }

    private ReadStatus readSimple(ByteBuffer b, int at, int length, long offset, PacketRecord record) {
        if (length < 16) {
            return fail(ReadStatus.CORRUPT, offset, "simple packet block too short at byte offset " + offset);
        }
        if (interfaces == 0) {
            return fail(ReadStatus.CORRUPT, offset, "simple packet block before any interface at byte offset " + offset);
        }
        int original = input.int32(at + 8);
        // The SPB has no captured length: it is the original length cut to the snap length and the block.
        int room = length - 16;
        int captured = (int) Math.min(Math.min(Integer.toUnsignedLong(original), snapLengths[0]), room);
        return deliver(b, at + 12, room, 0, -1, captured, original, offset, record);
    }

    private ReadStatus deliver(ByteBuffer b, int data, int room, int id, long ts, int captured, int original,
                               long offset, PacketRecord record) {
        if (id < 0 || id >= interfaces) {
            return fail(ReadStatus.CORRUPT, offset, "packet for undeclared interface " + Integer.toUnsignedString(id)
                    + " at byte offset " + offset);
        }
        if (captured < 0 || captured > room) {
            return fail(ReadStatus.CORRUPT, offset, "captured length " + Integer.toUnsignedString(captured)
                    + " exceeds its block at byte offset " + offset);
        }
        long nanos = ts < 0 ? 0 : toNanos(ts, unitsPerSecond[id]) + offsetSeconds[id] * 1_000_000_000L;
        record.set(b, data, captured, (int) Math.max(Integer.toUnsignedLong(original), captured), nanos, linkTypes[id],
                id, offset);
        return ReadStatus.RECORD;
    }

    static long toNanos(long ts, long unitsPerSecond) {
        if (unitsPerSecond == 1_000_000_000L) {
            return ts;
        }
        if (unitsPerSecond == 1_000_000L) {
            return ts * 1000L;
        }
        long seconds = Long.divideUnsigned(ts, unitsPerSecond);
        long rest = Long.remainderUnsigned(ts, unitsPerSecond);
        // rest < unitsPerSecond: rest * 10^9 fits in 63 bits while unitsPerSecond <= 2^33 (10^9 < 2^30);
        // finer resolutions than that (sub-picosecond) are rounded through a double.
        long fractionNanos = unitsPerSecond <= (1L << 33)
                ? rest * 1_000_000_000L / unitsPerSecond
                : (long) (rest * (1e9 / unitsPerSecond));
        return seconds * 1_000_000_000L + fractionNanos;
    }


    /** Number of interfaces declared in the current section. */
    public int interfaceCount() {
        return interfaces;
    }




    @Override
    public String format() {
        return "pcapng";
    }

}
