package io.judo.packet.capture;

/** Outcome of {@link CaptureReader#next(PacketRecord)}. */
public enum ReadStatus {
    /** A complete record was read into the {@link PacketRecord}. */
    RECORD,
    /** The capture ended cleanly at a record boundary. */
    END,
    /** The file ends inside a record (header or data); everything before it was delivered. */
    TRUNCATED,
    /** A record header is impossible (length out of range, bad block); the rest of the file cannot be trusted. */
    CORRUPT
}
