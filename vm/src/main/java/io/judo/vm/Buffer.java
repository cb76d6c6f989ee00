package io.judo.vm;

import java.util.Locale;

/**
 * The buffer table: the named byte buffers a program inspects with the {@code buffer}, {@code find},
 * {@code regex} and {@code byte_read} helpers. A buffer is selected by id; the selection stays for the rest of the
 * run (Suricata's "sticky" buffers: keywords after it inspect it). Each says when it exists: per packet, per
 * reassembled stream chunk, or (the application layers, later) per transaction.
 */
public enum Buffer {
    /** The packet's payload after the transport header. */
    PAYLOAD(Scope.PACKET, false),
    /** A window on one direction of a reassembled TCP stream: the chunk's new bytes and up to 2 KiB before them. */
    STREAM(Scope.STREAM_CHUNK, false);

    /** When a buffer exists. */
    public enum Scope { PACKET, STREAM_CHUNK, TRANSACTION }

    private static final Buffer[] VALUES = values();
    private final Scope scope;
    private final boolean sticky;

    Buffer(Scope scope, boolean sticky) {
        this.scope = scope;
        this.sticky = sticky;
    }

    /** The id programs pass to the {@code buffer} helper. */
    public int id() {
        return ordinal();
    }

    public Scope scope() {
        return scope;
    }

    /** Whether a rule names it with a sticky-buffer keyword (as {@code http.uri}); the payload buffers are implicit. */
    public boolean sticky() {
        return sticky;
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The buffer with an id, or null. */
    public static Buffer of(long id) {
        return id >= 0 && id < VALUES.length ? VALUES[(int) id] : null;
    }

    /** By name, or null. */
    public static Buffer named(String name) {
        for (Buffer b : VALUES) {
            if (b.text().equals(name)) {
                return b;
            }
        }
        return null;
    }
}
