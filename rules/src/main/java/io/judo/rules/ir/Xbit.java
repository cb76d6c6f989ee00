package io.judo.rules.ir;

/**
 * {@code xbits:CMD,NAME,track TRACK[,expire SECONDS]}: a bit kept per host (the packet's source or destination
 * address) or per address pair (the two addresses, in either order), not per flow, so one flow can set what another
 * checks. {@code set} and {@code toggle} give the bit a lifetime of {@code expire} seconds of packet time (Suricata's
 * default 30); {@code isset} and {@code isnotset} test it at the packet's time.
 *
 * @param command set, unset, toggle, isset or isnotset
 */
public record Xbit(String command, String name, Track track, long expireSeconds) {
    /** Suricata's lifetime of a bit set without {@code expire}. */
    public static final long DEFAULT_EXPIRE = 30;

    /** Where the bit is kept. */
    public enum Track {
        /** The packet's source host. */
        IP_SRC,
        /** The packet's destination host. */
        IP_DST,
        /** The packet's two addresses, unordered. */
        IP_PAIR;

        /** Whether the bit lives in the host table (source and destination share it) rather than the pair table. */
        public boolean host() {
            return this != IP_PAIR;
        }
    }

    /** Whether the command changes the bit (it then runs only once the rest of the rule matched). */
    public boolean changes() {
        return command.equals("set") || command.equals("unset") || command.equals("toggle");
    }
}
