package io.judo.reassembly;

import java.util.Locale;

/**
 * Which bytes win where a new segment overlaps bytes that wait (received, not yet delivered): target-based
 * reassembly, after Novak and Sturges (2007), with the rules Suricata applies per operating system (its
 * stream-tcp-list.c overlap handling; {@code SuricataOverlapVectorsTest} plays its stream-tcp-list.c vectors).
 *
 * <p>The decision compares the new segment N with the original extent of a waiting segment O under the byte, whether
 * or not their bytes differ:
 * <ul>
 *   <li>{@code last}: N always wins; {@code first} and {@code vista}: O always wins;</li>
 *   <li>N starts where O starts: N wins if it ends where O ends (old-linux, solaris, hpux11) or beyond it (also
 *       linux); never when it ends first;</li>
 *   <li>N starts before O: N wins for bsd, hpux10, irix, windows, win2003, old-linux, linux, macos; for solaris and
 *       hpux11 only when N reaches O's end;</li>
 *   <li>N starts after O: N wins only for solaris and hpux11, and only when N ends beyond O.</li>
 * </ul>
 * As in Suricata, N replaces a waiting byte only where it wins against every waiting segment under that byte. Each
 * policy orders segments consistently (by start, then end, for the bsd and linux families; by end, then start, for
 * solaris), so {@link TcpStream} keeps one extent per waiting stretch, the winner's, and compares N with that alone;
 * an overlap that repeats the bytes leaves the winner's extent in place.
 *
 * <p>Bytes already delivered never change; a retransmission that disagrees with them raises
 * {@link StreamEvent#OVERLAP_DIFFERENT_DATA}. Judo delivers in-order bytes as they arrive, as the receiving host
 * accepts them; Suricata holds them until acknowledged and inspected, so where its vectors let a later segment replace
 * bytes of an in-order segment (linux, old-linux, solaris, hpux11 and last), Judo keeps them.
 * {@code bsd-right} is a fragment-reassembly policy; for TCP it behaves as {@code bsd}, as in Suricata.
 */
public enum OverlapPolicy {
    FIRST, LAST, BSD, BSD_RIGHT, LINUX, OLD_LINUX, WINDOWS, WIN2003, VISTA, SOLARIS, HPUX10, HPUX11, IRIX, MACOS;

    /** The policy's name as users write it ("old-linux", "bsd-right"). */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** By name, or an IllegalArgumentException listing them all. */
    public static OverlapPolicy named(String name) {
        for (OverlapPolicy p : values()) {
            if (p.text().equals(name)) {
                return p;
            }
        }
        StringBuilder all = new StringBuilder();
        for (OverlapPolicy p : values()) {
            all.append(all.length() == 0 ? "" : ", ").append(p.text());
        }
        throw new IllegalArgumentException("unknown overlap policy '" + name + "' (one of: " + all + ")");
    }

    /**
     * True when the new segment [ns, ne) wins over the waiting segment whose original extent is [os, oe) where they
     * overlap (asked whether or not the bytes differ: the winner's extent is what later overlaps are judged against).
     */
    boolean newWins(long ns, long ne, long os, long oe) {
        switch (this) {
            case LAST:
                return true;
            case FIRST:
            case VISTA:
                return false;
            default:
                break;
        }
        if (ns == os) {
            if (ne < oe) {
                return false;
            }
            boolean sameEnd = ne == oe;
            switch (this) {
                case OLD_LINUX: case SOLARIS: case HPUX11: return true;
                case LINUX: return !sameEnd;
                default: return false;
            }
        }
        if (ns < os) {
            switch (this) {
                case BSD: case BSD_RIGHT: case HPUX10: case IRIX: case WINDOWS: case WIN2003: case OLD_LINUX:
                case LINUX: case MACOS:
                    return true;
                case SOLARIS: case HPUX11:
                    return ne >= oe;
                default:
                    return false;
            }
        }
        return (this == SOLARIS || this == HPUX11) && ne > oe;
    }
}
