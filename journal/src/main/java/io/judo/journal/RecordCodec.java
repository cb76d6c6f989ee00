package io.judo.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Writes {@link JournalEvent}s in the compact layout (version 2) and reads both layouts a journal may hold.
 *
 * <p>Version 2: {@code version:1 type:1 time:8 mask:varint} then, in mask-bit order, only the fields that differ from
 * their empty value (see {@link Field}). Integers are zig-zag varints, byte fields a varint length and the bytes, and
 * the packet group is {@code family protocol direction addressLength} + both addresses (4 bytes each for IPv4) + both
 * ports. An alert with an IPv4 5-tuple, rule ids and a 64-byte excerpt is ~100 bytes where version 1 took 180: the
 * writer's steady rate is bound by the file pages it dirties, so bytes are throughput. A later version adds fields
 * with higher mask bits after these; a reader stops after the last field it knows.
 *
 * <p>Version 1 (journals written before): {@code version:1 type:1 fixedLength:2}, fixed fields with 16-byte address
 * slots, then four 2-byte-length byte fields. Still read.
 */
final class RecordCodec {
    /** The layout {@link #write} produces. */
    static final int VERSION = 2;

    /** Mask bits of version 2, in the order the fields follow. */
    enum Field {
        FLOW, PACKET, STREAM_OFFSET, GID, SID, REV, PATTERN, MATCH_START, MATCH_END, DELTA, BEFORE, AFTER, EXCERPT,
        TEXT, CATEGORY, SEVERITY, HTTP;

        final int bit = 1 << ordinal();
    }

    private RecordCodec() {
    }

    /** The largest record either version writes (version 2's varints and lengths at their longest). */
    static final int MAX_RECORD = 4 + JournalEvent.FIXED_V1 + 16 + 2 * JournalEvent.MAX_EDIT
            + JournalEvent.MAX_EXCERPT + JournalEvent.MAX_TEXT + 4 + JournalEvent.MAX_CATEGORY + 10
            + 4 + JournalEvent.MAX_HTTP;

    /** A scratch buffer for {@link #write}, in the byte order the queue's {@link Bytes} read with. */
    static ByteBuffer scratch() {
        return ByteBuffer.allocate(MAX_RECORD).order(ByteOrder.nativeOrder());
    }

    /**
     * Writes {@code e}, assembling the record in {@code scratch} first (one thread's, from {@link #scratch}) so the
     * queue sees one bulk write: per-field writes into the queue cost a third of the append rate.
     */
    static void write(Bytes<?> b, JournalEvent e, ByteBuffer scratch) {
        ByteBuffer s = scratch.clear();
        int mask = mask(e);
        s.put((byte) VERSION);
        s.put((byte) e.type.code());
        s.putLong(e.timeNanos);
        varint(s, mask);
        if ((mask & Field.FLOW.bit) != 0) {
            signed(s, e.flowId);
        }
        if ((mask & Field.PACKET.bit) != 0) {
            int addressLength = addressLength(e);
            s.put((byte) e.family);
            s.put((byte) e.protocol);
            s.put((byte) e.direction);
            s.put((byte) addressLength);
            s.put(e.src, 0, addressLength);
            s.put(e.dst, 0, addressLength);
            s.putShort((short) e.srcPort);
            s.putShort((short) e.dstPort);
        }
        if ((mask & Field.STREAM_OFFSET.bit) != 0) {
            signed(s, e.streamOffset);
        }
        if ((mask & Field.GID.bit) != 0) {
            signed(s, e.gid);
        }
        if ((mask & Field.SID.bit) != 0) {
            signed(s, e.sid);
        }
        if ((mask & Field.REV.bit) != 0) {
            signed(s, e.rev);
        }
        if ((mask & Field.PATTERN.bit) != 0) {
            signed(s, e.patternId);
        }
        if ((mask & Field.MATCH_START.bit) != 0) {
            signed(s, e.matchStart);
        }
        if ((mask & Field.MATCH_END.bit) != 0) {
            signed(s, e.matchEnd);
        }
        if ((mask & Field.DELTA.bit) != 0) {
            signed(s, e.delta);
        }
        if ((mask & Field.BEFORE.bit) != 0) {
            bytes(s, e.before, e.beforeLength);
        }
        if ((mask & Field.AFTER.bit) != 0) {
            bytes(s, e.after, e.afterLength);
        }
        if ((mask & Field.EXCERPT.bit) != 0) {
            bytes(s, e.excerpt, e.excerptLength);
        }
        if ((mask & Field.TEXT.bit) != 0) {
            bytes(s, e.text, e.textLength);
        }
        if ((mask & Field.CATEGORY.bit) != 0) {
            bytes(s, e.category, e.categoryLength);
        }
        if ((mask & Field.SEVERITY.bit) != 0) {
            signed(s, e.severity);
        }
        if ((mask & Field.HTTP.bit) != 0) {
            bytes(s, e.http, e.httpLength);
        }
        b.write(s.array(), 0, s.position());
    }

    /** Which fields differ from the values {@link JournalEvent#clear} gives. */
    private static int mask(JournalEvent e) {
        int m = 0;
        m |= e.flowId != 0 ? Field.FLOW.bit : 0;
        m |= e.family != 0 || e.protocol != 0 || e.direction != 0 || e.srcPort != 0 || e.dstPort != 0
                || !zero(e.src, 0) || !zero(e.dst, 0) ? Field.PACKET.bit : 0;
        m |= e.streamOffset != -1 ? Field.STREAM_OFFSET.bit : 0;
        m |= e.gid != 0 ? Field.GID.bit : 0;
        m |= e.sid != 0 ? Field.SID.bit : 0;
        m |= e.rev != 0 ? Field.REV.bit : 0;
        m |= e.patternId != -1 ? Field.PATTERN.bit : 0;
        m |= e.matchStart != -1 ? Field.MATCH_START.bit : 0;
        m |= e.matchEnd != -1 ? Field.MATCH_END.bit : 0;
        m |= e.delta != 0 ? Field.DELTA.bit : 0;
        m |= e.beforeLength != 0 ? Field.BEFORE.bit : 0;
        m |= e.afterLength != 0 ? Field.AFTER.bit : 0;
        m |= e.excerptLength != 0 ? Field.EXCERPT.bit : 0;
        m |= e.textLength != 0 ? Field.TEXT.bit : 0;
        m |= e.categoryLength != 0 ? Field.CATEGORY.bit : 0;
        m |= e.severity != 0 ? Field.SEVERITY.bit : 0;
        m |= e.httpLength != 0 ? Field.HTTP.bit : 0;
        return m;
    }

    /** 4 for an IPv4 record whose address slots hold nothing past the first 4 bytes, else 16. */
    private static int addressLength(JournalEvent e) {
        return e.family == 4 && zero(e.src, 4) && zero(e.dst, 4) ? 4 : 16;
    }

    private static boolean zero(byte[] a, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void varint(ByteBuffer s, long v) {
        while ((v & ~0x7fL) != 0) {
            s.put((byte) (v & 0x7f | 0x80));
            v >>>= 7;
        }
        s.put((byte) v);
    }

    private static void signed(ByteBuffer s, long v) {
        varint(s, v << 1 ^ v >> 63);
    }

    private static void bytes(ByteBuffer s, byte[] bytes, int length) {
        varint(s, length);
        s.put(bytes, 0, length);
    }

    /**
     * Reads one record into {@code e}.
     *
     * @return false for a record this version cannot read (unknown type or a truncated body)
     */
    static boolean read(Bytes<?> b, JournalEvent e) {
        e.clear();
        if (b.readRemaining() < 2) {
            return false;
        }
        int version = b.readByte() & 0xff;
        EventType type = EventType.of(b.readByte() & 0xff);
        if (type == null) {
            return false;
        }
        e.type = type;
        return version >= 2 ? readCompact(b, e) : readFixed(b, e);
    }

    /** Version 2 and later; {@link Malformed} when a varint or a field runs past the record. */
    private static boolean readCompact(Bytes<?> b, JournalEvent e) {
        try {
            e.timeNanos = need(b, 8).readLong();
            long mask = varint(b);
            if ((mask & Field.FLOW.bit) != 0) {
                e.flowId = signed(b);
            }
            if ((mask & Field.PACKET.bit) != 0) {
                need(b, 4);
                e.family = b.readByte();
                e.protocol = b.readByte() & 0xff;
                e.direction = b.readByte();
                int addressLength = b.readByte() & 0xff;
                if (addressLength > 16) {
                    return false;
                }
                need(b, 2 * addressLength + 4).read(e.src, 0, addressLength);
                b.read(e.dst, 0, addressLength);
                e.srcPort = b.readShort() & 0xffff;
                e.dstPort = b.readShort() & 0xffff;
            }
            if ((mask & Field.STREAM_OFFSET.bit) != 0) {
                e.streamOffset = signed(b);
            }
            if ((mask & Field.GID.bit) != 0) {
                e.gid = (int) signed(b);
            }
            if ((mask & Field.SID.bit) != 0) {
                e.sid = signed(b);
            }
            if ((mask & Field.REV.bit) != 0) {
                e.rev = (int) signed(b);
            }
            if ((mask & Field.PATTERN.bit) != 0) {
                e.patternId = (int) signed(b);
            }
            if ((mask & Field.MATCH_START.bit) != 0) {
                e.matchStart = signed(b);
            }
            if ((mask & Field.MATCH_END.bit) != 0) {
                e.matchEnd = signed(b);
            }
            if ((mask & Field.DELTA.bit) != 0) {
                e.delta = signed(b);
            }
            if ((mask & Field.BEFORE.bit) != 0) {
                e.beforeLength = bytes(b, e.before);
            }
            if ((mask & Field.AFTER.bit) != 0) {
                e.afterLength = bytes(b, e.after);
            }
            if ((mask & Field.EXCERPT.bit) != 0) {
                e.excerptLength = bytes(b, e.excerpt);
            }
            if ((mask & Field.TEXT.bit) != 0) {
                e.textLength = bytes(b, e.text);
            }
            if ((mask & Field.CATEGORY.bit) != 0) {
                e.categoryLength = bytes(b, e.category);
            }
            if ((mask & Field.SEVERITY.bit) != 0) {
                e.severity = (int) signed(b);
            }
            if ((mask & Field.HTTP.bit) != 0) {
                e.httpLength = bytes(b, e.http);
            }
            return true; // fields of higher bits, from a newer version, follow and are not read
        } catch (Malformed m) {
            return false;
        }
    }

    /** Thrown, preallocated, when a version 2 record is cut short. */
    private static final class Malformed extends RuntimeException {
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super("truncated record", null, false, false);
        }
    }

    private static Bytes<?> need(Bytes<?> b, int n) {
        if (b.readRemaining() < n) {
            throw Malformed.INSTANCE;
        }
        return b;
    }

    private static long varint(Bytes<?> b) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = need(b, 1).readByte();
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw Malformed.INSTANCE;
    }

    private static long signed(Bytes<?> b) {
        long v = varint(b);
        return v >>> 1 ^ -(v & 1);
    }

    /** A varint-length byte field into {@code into}, truncated to its size. */
    private static int bytes(Bytes<?> b, byte[] into) {
        long length = varint(b);
        if (length > b.readRemaining()) {
            throw Malformed.INSTANCE;
        }
        int kept = (int) Math.min(length, into.length);
        b.read(into, 0, kept);
        b.readSkip(length - kept);
        return kept;
    }

    /** Versions 0 and 1: a fixed part of declared length, then 2-byte-length byte fields. */
    private static boolean readFixed(Bytes<?> b, JournalEvent e) {
        if (b.readRemaining() < 2) {
            return false;
        }
        int fixed = b.readShort() & 0xffff;
        if (b.readRemaining() < fixed) {
            return false;
        }
        long start = b.readPosition();
        if (fixed >= JournalEvent.FIXED_V1) {
            e.timeNanos = b.readLong();
            e.flowId = b.readLong();
            e.family = b.readByte();
            e.protocol = b.readByte() & 0xff;
            e.direction = b.readByte();
            b.readByte();
            b.read(e.src, 0, 16);
            b.read(e.dst, 0, 16);
            e.srcPort = b.readShort() & 0xffff;
            e.dstPort = b.readShort() & 0xffff;
            e.streamOffset = b.readLong();
            e.gid = b.readInt();
            e.sid = b.readLong();
            e.rev = b.readInt();
            e.patternId = b.readInt();
            e.matchStart = b.readLong();
            e.matchEnd = b.readLong();
            e.delta = b.readLong();
        }
        b.readPosition(start + fixed); // skip fixed fields a later version-1 writer added
        e.beforeLength = field(b, e.before);
        e.afterLength = field(b, e.after);
        e.excerptLength = field(b, e.excerpt);
        e.textLength = field(b, e.text);
        return e.beforeLength >= 0 && e.afterLength >= 0 && e.excerptLength >= 0 && e.textLength >= 0;
    }

    /** A version-1 length-prefixed field into {@code into} (truncated); 0 when absent, -1 when cut short. */
    private static int field(Bytes<?> b, byte[] into) {
        if (b.readRemaining() == 0) {
            return 0; // an older record without this field
        }
        if (b.readRemaining() < 2) {
            return -1;
        }
        int length = b.readShort() & 0xffff;
        if (b.readRemaining() < length) {
            return -1;
        }
        int kept = Math.min(length, into.length);
        b.read(into, 0, kept);
        b.readSkip(length - kept);
        return kept;
    }
}
