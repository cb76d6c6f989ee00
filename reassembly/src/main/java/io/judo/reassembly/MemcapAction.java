package io.judo.reassembly;

import java.util.Locale;

/** What reassembly does with a flow whose out-of-order data would take the global buffer past its memcap. */
public enum MemcapAction {
    /** Refuse the segment; the flow goes on (a later retransmission may still fill the hole). */
    DROP,
    /** Stop reassembling the flow: deliver what it holds (holes declared) and ignore its later data. */
    STOP,
    /** As STOP, and mark the flow {@link Flow#bypassed() bypassed} so consumers stop inspecting it too. */
    BYPASS;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** By name, or an IllegalArgumentException listing them. */
    public static MemcapAction named(String name) {
        for (MemcapAction a : values()) {
            if (a.text().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown memcap action '" + name + "' (one of: drop, stop, bypass)");
    }
}
