package io.judo.applayer.smtp;

import io.judo.applayer.ByteBuilder;
import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One mail, as Suricata counts SMTP transactions: from the first command after the previous mail (EHLO opens the
 * first) through the end of its DATA ({@code .} line) or last BDAT chunk, or until RSET, an accepted STARTTLS or the
 * end of the connection. Holds the arguments (smtp.helo, smtp.mail_from, smtp.rcpt_to), the message's headers and
 * its files; buffers come out of {@link #fill} as slices over the transaction's own storage, valid until
 * {@link SmtpListener#transactionDone} returns (the parser reuses the object for the next mail).
 */
public final class SmtpTransaction {
    private static final int[] NONE = new int[0];
    private static final SmtpFile[] NO_FILES = new SmtpFile[0];

    long id;
    ByteBuilder helo;
    final ByteBuilder mailFrom = new ByteBuilder();
    boolean hasMailFrom;
    final ByteBuilder rcpt = new ByteBuilder();
    int[] rcptOff = NONE;
    int[] rcptLen = NONE;
    int rcptCount;
    int rcptSeen;
    final MimeHeaders headers = new MimeHeaders();
    SmtpFile[] files = NO_FILES;
    int fileCount;
    boolean message;
    boolean bdat;
    boolean messageComplete;
    boolean reset;
    boolean tls;
    long events;

    void reset(long id, ByteBuilder helo) {
        this.id = id;
        this.helo = helo;
        mailFrom.clear();
        hasMailFrom = false;
        rcpt.clear();
        rcptCount = 0;
        rcptSeen = 0;
        headers.clear();
        fileCount = 0;
        message = false;
        bdat = false;
        messageComplete = false;
        reset = false;
        tls = false;
        events = 0;
    }

    void addRcpt(byte[] b, int off, int len, int max) {
        rcptSeen++;
        if (rcptCount == max) {
            return;
        }
        if (rcptCount == rcptOff.length) {
            int n = Math.max(4, rcptCount * 2);
            rcptOff = java.util.Arrays.copyOf(rcptOff, n);
            rcptLen = java.util.Arrays.copyOf(rcptLen, n);
        }
        rcptOff[rcptCount] = rcpt.len;
        rcptLen[rcptCount] = len;
        rcpt.add(b, off, len);
        rcptCount++;
    }

    /** @return a new file at the end of the list (reusing an earlier transaction's object), or null past max */
    SmtpFile newFile(int max) {
        if (fileCount == max) {
            return null;
        }
        if (fileCount == files.length) {
            files = java.util.Arrays.copyOf(files, Math.max(2, fileCount * 2));
        }
        SmtpFile f = files[fileCount];
        if (f == null) {
            f = files[fileCount] = new SmtpFile();
        }
        f.reset(fileCount);
        fileCount++;
        return f;
    }

    /** @return the transaction's number in its connection, from 0 */
    public long id() {
        return id;
    }

    /** @return whether DATA or BDAT content began */
    public boolean hasMessage() {
        return message;
    }

    /** @return whether the message was sent with BDAT (CHUNKING) rather than DATA */
    public boolean chunked() {
        return bdat;
    }

    /** @return whether the message's end was seen (the {@code .} line or BDAT LAST) */
    public boolean messageComplete() {
        return messageComplete;
    }

    /** @return whether the transaction ended with RSET */
    public boolean wasReset() {
        return reset;
    }

    /** @return whether the transaction ended with an accepted STARTTLS */
    public boolean startedTls() {
        return tls;
    }

    /** @param e an event @return whether it was raised in this transaction (for app-layer-event) */
    public boolean hasEvent(SmtpEvent e) {
        return (events & (1L << e.ordinal())) != 0;
    }

    /** @return RCPT TO arguments kept */
    public int rcptCount() {
        return rcptCount;
    }

    /** @return RCPT TO commands seen, kept or not */
    public int rcptSeen() {
        return rcptSeen;
    }

    /** @return files of the mail so far */
    public int fileCount() {
        return fileCount;
    }

    /** @param i index @return the i-th file */
    public SmtpFile file(int i) {
        if (i < 0 || i >= fileCount) {
            throw new IndexOutOfBoundsException(i);
        }
        return files[i];
    }

    /** @return the message's top-level headers (empty before DATA) */
    public MimeHeaders headers() {
        return headers;
    }

    /**
     * @param b a buffer
     * @return how many instances it has: for multi-buffers the count, else 1 when present and 0 when not
     */
    public int count(SmtpBuffer b) {
        return switch (b) {
            case HELO -> helo != null && helo.len > 0 ? 1 : 0;
            case MAIL_FROM -> hasMailFrom ? 1 : 0;
            case RCPT_TO -> rcptCount;
            case FILE_DATA, FILE_NAME -> fileCount;
        };
    }

    /**
     * Points out at a buffer.
     *
     * @param b the buffer
     * @param index for multi-buffers the instance (RCPT in order, file in order); ignored otherwise
     * @param out the slice to fill
     * @return false when the transaction has no such buffer (yet)
     */
    public boolean fill(SmtpBuffer b, int index, Slice out) {
        switch (b) {
            case HELO -> {
                if (helo == null || helo.len == 0) {
                    return false;
                }
                out.set(helo.a, 0, helo.len);
                return true;
            }
            case MAIL_FROM -> {
                if (!hasMailFrom) {
                    return false;
                }
                out.set(mailFrom.a, 0, mailFrom.len);
                return true;
            }
            case RCPT_TO -> {
                if (index < 0 || index >= rcptCount) {
                    return false;
                }
                out.set(rcpt.a, rcptOff[index], rcptLen[index]);
                return true;
            }
            default -> {
                if (index < 0 || index >= fileCount) {
                    return false;
                }
                if (b == SmtpBuffer.FILE_DATA) {
                    files[index].data(out);
                } else {
                    files[index].name(out);
                }
                return true;
            }
        }
    }

    private static String text(ByteBuilder b, int off, int len) {
        return new String(b.a, off, len, StandardCharsets.ISO_8859_1);
    }

    /** @return EVE smtp.helo, or null (for output, not the per-packet path) */
    public String helo() {
        return helo == null || helo.len == 0 ? null : text(helo, 0, helo.len);
    }

    /** @return EVE smtp.mail_from, or null */
    public String mailFrom() {
        return hasMailFrom ? text(mailFrom, 0, mailFrom.len) : null;
    }

    /** @return EVE smtp.rcpt_to */
    public List<String> rcptTo() {
        List<String> r = new ArrayList<>(rcptCount);
        for (int i = 0; i < rcptCount; i++) {
            r.add(text(rcpt, rcptOff[i], rcptLen[i]));
        }
        return r;
    }
}
