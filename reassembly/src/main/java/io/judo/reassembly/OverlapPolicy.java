package io.judo.reassembly;

import java.util.Locale;

/**
 * Which bytes win where a new segment overlaps bytes already received but not yet delivered (target-based
 * reassembly: the destination host's operating system decides, so an IDS must decide as it does). Bytes already
 * delivered never change; a retransmission that disagrees with them raises {@link StreamEvent#OVERLAP_DIFFERENT_DATA}.
 *
 * <p>Implemented so far: {@link #FIRST} (the first copy wins, as BSD-derived and Windows stacks do for the common
 * cases) and {@link #LAST} (the newest copy wins). The other target policies of Snort and Suricata (bsd, bsd-right,
 * linux, old-linux, windows, win2003, vista, solaris, hpux10, hpux11, irix, macos) are not implemented yet and are
 * refused by {@link #named}.
 */
public enum OverlapPolicy {
    FIRST, LAST;

    /** By name, or an IllegalArgumentException naming the policies available. */
    public static OverlapPolicy named(String name) {
        for (OverlapPolicy p : values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown or not yet implemented overlap policy '" + name
                + "' (available: first, last)");
    }
}
