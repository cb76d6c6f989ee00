package io.judo.journal;

import net.openhft.chronicle.bytes.Bytes;

/** Writes and reads {@link JournalEvent}s in the layout {@link JournalEvent} documents. */
final class RecordCodec {
    private RecordCodec() {
    }

    static void write(Bytes<?> b, JournalEvent e) {
        b.writeByte((byte) JournalEvent.VERSION);
        b.writeByte((byte) e.type.code());
        b.writeShort((short) JournalEvent.FIXED_V1);
        b.writeLong(e.timeNanos);
        b.writeLong(e.flowId);
        b.writeByte((byte) e.family);
        b.writeByte((byte) e.protocol);
        b.writeByte((byte) e.direction);
        b.writeByte((byte) 0);
        b.write(e.src, 0, 16);
        b.write(e.dst, 0, 16);
        b.writeShort((short) e.srcPort);
        b.writeShort((short) e.dstPort);
        b.writeLong(e.streamOffset);
        b.writeInt(e.gid);
        b.writeLong(e.sid);
        b.writeInt(e.rev);
        b.writeInt(e.patternId);
        b.writeLong(e.matchStart);
        b.writeLong(e.matchEnd);
        b.writeLong(e.delta);
        field(b, e.before, e.beforeLength);
        field(b, e.after, e.afterLength);
        field(b, e.excerpt, e.excerptLength);
        field(b, e.text, e.textLength);
    }

    private static void field(Bytes<?> b, byte[] bytes, int length) {
        b.writeShort((short) length);
        b.write(bytes, 0, length);
    }

    /**
     * Reads one record into {@code e}.
     *
     * @return false for a record this version cannot read (unknown type or a truncated body)
     */
    static boolean read(Bytes<?> b, JournalEvent e) {
        e.clear();
        if (b.readRemaining() < 4) {
            return false;
        }
        b.readByte(); // version: every version so far starts the same way
        EventType type = EventType.of(b.readByte() & 0xff);
        int fixed = b.readShort() & 0xffff;
        if (type == null || b.readRemaining() < fixed) {
            return false;
        }
        e.type = type;
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
        b.readPosition(start + fixed); // skip fixed fields a newer version added
        e.beforeLength = field(b, e.before);
        e.afterLength = field(b, e.after);
        e.excerptLength = field(b, e.excerpt);
        e.textLength = field(b, e.text);
        return e.beforeLength >= 0 && e.afterLength >= 0 && e.excerptLength >= 0 && e.textLength >= 0;
    }

    /** A length-prefixed field into {@code into} (truncated to its size); 0 when absent, -1 when cut short. */
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
