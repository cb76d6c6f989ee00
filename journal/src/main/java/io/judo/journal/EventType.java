package io.judo.journal;

/** What a journal record says happened. Codes are stored and never reused. */
public enum EventType {
    /** Metadata, not an event: a rule's gid/sid/rev and message, written once per rule and journal. */
    RULE(0),
    ALERT(1),
    DROP(2),
    REJECT(3),
    REWRITE(4),
    REMAP(5),
    ANOMALY(6);

    private final int code;

    EventType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a stored code, or null for a code this version does not know. */
    public static EventType of(int code) {
        for (EventType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** Lower-case name, as query filters and output use it. */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
