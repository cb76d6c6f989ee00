package io.judo.engine;

import io.judo.packet.capture.ReadStatus;

/**
 * What happened to one input file.
 *
 * @param name the file as the user named it
 * @param format "pcap", "pcapng", or null when the file could not be opened as a capture
 * @param packets packets read from this file
 * @param ending how the file ended: END (clean), TRUNCATED, CORRUPT, or null when it could not be read at all
 * @param problem the reason for an early end or a failure, or null
 * @param problemOffset byte offset of the problem, or -1
 * @param interrupted the scan was asked to stop ({@link CaptureScanner#stop()}) before this file's end; {@code ending}
 *     is then the status of the last read
 */
public record FileOutcome(String name, String format, long packets, ReadStatus ending, String problem,
                          long problemOffset, boolean interrupted) {

    /** An outcome of a file read until its end or its problem. */
    public FileOutcome(String name, String format, long packets, ReadStatus ending, String problem,
                       long problemOffset) {
        this(name, format, packets, ending, problem, problemOffset, false);
    }

    /** True when the file could not be read as a capture at all. */
    public boolean failed() {
        return ending == null;
    }

    /** True when every record of the file was read. */
    public boolean complete() {
        return ending == ReadStatus.END && !interrupted;
    }
}
