package io.judo.packet.capture;

import java.nio.ByteBuffer;

/**
 * One captured packet as a reader delivers it: a window into the reader's buffer plus the record's metadata.
 *
 * <p>Mutable and reused: a reader fills the same instance for every record, so the hot path allocates nothing. The
 * bytes live at {@code buffer()[offset(), offset() + capturedLength())} and are valid until the reader's next call.
 */
public final class PacketRecord {
    private ByteBuffer buffer;
    private int offset;
    private int capturedLength;
    private int originalLength;
    private long timestampNanos;
    private int linkType;
    private int interfaceId;
    private long fileOffset;
    private long number;

    /** Points this record at a packet. Used by readers and by code that builds packets in memory. */
    public PacketRecord set(ByteBuffer buffer, int offset, int capturedLength, int originalLength,
                            long timestampNanos, int linkType, int interfaceId, long fileOffset) {
        this.buffer = buffer;
        this.offset = offset;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.timestampNanos = timestampNanos;
        this.linkType = linkType;
        this.interfaceId = interfaceId;
        this.fileOffset = fileOffset;
        return this;
    }

    void number(long number) {
        this.number = number;
    }

    /** The buffer holding the packet bytes (big-endian order is not guaranteed; decoders use absolute gets). */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the first packet byte in {@link #buffer()}. */
    public int offset() {
        return offset;
    }

    /** Bytes present in the capture (at most the snap length). */
    public int capturedLength() {
        return capturedLength;
    }

    /** Length of the packet on the wire; larger than {@link #capturedLength()} when the capture snapped it. */
    public int originalLength() {
        return originalLength;
    }

    /** Capture time in nanoseconds since the Unix epoch. */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** The LINKTYPE_ value of the interface the packet was captured on (see {@link io.judo.packet.decode.LinkType}). */
    public int linkType() {
        return linkType;
    }

    /** pcapng interface index; 0 for pcap. */
    public int interfaceId() {
        return interfaceId;
    }

    /** Byte offset of the record (its header) in the capture file. */
    public long fileOffset() {
        return fileOffset;
    }

    /** 1-based packet number within the capture, as tshark and Wireshark count. */
    public long number() {
        return number;
    }

    /** Copies the captured bytes out (for tests and tools; allocates). */
    public byte[] toBytes() {
        byte[] out = new byte[capturedLength];
        buffer.get(offset, out);
        return out;
    }
}
