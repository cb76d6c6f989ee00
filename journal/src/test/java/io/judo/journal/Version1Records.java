package io.judo.journal;

import net.openhft.chronicle.bytes.Bytes;

/** Writes records in version 1's layout, as judo did before version 2, to check that old journals still read. */
final class Version1Records {
    private Version1Records() {
    }

    static void write(Bytes<?> b, JournalEvent e) {
        b.writeByte((byte) 1);
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
}
