package io.judo.packet.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Hand-assembles pcap and pcapng bytes for reader tests, independently of {@link PcapWriter}. */
final class Blocks {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;

    Blocks(ByteOrder order) {
        this.order = order;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    // ---- pcap ----

    Blocks pcapHeader(int magic, int snap, int linkType) {
        ByteBuffer b = buf(24);
        b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snap).putInt(linkType);
        return put(b);
    }

    Blocks pcapRecord(long sec, long frac, byte[] data, int originalLength) {
        ByteBuffer b = buf(16 + data.length);
        b.putInt((int) sec).putInt((int) frac).putInt(data.length).putInt(originalLength).put(data);
        return put(b);
    }

    // ---- pcapng ----

    Blocks shb() {
        ByteBuffer b = buf(28);
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        return put(b);
    }

    /** IDB; tsresol < 0 means no option; tsOffset 0 means no option. */
    Blocks idb(int linkType, int snap, int tsresol, long tsOffset) {
        int opts = (tsresol >= 0 ? 8 : 0) + (tsOffset != 0 ? 12 : 0) + ((tsresol >= 0 || tsOffset != 0) ? 4 : 0);
        int len = 20 + opts;
        ByteBuffer b = buf(len);
        b.putInt(1).putInt(len).putShort((short) linkType).putShort((short) 0).putInt(snap);
        if (tsresol >= 0) {
            b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
        }
        if (tsOffset != 0) {
            b.putShort((short) 14).putShort((short) 8).putLong(tsOffset);
        }
        if (opts > 0) {
            b.putInt(0); // opt_endofopt
        }
        b.putInt(len);
        return put(b);
    }

    Blocks epb(int iface, long ts, byte[] data, int originalLength) {
        int padded = (data.length + 3) & ~3;
        int len = 32 + padded;
        ByteBuffer b = buf(len);
        b.putInt(6).putInt(len).putInt(iface).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(data.length)
                .putInt(originalLength).put(data).put(new byte[padded - data.length]).putInt(len);
        return put(b);
    }

    Blocks opb(int iface, long ts, byte[] data) {
        int padded = (data.length + 3) & ~3;
        int len = 32 + padded;
        ByteBuffer b = buf(len);
        b.putInt(2).putInt(len).putShort((short) iface).putShort((short) 0).putInt((int) (ts >>> 32)).putInt((int) ts)
                .putInt(data.length).putInt(data.length).put(data).put(new byte[padded - data.length]).putInt(len);
        return put(b);
    }

    Blocks spb(byte[] data, int originalLength) {
        int padded = (data.length + 3) & ~3;
        int len = 16 + padded;
        ByteBuffer b = buf(len);
        b.putInt(3).putInt(len).putInt(originalLength).put(data).put(new byte[padded - data.length]).putInt(len);
        return put(b);
    }

    Blocks custom(int type, int bodyLength) {
        int len = 12 + ((bodyLength + 3) & ~3);
        ByteBuffer b = buf(len);
        b.putInt(type).putInt(len).put(new byte[len - 12]).putInt(len);
        return put(b);
    }

    Blocks raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    private ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    private Blocks put(ByteBuffer b) {
        out.writeBytes(b.array());
        return this;
    }
}
