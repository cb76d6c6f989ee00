package io.judo.applayer.smtp;

/**
 * SMTP app-layer events. The names are Suricata's ({@code app-layer-event:smtp.NAME}, its smtp_decoder_event_table)
 * where it has one; the one marked "Judo" has none. {@link #text()} gives the name as rules write it. Each event is
 * reported at most once per transaction (Suricata keeps a set per transaction), and once per connection outside one.
 */
public enum SmtpEvent {
    /** A server line that is not a reply: shorter than 3 bytes or no 3-digit code 2xx-5xx; or a first reply not 220. */
    INVALID_REPLY,
    /** A server reply with no command waiting for it. */
    UNABLE_TO_MATCH_REPLY_WITH_REQUEST,
    /** A command line longer than 510 bytes (RFC 5321 4.5.3.1.4: 512 with CRLF). */
    MAX_COMMAND_LINE_LEN_EXCEEDED,
    /** A reply line longer than 510 bytes. */
    MAX_REPLY_LINE_LEN_EXCEEDED,
    /** Commands sent after DATA or STARTTLS without waiting for the reply, which then refused. */
    INVALID_PIPELINED_SEQUENCE,
    /** After a BDAT chunk the client went on with bytes that do not start a command: the chunk was longer. */
    BDAT_CHUNK_LEN_EXCEEDED,
    /** The server's first reply is not its 220 greeting while the client already sent commands. */
    NO_SERVER_WELCOME_MESSAGE,
    /** STARTTLS answered with something other than 220. */
    TLS_REJECTED,
    /** DATA answered with something other than 354. */
    DATA_COMMAND_REJECTED,
    /** The MIME structure could not be followed (multipart nesting deeper than the configured limit). */
    MIME_PARSE_FAILED,
    /** A header line without colon, a continuation line with no header, or a multipart never closed. */
    MIME_MALFORMED_MSG,
    /** A character outside the base64 alphabet, or a lone last character, in a base64 part. */
    MIME_INVALID_BASE64,
    /** An '=' not followed by two hex digits (nor ending the line) in a quoted-printable part. */
    MIME_INVALID_QP,
    /** A message line longer than 998 bytes (RFC 5322 2.1.1). */
    MIME_LONG_LINE,
    /** An encoded (base64 or quoted-printable) line longer than 76 bytes (RFC 2045 6.7, 6.8). */
    MIME_LONG_ENC_LINE,
    /** A header name longer than 75 bytes. */
    MIME_LONG_HEADER_NAME,
    /** A header value (with its continuation lines) longer than the header value limit; cut there. */
    MIME_LONG_HEADER_VALUE,
    /** A multipart boundary longer than 254 bytes. */
    MIME_LONG_BOUNDARY,
    /** A filename longer than the filename limit; cut there. */
    MIME_LONG_FILENAME,
    /** A second HELO/EHLO, or a second MAIL FROM in one transaction (the first is kept). */
    DUPLICATE_FIELDS,
    /** DATA while a BDAT message was still open (two chained mails): the first is closed as it is. */
    UNPARSABLE_CONTENT,
    /** A command or reply line longer than the line buffer; the rest of it was dropped. */
    TRUNCATED_LINE,
    /** Judo: bytes were lost in a direction; the direction resumes at the next line. */
    STREAM_GAP;

    /** @return the event's name as rules write it after {@code app-layer-event:smtp.} (Suricata matches any case) */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
