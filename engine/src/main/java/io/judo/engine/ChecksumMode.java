package io.judo.engine;

import java.util.Locale;

/**
 * Whether IP/TCP/UDP/ICMP checksums are validated (a TCP segment with a bad one is left out of stream reassembly, as
 * the receiving host would drop it). {@link #AUTO} is Suricata's {@code checksum-checks: auto} for capture files:
 * validate unless a capture's first TCP/UDP packets look like checksum offloading (see {@link ChecksumDecision}).
 */
public enum ChecksumMode {
    AUTO, ON, OFF;

    /** The mode named {@code auto}, {@code on} or {@code off} (any case), or null. */
    public static ChecksumMode named(String name) {
        for (ChecksumMode m : values()) {
            if (m.text().equalsIgnoreCase(name.strip())) {
                return m;
            }
        }
        return null;
    }

    /** The name as the option takes it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
