package io.judo.applayer.http;

/**
 * Suricata's HTTP sticky buffers. {@link #text()} is Suricata's name ("http.uri"; an enum constant cannot hold the
 * dot, so {@code name()} is the Java identifier); {@link #side()} says which message holds it: a {@link Side#BOTH}
 * buffer exists on both sides and {@link HttpTransaction#fill} picks one by direction.
 */
public enum HttpBuffer {
    URI("http.uri", Side.REQUEST),
    URI_RAW("http.uri.raw", Side.REQUEST),
    METHOD("http.method", Side.REQUEST),
    PROTOCOL("http.protocol", Side.REQUEST),
    REQUEST_LINE("http.request_line", Side.REQUEST),
    RESPONSE_LINE("http.response_line", Side.RESPONSE),
    START("http.start", Side.BOTH),
    HEADER("http.header", Side.BOTH),
    HEADER_RAW("http.header.raw", Side.BOTH),
    HEADER_NAMES("http.header_names", Side.BOTH),
    REQUEST_HEADER("http.request_header", Side.REQUEST),
    RESPONSE_HEADER("http.response_header", Side.RESPONSE),
    COOKIE("http.cookie", Side.BOTH),
    USER_AGENT("http.user_agent", Side.REQUEST),
    HOST("http.host", Side.REQUEST),
    HOST_RAW("http.host.raw", Side.REQUEST),
    ACCEPT("http.accept", Side.REQUEST),
    ACCEPT_ENC("http.accept_enc", Side.REQUEST),
    ACCEPT_LANG("http.accept_lang", Side.REQUEST),
    REFERER("http.referer", Side.REQUEST),
    CONNECTION("http.connection", Side.REQUEST),
    CONTENT_TYPE("http.content_type", Side.BOTH),
    CONTENT_LEN("http.content_len", Side.BOTH),
    LOCATION("http.location", Side.RESPONSE),
    SERVER("http.server", Side.RESPONSE),
    STAT_CODE("http.stat_code", Side.RESPONSE),
    STAT_MSG("http.stat_msg", Side.RESPONSE),
    REQUEST_BODY("http.request_body", Side.REQUEST),
    RESPONSE_BODY("http.response_body", Side.RESPONSE),
    FILE_DATA("file.data", Side.BOTH);

    /** Which message of a transaction a buffer comes from. */
    public enum Side {
        /** The client's request. */
        REQUEST,
        /** The server's response. */
        RESPONSE,
        /** Either; the direction picks. */
        BOTH
    }

    private static final HttpBuffer[] VALUES = values();
    private final String text;
    private final Side side;

    HttpBuffer(String text, Side side) {
        this.text = text;
        this.side = side;
    }

    /** @return Suricata's name of the buffer, e.g. "http.uri" */
    public String text() {
        return text;
    }

    /** @return the message the buffer belongs to */
    public Side side() {
        return side;
    }

    /**
     * Looks a buffer up by Suricata's name.
     *
     * @param text e.g. "http.uri" or "file.data"
     * @return the buffer, or null when no buffer has that name
     */
    public static HttpBuffer byText(String text) {
        for (HttpBuffer b : VALUES) {
            if (b.text.equals(text)) {
                return b;
            }
        }
        return null;
    }
}
