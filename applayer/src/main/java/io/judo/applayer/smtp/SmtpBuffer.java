package io.judo.applayer.smtp;

/**
 * Suricata's SMTP sticky buffers and the file buffers SMTP feeds. {@link #text()} is Suricata's name;
 * {@link #multi()} says whether the buffer has one instance per index (one per RCPT, one per file).
 */
public enum SmtpBuffer {
    /** The HELO/EHLO argument of the connection (served on every transaction, as Suricata does). */
    HELO("smtp.helo", false),
    /** The first MAIL FROM argument of the transaction, angle brackets included. */
    MAIL_FROM("smtp.mail_from", false),
    /** Multi-buffer: each RCPT TO argument in order, angle brackets included. */
    RCPT_TO("smtp.rcpt_to", true),
    /** Multi-buffer: each file's decoded bytes (up to the content limit). */
    FILE_DATA("file.data", true),
    /** Multi-buffer: each file's name. */
    FILE_NAME("file.name", true);

    private final String text;
    private final boolean multi;

    SmtpBuffer(String text, boolean multi) {
        this.text = text;
        this.multi = multi;
    }

    /** @return the keyword as rules write it */
    public String text() {
        return text;
    }

    /** @return whether the buffer is a multi-buffer (indexed) */
    public boolean multi() {
        return multi;
    }
}
