package io.judo.applayer.ssh;

/**
 * What an {@link SshParser} reports, in stream order: the points the engine inspects at. Callbacks run inside
 * {@link SshParser#data}, {@link SshParser#gap} or {@link SshParser#end}; the session is the parser's and stays valid
 * until {@link SshParser#reset()}.
 */
public interface SshListener {
    /**
     * A direction's identification string was read: {@link SshBuffer#PROTO} and {@link SshBuffer#SOFTWARE} are ready
     * for it (Suricata's progress "banner_done").
     *
     * @param s the session
     * @param dir 0 client, 1 server
     */
    default void banner(SshSession s, int dir) {
    }

    /**
     * A direction's first KEXINIT was read: its name-lists and, with hassh on, its hassh string and hash are ready.
     *
     * @param s the session
     * @param dir 0 client (ssh.hassh), 1 server (ssh.hassh.server)
     */
    default void kexinit(SshSession s, int dir) {
    }

    /**
     * A direction sent NEWKEYS: what follows is encrypted and only counted. When both directions are, the session is
     * {@link SshSession#finished()} (Suricata's "finished": the point its EVE ssh record is written).
     *
     * @param s the session
     * @param dir the direction
     */
    default void encrypted(SshSession s, int dir) {
    }

    /**
     * An anomaly.
     *
     * @param s the session
     * @param dir the direction it was seen in
     * @param e what was seen
     */
    void event(SshSession s, int dir, SshEvent e);
}
