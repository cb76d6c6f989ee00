package io.judo.applayer.ftp;

/**
 * What an {@link FtpParser} reports, in stream order. Callbacks run inside {@link FtpParser#data}, {@link
 * FtpParser#gap} or {@link FtpParser#end}. A transaction stays valid until {@link #transactionDone} returns, after
 * which the parser reuses it for a later command.
 */
public interface FtpListener {
    /** @param tx a command line was read: its {@link FtpBuffer}s are ready (no reply yet) */
    default void command(FtpTransaction tx) {
    }

    /** @param tx a whole reply (all lines of a multi-line one) was added to tx: its code is the last completion code */
    default void reply(FtpTransaction tx) {
    }

    /**
     * A data connection was announced: by the server's 2xx to PORT or EPRT, or by its 227 to PASV or 229 to EPSV.
     *
     * @param tx the announcing command's transaction
     * @param channel the channel (kept by the parser until a transfer command uses it or another replaces it)
     */
    default void dataChannel(FtpTransaction tx, FtpDataChannel channel) {
    }

    /**
     * A transfer command (RETR, STOR, APPE, STOU, LIST, NLST, MLSD) was sent while a channel was announced: the
     * channel now tells its command, file name and direction; the parser forgets it (a new transfer needs a new
     * announcement, as Suricata reads it).
     *
     * @param tx the transfer command's transaction
     * @param channel the channel
     */
    default void transfer(FtpTransaction tx, FtpDataChannel channel) {
    }

    /** @param tx the command got its final reply, or the connection ended without one ({@link FtpTransaction#replyReceived()}) */
    default void transactionDone(FtpTransaction tx) {
    }

    /** The server accepted AUTH TLS (234): the rest of the connection is TLS and is not read. */
    default void tls() {
    }

    /**
     * An anomaly.
     *
     * @param txOrNull the transaction it belongs to, or null
     * @param dir the direction it was seen in (0 client to server)
     * @param e what was seen
     */
    void event(FtpTransaction txOrNull, int dir, FtpEvent e);
}
