package io.judo.applayer.ftp;

import java.nio.charset.StandardCharsets;

/**
 * The commands Suricata's FTP parser knows (its command table); a verb outside it is unknown: it still opens a
 * transaction here (so replies pair with the right command), but has no {@link FtpBuffer}. {@link #text()} is the
 * name ftp.command holds.
 */
public enum FtpCommand {
    PORT, EPRT, AUTH_TLS("AUTH TLS"), PASV, RETR, EPSV, STOR, ABOR, ACCT, ALLO, APPE, CDUP, CHMOD, CWD, DELE, HELP, IDLE,
    LIST, MAIL, MDTM, MKD, MLFL, MODE, MRCP, MRSQ, MSAM, MSND, MSOM, NLST, NOOP, PASS, PWD, QUIT, REIN, REST, RMD, RNFR,
    RNTO, SITE, SIZE, SMNT, STAT, STOU, STRU, SYST, TYPE, UMASK, USER;

    private static final FtpCommand[] VALUES = values();
    private final String text;
    private final byte[] bytes;

    FtpCommand() {
        this(null);
    }

    FtpCommand(String text) {
        this.text = text == null ? name() : text;
        this.bytes = this.text.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the name as ftp.command holds it */
    public String text() {
        return text;
    }

    byte[] bytes() {
        return bytes;
    }

    /**
     * The command a line starts with: its verb (up to the first space) equal to a name without regard to case;
     * {@code AUTH TLS} when the verb AUTH is followed by the word TLS.
     *
     * @return the command, or null for an unknown verb
     */
    static FtpCommand of(byte[] b, int off, int verbLen, int lineLen) {
        for (FtpCommand c : VALUES) {
            if (c == AUTH_TLS) {
                if (lineLen >= 8 && verbLen == 4 && same(b, off, c.bytes, 8)
                        && (lineLen == 8 || b[off + 8] == ' ')) {
                    return c;
                }
            } else if (c.bytes.length == verbLen && same(b, off, c.bytes, verbLen)) {
                return c;
            }
        }
        return null;
    }

    /** Whether a verb moves bytes over the data connection (RETR, STOR, APPE, STOU, LIST, NLST, MLSD). */
    static boolean transfer(byte[] b, int off, int verbLen) {
        return verbLen == 4 && (same(b, off, RETR.bytes, 4) || same(b, off, STOR.bytes,
                4) || same(b, off, APPE.bytes, 4) || same(b, off, STOU.bytes, 4)
                || same(b, off, LIST.bytes, 4) || same(b, off, NLST.bytes, 4)
                || same(b, off, MLSD, 4));
    }

    /** Whether a transfer verb sends the client's bytes to the server (STOR, APPE, STOU). */
    static boolean upload(byte[] b, int off) {
        return same(b, off, STOR.bytes, 4) || same(b, off, APPE.bytes, 4)
                || same(b, off, STOU.bytes, 4);
    }

    private static final byte[] MLSD = "MLSD".getBytes(StandardCharsets.US_ASCII);

    /** Whether b[off, off + n) equals the upper-case name[0, n) with b's letters in any case. */
    static boolean same(byte[] b, int off, byte[] name, int n) {
        for (int i = 0; i < n; i++) {
            int c = b[off + i];
            if ((c >= 'a' && c <= 'z' ? c - 32 : c) != name[i]) {
                return false;
            }
        }
        return true;
    }
}
