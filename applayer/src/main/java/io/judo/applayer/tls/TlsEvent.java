package io.judo.applayer.tls;

/**
 * TLS app-layer events. The names are Suricata's ({@code app-layer-event:tls.NAME}, lower case in rules) where it has
 * one; the few marked "Judo" have no Suricata name. {@link #text()} gives the name as rules write it.
 */
public enum TlsEvent {
    /** An SSLv2 record header that cannot be one (a length too short for its message). */
    INVALID_SSLV2_HEADER,
    /** Bytes that cannot start a TLS record where one must start. */
    INVALID_TLS_HEADER,
    /** A record version that is not SSLv3 or TLS 1.0-1.3 (fatal for the direction, as in Suricata). */
    INVALID_RECORD_VERSION,
    /** A record content type other than 20-24 (fatal for the direction). */
    INVALID_RECORD_TYPE,
    /** A record of length 0 or above 2^14 + 1024 (fatal for the direction). */
    INVALID_RECORD_LENGTH,
    /** A handshake message type TLS does not define, in clear. */
    INVALID_HANDSHAKE_MESSAGE,
    /** A heartbeat record (RFC 6520) was seen. */
    HEARTBEAT_MESSAGE,
    /** A heartbeat record in clear too short to hold its header. */
    INVALID_HEARTBEAT_MESSAGE,
    /** A heartbeat request in clear whose payload length exceeds its record (the Heartbleed pattern). */
    OVERFLOW_HEARTBEAT_MESSAGE,
    /** A hello whose fields overrun the message (or lists of odd length). */
    HANDSHAKE_INVALID_LENGTH,
    /** A ClientHello with more than one server_name extension. */
    MULTIPLE_SNI_EXTENSIONS,
    /** A server_name entry whose type is not host_name (0). */
    INVALID_SNI_TYPE,
    /** A server_name entry longer than its extension. */
    INVALID_SNI_LENGTH,
    /** More than 255 records in one piece of stream data (Suricata: in one packet). */
    TOO_MANY_RECORDS_IN_PACKET,
    /** An alert record in clear that is not two bytes. */
    INVALID_ALERT_MESSAGE,
    /** A Certificate message whose certificate lengths overrun it. */
    INVALID_CERTIFICATE,
    /** A certificate the X.509 decoder rejected (truncated or not DER). */
    CERTIFICATE_INVALID_DER,
    /** A certificate whose subject name could not be formatted. */
    CERTIFICATE_INVALID_SUBJECT,
    /** A certificate whose issuer name could not be formatted. */
    CERTIFICATE_INVALID_ISSUER,
    /** An SSLv2 ERROR message. */
    ERROR_MESSAGE_ENCOUNTERED,
    /** Judo: bytes were lost in a direction; the record framing is lost and the direction is not parsed further. */
    STREAM_GAP,
    /** Judo: a handshake message longer than {@link TlsConfig#maxHandshakeMessage()}; skipped unparsed. */
    HANDSHAKE_MESSAGE_TOO_LONG;

    /** @return the event's name as rules write it after {@code app-layer-event:tls.} (Suricata matches any case) */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
