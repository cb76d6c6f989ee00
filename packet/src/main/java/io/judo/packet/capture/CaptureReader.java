package io.judo.packet.capture;

import java.io.IOException;

/** Streams the records of one capture. Not thread-safe; one reader per thread. */
public interface CaptureReader extends AutoCloseable {

    /**
     * Reads the next record into {@code record}.
     *
     * @return {@link ReadStatus#RECORD} when {@code record} now holds a packet; otherwise the capture is over and
     *     {@link #problemOffset()} / {@link #problem()} describe a TRUNCATED or CORRUPT ending
     * @throws IOException only when the operating system fails to read the file
     */
    ReadStatus next(PacketRecord record) throws IOException;

    /** Byte offset of the record that ended the capture early, or -1. */
    long problemOffset();

    /** A human-readable description of why the capture ended early, or null. */
    String problem();

    /** Bytes consumed from the file so far (for progress reporting). */
    long position();

    /** Short name of the format: "pcap" or "pcapng". */
    String format();

    @Override
    void close() throws IOException;
}
