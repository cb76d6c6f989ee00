package io.judo.applayer.http;

/**
 * HTTP app-layer events. The names are Suricata's ({@code app-layer-event:http.NAME}) where it has one; {@link
 * #text()} gives the name as rules write it (Java identifiers cannot start with a digit, so {@link
 * #CONTINUE_100_ALREADY_SEEN} is "100_CONTINUE_ALREADY_SEEN"). The few marked "Judo" have no Suricata name.
 */
public enum HttpEvent {
    UNKNOWN_ERROR,
    GZIP_DECOMPRESSION_FAILED,
    REQUEST_FIELD_MISSING_COLON,
    RESPONSE_FIELD_MISSING_COLON,
    INVALID_REQUEST_CHUNK_LEN,
    INVALID_RESPONSE_CHUNK_LEN,
    INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST,
    INVALID_TRANSFER_ENCODING_VALUE_IN_RESPONSE,
    INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST,
    INVALID_CONTENT_LENGTH_FIELD_IN_RESPONSE,
    DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST,
    DUPLICATE_CONTENT_LENGTH_FIELD_IN_RESPONSE,
    /** Suricata's "100_CONTINUE_ALREADY_SEEN". */
    CONTINUE_100_ALREADY_SEEN("100_CONTINUE_ALREADY_SEEN"),
    UNABLE_TO_MATCH_RESPONSE_TO_REQUEST,
    REQUEST_HEADER_INVALID,
    RESPONSE_HEADER_INVALID,
    MISSING_HOST_HEADER,
    HOST_HEADER_AMBIGUOUS,
    INVALID_REQUEST_FIELD_FOLDING,
    INVALID_RESPONSE_FIELD_FOLDING,
    REQUEST_FIELD_TOO_LONG,
    RESPONSE_FIELD_TOO_LONG,
    REQUEST_LINE_INVALID,
    REQUEST_BODY_UNEXPECTED,
    REQUEST_HEADER_REPETITION,
    RESPONSE_HEADER_REPETITION,
    METHOD_DELIM_NON_COMPLIANT,
    URI_DELIM_NON_COMPLIANT,
    REQUEST_LINE_LEADING_WHITESPACE,
    TOO_MANY_ENCODING_LAYERS,
    ABNORMAL_CE_HEADER,
    RESPONSE_ABNORMAL_TRANSFER_ENCODING,
    RESPONSE_CHUNKED_OLD_PROTO,
    RESPONSE_INVALID_PROTOCOL,
    RESPONSE_INVALID_STATUS,
    REQUEST_LINE_INCOMPLETE,
    COMPRESSION_BOMB,
    REQUEST_TOO_MANY_HEADERS,
    RESPONSE_TOO_MANY_HEADERS,
    /** Judo: both Content-Length and Transfer-Encoding (Transfer-Encoding wins, as in libhtp; a smuggling sign). */
    CONTENT_LENGTH_AND_TRANSFER_ENCODING,
    /** Judo: bytes were lost in a direction; the parser skipped to the next message it could recognise. */
    STREAM_GAP,
    /** Judo: an invalid %-encoding in the URI path, left as it was (libhtp's preserve-percent default). */
    URI_INVALID_ENCODING;

    private final String text;

    HttpEvent() {
        this.text = name();
    }

    HttpEvent(String text) {
        this.text = text;
    }

    /** @return the event's name as rules write it after {@code app-layer-event:http.} */
    public String text() {
        return text;
    }
}
