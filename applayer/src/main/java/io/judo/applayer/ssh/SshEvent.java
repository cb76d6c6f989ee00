package io.judo.applayer.ssh;

/**
 * SSH app-layer events. The names are Suricata's ({@code app-layer-event:ssh.NAME}) where it has one; those marked
 * "Judo" have no Suricata name. {@link #text()} gives the name as rules write it.
 */
public enum SshEvent {
    /**
     * The first line of the client, or the server's first line starting with "SSH-", is not
     * {@code SSH-protoversion-softwareversion}; or the server sent more than {@link SshConfig#maxPreBanner()} bytes
     * of other lines before its banner. The direction is not parsed further (Suricata treats it as fatal).
     */
    INVALID_BANNER,
    /** A banner line of {@link SshConfig#maxBanner()} bytes or more (CR LF not counted); it is still read. */
    LONG_BANNER,
    /** A binary packet whose packet_length is below 2 (no room for padding_length and a message code); fatal. */
    INVALID_RECORD,
    /** A KEXINIT longer than {@link SshConfig#maxKexRecord()}: skipped, no hassh for that direction. */
    LONG_KEX_RECORD,
    /** Judo: a KEXINIT whose name-lists overrun it: no hassh for that direction (Suricata is silent). */
    INVALID_KEXINIT,
    /** Judo: bytes were lost in a direction still in clear; framing is lost and the direction is not parsed. */
    STREAM_GAP;

    /** @return the event's name as rules write it after {@code app-layer-event:ssh.} */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
