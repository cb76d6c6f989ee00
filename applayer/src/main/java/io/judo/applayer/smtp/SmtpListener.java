package io.judo.applayer.smtp;

/**
 * What an {@link SmtpParser} reports, in stream order. Callbacks run inside {@link SmtpParser#data}, {@link
 * SmtpParser#gap} or {@link SmtpParser#end} (a callback for one direction may come while the other direction's bytes
 * are fed: a direction that waited for the other resumes then). A transaction stays valid until {@link
 * #transactionDone} returns, after which the parser reuses it for the next mail.
 */
public interface SmtpListener {
    /** @param tx the HELO/EHLO argument is parsed ({@link SmtpBuffer#HELO}) */
    default void helo(SmtpTransaction tx) {
    }

    /** @param tx the MAIL FROM argument is parsed ({@link SmtpBuffer#MAIL_FROM}) */
    default void mailFrom(SmtpTransaction tx) {
    }

    /** @param tx a RCPT TO argument is parsed @param index its index in {@link SmtpBuffer#RCPT_TO} */
    default void rcptTo(SmtpTransaction tx, int index) {
    }

    /** @param tx the message headers are parsed (DATA or BDAT content) */
    default void messageHeaders(SmtpTransaction tx) {
    }

    /** @param tx the transaction @param file a file starts: its name and headers are known, no data yet */
    default void fileOpen(SmtpTransaction tx, SmtpFile file) {
    }

    /**
     * Decoded bytes of a file, in order (all of them, also past the content limit, for hashing).
     *
     * @param tx the transaction
     * @param file the file ({@link SmtpFile#data} holds what is kept so far)
     * @param b the decoded bytes, valid only during the call
     * @param off first byte
     * @param len number of bytes
     */
    default void fileData(SmtpTransaction tx, SmtpFile file, byte[] b, int off, int len) {
    }

    /** @param tx the transaction @param file the file is complete (or cut: {@link SmtpFile#truncated()}) */
    default void fileDone(SmtpTransaction tx, SmtpFile file) {
    }

    /**
     * The server accepted STARTTLS (220): the SMTP parser stops, the rest of the connection is TLS.
     *
     * @param clientOffset stream offset in the client's direction where TLS starts (after the STARTTLS line)
     * @param serverOffset stream offset in the server's direction where TLS starts (after the 220 reply)
     */
    default void startTls(long clientOffset, long serverOffset) {
    }

    /**
     * Bytes past the TLS start point that a direction held while it waited for the STARTTLS reply (a client that sent
     * its ClientHello without waiting), right after {@link #startTls}: the first bytes of that side's TLS.
     *
     * @param dir the direction
     * @param b the bytes, valid only during the call
     * @param off first byte
     * @param len number of bytes
     */
    default void tlsData(int dir, byte[] b, int off, int len) {
    }

    /** @param tx the mail is complete (end of DATA, last BDAT chunk, RSET, STARTTLS or the end of the connection) */
    default void transactionDone(SmtpTransaction tx) {
    }

    /**
     * An anomaly.
     *
     * @param txOrNull the transaction it belongs to, or null when none is open
     * @param dir the direction it was seen in (0 client to server)
     * @param e what was seen
     */
    void event(SmtpTransaction txOrNull, int dir, SmtpEvent e);
}
