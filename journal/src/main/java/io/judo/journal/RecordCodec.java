package io.judo.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.Bytes;

/** Writes and reads {@link JournalEvent}s in the layout {@link JournalEvent} documents. */
final class RecordCodec {
    private RecordCodec() {
    }

    /**
     * Writes {@code e}, assembling the record in {@code scratch} first (one thread's, at least
     * {@link #MAX_RECORD} bytes) so the queue sees one bulk write: per-field writes into the queue cost a third of
     * the append rate.
     */
    static void write(Bytes<?> b, JournalEvent e, ByteBuffer scratch) {
        ByteBuffer s = scratch.clear();
        s.put((byte) JournalEvent.VERSION);
        s.put((byte) e.type.code());
        s.putShort((short) JournalEvent.FIXED_V1);
        s.putLong(e.timeNanos);
        s.putLong(e.flowId);
        s.put((byte) e.family);
        s.put((byte) e.protocol);
        s.put((byte) e.direction);
        s.put((byte) 0);
        s.put(e.src, 0, 16);
        s.put(e.dst, 0, 16);
        s.putShort((short) e.srcPort);
        s.putShort((short) e.dstPort);
        s.putLong(e.streamOffset);
        s.putInt(e.gid);
        s.putLong(e.sid);
        s.putInt(e.rev);
        s.putInt(e.patternId);
        s.putLong(e.matchStart);
        s.putLong(e.matchEnd);
        s.putLong(e.delta);
        field(s, e.before, e.beforeLength);
        field(s, e.after, e.afterLength);
        field(s, e.excerpt, e.excerptLength);
        field(s, e.text, e.textLength);
        b.write(s.array(), 0, s.position());
    }

    /** The largest record version 1 writes. */
    static final int MAX_RECORD = 4 + JournalEvent.FIXED_V1 + 8 + 2 * JournalEvent.MAX_EDIT
            + JournalEvent.MAX_EXCERPT + JournalEvent.MAX_TEXT;

    /** A scratch buffer for {@link #write}, in the byte order the queue's {@link Bytes} read with. */
    static ByteBuffer scratch() {
        return ByteBuffer.allocate(MAX_RECORD).order(ByteOrder.nativeOrder());
    }

    private static void field(ByteBuffer s, byte[] bytes, int length) {
        s.putShort((short) length);
        s.put(bytes, 0, length);
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
