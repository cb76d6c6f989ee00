package io.judo.applayer.ftp;

/**
 * FTP app-layer events. The names are Suricata's ({@code app-layer-event:ftp.NAME}) where it has one; those marked
 * "Judo" have none. {@link #text()} gives the name as rules write it. Each is kept at most once per transaction and
 * once per connection outside one.
 */
public enum FtpEvent {
    /** A command line longer than {@link FtpConfig#maxLine()}: read from its first bytes, the rest dropped. */
    REQUEST_COMMAND_TOO_LONG,
    /** A reply line longer than {@link FtpConfig#maxLine()}. */
    RESPONSE_COMMAND_TOO_LONG,
    /** Judo: a server line that is neither a reply (3 digits, then a space, a '-' or the end) nor inside one. */
    INVALID_REPLY,
    /** Judo: more than {@link FtpConfig#maxTransactions()} commands wait for replies; the oldest is done without one. */
    TOO_MANY_TRANSACTIONS,
    /** Judo: bytes were lost in a direction; it resumes at the next line. */
    STREAM_GAP;

    /** @return the event's name as rules write it after {@code app-layer-event:ftp.} */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
