package io.judo.applayer.dns;

/**
 * DNS app-layer events, named as Suricata names them ({@code app-layer-event:dns.NAME}); {@link #text()} is that
 * name. A message carries them as bits by {@link #ordinal()} ({@link DnsMessage#events()}).
 */
public enum DnsEvent {
    /** A length or count runs past the message, a label type is reserved, or the header is short. */
    MALFORMED_DATA,
    /** A message towards the server has the QR (response) bit set. */
    NOT_REQUEST,
    /** A message towards the client has the QR bit clear. */
    NOT_RESPONSE,
    /** The reserved Z bit of the flags is set. */
    Z_FLAG_SET,
    /** The opcode is none of the assigned ones (0 to 6). */
    INVALID_OPCODE,
    /** A name is longer than {@link DnsParser#MAX_NAME} bytes as presented; it is cut there. */
    NAME_TOO_LONG,
    /** Following compression pointers took more than {@link DnsParser#MAX_POINTERS} jumps (a loop). */
    INFINITE_LOOP,
    /** A name has more than {@link DnsParser#MAX_LABELS} labels. */
    TOO_MANY_LABELS;

    private final String text = name().toLowerCase(java.util.Locale.ROOT);

    /** The name as rules write it after {@code dns.} ({@code malformed_data}). */
    public String text() {
        return text;
    }

    /** The bit of this event in an event mask. */
    public long bit() {
        return 1L << ordinal();
    }

    /** The event named {@code text} (as after {@code dns.}), or null. */
    public static DnsEvent named(String text) {
        for (DnsEvent e : values()) {
            if (e.text.equals(text)) {
                return e;
            }
        }
        return null;
    }
}
