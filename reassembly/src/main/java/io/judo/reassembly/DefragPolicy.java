package io.judo.reassembly;

import java.util.Locale;

/**
 * Which bytes win where IP fragments of one datagram overlap: the target-based fragment-reassembly family of
 * Novak and Sturges (2007), with operating-system names mapped onto it the way Suricata maps them.
 *
 * <p>A new fragment N = [ns, ne) is compared with each fragment O = [os, oe) already holding bytes it overlaps:
 * <ul>
 *   <li>{@code first}: O wins; {@code last}: N wins;</li>
 *   <li>{@code bsd}: N wins when it starts before O; {@code linux}: also when it starts where O starts;</li>
 *   <li>{@code bsd-right}: the mirror image of bsd, N wins when it ends after O;</li>
 *   <li>{@code windows}: N wins only when it starts before O and ends after it;</li>
 *   <li>{@code solaris}: N wins only when it starts before O and reaches at least O's end.</li>
 * </ul>
 * These reproduce, for first, last, bsd, linux, windows and solaris, the outcomes of the Novak and Sturges
 * fragment scenario that Suricata's tests publish. Suricata leaves bsd-right unimplemented (it falls back to
 * copying in offset order) and no published outcome was found for it: ours is the reading above, unverified.
 */
public enum DefragPolicy {
    FIRST, LAST, BSD, BSD_RIGHT, LINUX, WINDOWS, SOLARIS;

    /** The policy's name as users write it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The fragment policy for a stream {@link OverlapPolicy} (the operating-system name of the target). */
    public static DefragPolicy of(OverlapPolicy os) {
        switch (os) {
            case FIRST: case HPUX11: case MACOS: return FIRST;
            case LAST: return LAST;
            case BSD_RIGHT: return BSD_RIGHT;
            case LINUX: case OLD_LINUX: return LINUX;
            case WINDOWS: case WIN2003: case VISTA: return WINDOWS;
            case SOLARIS: return SOLARIS;
            default: return BSD; // bsd, hpux10, irix
        }
    }

    /** True when new fragment [ns, ne) wins over the held fragment [os, oe) on the bytes they share. */
    boolean newWins(int ns, int ne, int os, int oe) {
        switch (this) {
            case FIRST: return false;
            case LAST: return true;
            case BSD: return ns < os;
            case BSD_RIGHT: return ne > oe;
            case LINUX: return ns <= os;
            case WINDOWS: return ns < os && ne > oe;
            default: return ns < os && ne >= oe; // SOLARIS
        }
    }
}
