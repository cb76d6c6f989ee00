package io.judo.packet.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a classic pcap file in the machine-independent little-endian layout most tools write, with microsecond or
 * nanosecond timestamps. Buffers internally; {@link #close()} flushes.
 */
public final class PcapWriter implements AutoCloseable {
    private final OutputStream out;
    private final boolean nanos;
    private final ByteBuffer header = ByteBuffer.allocate(PcapReader.RECORD_HEADER_LENGTH)
            .order(ByteOrder.LITTLE_ENDIAN);
    private byte[] copy = new byte[65536];
    private long packets;

    /**
     * @param out destination (wrap it in a BufferedOutputStream for files)
     * @param linkType LINKTYPE_ value for every record
     * @param snapLength declared snap length
     * @param nanos write nanosecond timestamps (magic 0xa1b23c4d)
     */
    public PcapWriter(OutputStream out, int linkType, int snapLength, boolean nanos) throws IOException {
        this.out = out;
        this.nanos = nanos;
        ByteBuffer h = ByteBuffer.allocate(PcapReader.FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(nanos ? PcapReader.MAGIC_NANOS : PcapReader.MAGIC_MICROS);
        h.putShort((short) 2).putShort((short) 4);
        h.putInt(0).putInt(0);
        h.putInt(snapLength);
        h.putInt(linkType);
        out.write(h.array());
    }

    /** Writes one record from a byte array. */
    public void write(long timestampNanos, byte[] data, int offset, int length, int originalLength) throws IOException {
        writeHeader(timestampNanos, length, originalLength);
        out.write(data, offset, length);
        packets++;
    }

    /** Writes one record from a reader's record, unchanged. */
    public void write(PacketRecord record) throws IOException {
        write(record.timestampNanos(), record.buffer(), record.offset(), record.capturedLength(),
                record.originalLength());
    }

    /** Writes one record from any buffer (a reader's direct buffer included), through one reused array. */
    public void write(long timestampNanos, ByteBuffer buffer, int offset, int length, int originalLength)
            throws IOException {
        if (copy.length < length) {
            copy = new byte[Math.max(length, copy.length * 2)];
        }
        buffer.get(offset, copy, 0, length);
        write(timestampNanos, copy, 0, length, originalLength);
    }

    private void writeHeader(long timestampNanos, int length, int originalLength) throws IOException {
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long fraction = Math.floorMod(timestampNanos, 1_000_000_000L);
        header.clear();
        header.putInt((int) seconds);
        header.putInt((int) (nanos ? fraction : fraction / 1000));
        header.putInt(length);
        header.putInt(Math.max(originalLength, length));
        out.write(header.array());
    }

    /** Records written so far. */
    public long packets() {
        return packets;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
