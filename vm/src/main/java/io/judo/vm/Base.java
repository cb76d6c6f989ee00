package io.judo.vm;

/**
 * Where a packet load counts its offset from. Loads are network byte order and bounded by the captured bytes; a base
 * the packet does not have (no transport header, say) makes the load fail like an out-of-bounds one.
 */
public enum Base {
    /** The first byte of the frame (link header). */
    PKT,
    /** The network header (IPv4/IPv6), as the decoder found it. */
    L3,
    /** The transport header. */
    L4,
    /** The payload after the transport header. */
    PAYLOAD;

    private static final Base[] VALUES = values();

    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Base of(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }
}
