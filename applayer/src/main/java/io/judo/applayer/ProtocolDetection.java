package io.judo.applayer;

import java.nio.charset.StandardCharsets;

/**
 * Content-based protocol detection for one TCP flow, both directions. Each protocol judges each direction's first
 * bytes (yes, no, or not decided yet); the flow is the first protocol a direction says yes to, in the order below.
 * <ul>
 *   <li>HTTP: the first bytes (after any empty lines) are a known method, a space and a request target, or an
 *   {@code HTTP/1.} status line (a flow picked up mid-response shows only the status line).</li>
 *   <li>DNS over TCP: a 2-byte length of at least a header, then a header that fits the direction: towards the server
 *   QR clear and 1 to 16 questions, towards the client QR set; an assigned opcode, Z clear, small counts, and a first
 *   label length or pointer where the first name starts ({@link #judgeDns}).</li>
 *   <li>TLS and SSL: a record header with a known content type, version 3.0-3.4 and a sane length (a handshake
 *   record starting with a hello), or an SSLv2 hello ({@link io.judo.applayer.tls.TlsProbe}). A start both TLS
 *   and DNS-over-TCP accept (the DNS judge reads 0x16 0x03 as a length) is TLS, whose check is the stricter.</li>
 *   <li>SSH: a direction starts with {@code SSH-}, the identification string both sides send first (RFC 4253).</li>
 *   <li>SMTP: the client's first command is {@code EHLO} or {@code HELO} (any case, RFC 5321).</li>
 *   <li>FTP: the server's first bytes are a reply code ({@code 220 } or {@code 220-}) and the client's first command
 *   is one only FTP sends first ({@code USER}, {@code PASS}, {@code AUTH TLS}/{@code SSL}, {@code FEAT},
 *   {@code SYST}, {@code OPTS}...). Both sides are needed: POP3's client also says {@code USER}, but its server
 *   greets with {@code +OK}. A reply code alone leaves the flow undecided (SMTP servers greet with 220 too) until
 *   the client speaks.</li>
 * </ul>
 * A direction every protocol says no to is "nothing known"; the flow is {@link AppProto#FAILED} when every direction
 * that has spoken is nothing known and either both have spoken or one has sent {@link #FAIL_AFTER} bytes. Ports play
 * no part here: they are hints for the caller, never the decision. Holds 2 x 16 bytes of prefix per protocol family
 * (HTTP's skips empty lines, DNS's is raw).
 */
public final class ProtocolDetection {
    /** Bytes a lone non-HTTP direction may send before detection gives up. */
    public static final int FAIL_AFTER = 512;
    private static final int PREFIX = 16;
    private static final byte[][] METHODS = names("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE",
        "CONNECT", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT",
        "SUBSCRIBE", "UNSUBSCRIBE", "NOTIFY", "MERGE", "CHECKOUT", "MKACTIVITY", "POLL", "BCOPY", "BDELETE", "BMOVE",
        "BPROPFIND", "BPROPPATCH");
    private static final byte[] STATUS = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

    private static final int OPEN = 0;
    private static final int YES = 1;
    private static final int NO = 2;
    /** {@link #judgeText}'s kinds of start, beside OPEN and NO. */
    static final int TEXT_SSH = 3;
    static final int TEXT_SMTP = 4;
    static final int TEXT_FTP = 5;
    static final int TEXT_REPLY = 6;
    private static final byte[][] FTP_FIRST = names("USER ", "PASS ", "AUTH TLS", "AUTH SSL", "FEAT\r", "SYST\r",
        "OPTS ", "PORT ", "PASV\r", "EPSV", "EPRT ", "ACCT ");
    private static final byte[][] SMTP_FIRST = names("EHLO ", "HELO ");

    /** HTTP's prefix of each direction (empty lines skipped), then DNS's (raw): one array, as this lives per flow. */
    private final byte[] prefix = new byte[4 * PREFIX];
    private int rawLen0;
    private int rawLen1;
    private byte dns0;
    private byte dns1;
    private byte tls0;
    private byte tls1;
    /** The text protocols' judgement of each direction's raw start: OPEN, NO, or one of the TEXT_* kinds. */
    private byte text0;
    private byte text1;
    // per direction, in fields rather than small arrays: this object lives as long as its flow
    private int prefixLen0;
    private int prefixLen1;
    private long seen0;
    private long seen1;
    private byte verdict0;
    private byte verdict1;
    private AppProto result = AppProto.UNKNOWN;

    private static byte[][] names(String... s) {
        byte[][] r = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[i].getBytes(StandardCharsets.US_ASCII);
        }
        return r;
    }

    /**
     * Offers in-order bytes of one direction.
     *
     * @param dir 0 client to server, 1 server to client
     * @param b the bytes (read during the call only)
     * @param off first byte
     * @param len number of bytes
     * @return the flow's protocol so far; {@link AppProto#UNKNOWN} while more bytes are needed
     */
    public AppProto offer(int dir, byte[] b, int off, int len) {
        if (result != AppProto.UNKNOWN || len <= 0) {
            return result;
        }
        int d = dir & 1;
        if (d == 0) {
            seen0 += len;
        } else {
            seen1 += len;
        }
        if (verdict(d) == OPEN) {
            int base = d * PREFIX;
            int n = d == 0 ? prefixLen0 : prefixLen1;
            for (int i = off; i < off + len && n < PREFIX; i++) {
                byte c = b[i];
                if (n == 0 && (c == '\r' || c == '\n')) {
                    continue; // empty lines before a message are tolerated, as by libhtp
                }
                prefix[base + n++] = c;
            }
            byte v = (byte) judge(prefix, base, n);
            if (d == 0) {
                prefixLen0 = n;
                verdict0 = v;
            } else {
                prefixLen1 = n;
                verdict1 = v;
            }
        }
        boolean dnsOpen = (d == 0 ? dns0 : dns1) == OPEN;
        boolean tlsOpen = (d == 0 ? tls0 : tls1) == OPEN;
        boolean textOpen = (d == 0 ? text0 : text1) == OPEN;
        if (dnsOpen || tlsOpen || textOpen) {
            // DNS, TLS and the text protocols judge the same raw prefix (TLS needs at most 7 bytes of it)
            int base = (2 + d) * PREFIX;
            int n = d == 0 ? rawLen0 : rawLen1;
            int take = Math.min(len, PREFIX - n);
            System.arraycopy(b, off, prefix, base + n, take);
            n += take;
            byte dns = dnsOpen ? (byte) judgeDns(d, prefix, base, n) : (d == 0 ? dns0 : dns1);
            byte tls = tlsOpen ? (byte) judgeTls(prefix, base, n) : (d == 0 ? tls0 : tls1);
            byte text = textOpen ? (byte) judgeText(d, prefix, base, n) : (d == 0 ? text0 : text1);
            if (d == 0) {
                rawLen0 = n;
                dns0 = dns;
                tls0 = tls;
                text0 = text;
            } else {
                rawLen1 = n;
                dns1 = dns;
                tls1 = tls;
                text1 = text;
            }
        }
        if (verdict0 == YES || verdict1 == YES) {
            result = AppProto.HTTP;
        } else if (tls0 == YES || tls1 == YES) {
            result = AppProto.TLS;
        } else if (dns0 == YES || dns1 == YES) {
            result = AppProto.DNS;
        } else if (text0 == TEXT_SSH || text1 == TEXT_SSH) {
            result = AppProto.SSH;
        } else if (text0 == TEXT_SMTP) {
            result = AppProto.SMTP;
        } else if (text0 == TEXT_FTP && text1 == TEXT_REPLY) {
            result = AppProto.FTP;
        } else if (failed(0) && failed(1)) {
            result = AppProto.FAILED;
        }
        return result;
    }

    /**
     * NO when every protocol rules the direction out, else OPEN. An undecided DNS start counts as no once the other
     * direction has spoken too: a DNS client sends its whole query before the server says anything, so a short start
     * still undecided then is no DNS message.
     */
    private int nothingKnown(int d) {
        int http = d == 0 ? verdict0 : verdict1;
        int dns = d == 0 ? dns0 : dns1;
        boolean dnsOut = dns == NO || (dns == OPEN && seen(d ^ 1) > 0);
        int tls = d == 0 ? tls0 : tls1;
        return http == NO && dnsOut && tls == NO && textOut(d) ? NO : OPEN;
    }

    /**
     * Whether the text protocols rule direction {@code d} out: it starts with nothing they know, or with a reply
     * code or an FTP command whose other half (the client's command, the server's reply) did not come.
     */
    private boolean textOut(int d) {
        int t = d == 0 ? text0 : text1;
        int other = d == 0 ? text1 : text0;
        return switch (t) {
            case NO -> true;
            case TEXT_REPLY -> seen(d ^ 1) > 0 && other != OPEN;
            case TEXT_FTP -> other != OPEN && other != TEXT_REPLY;
            case OPEN -> false;
            default -> false;
        };
    }

    private int verdict(int d) {
        return d == 0 ? verdict0 : verdict1;
    }

    private long seen(int d) {
        return d == 0 ? seen0 : seen1;
    }

    private boolean failed(int d) {
        int other = d ^ 1;
        if (nothingKnown(d) == NO) {
            return nothingKnown(other) == NO || (seen(other) == 0 && seen(d) >= FAIL_AFTER);
        }
        return seen(d) == 0 && nothingKnown(other) == NO && seen(other) >= FAIL_AFTER;
    }

    /** @return the flow's protocol so far */
    public AppProto result() {
        return result;
    }

    /**
     * Whether bytes can start an HTTP request (known method, space, a target) or status line; parsers use it to
     * find the next message after lost bytes.
     *
     * @param p the bytes
     * @param off first byte
     * @param n number of bytes
     * @return 1 yes, 2 no, 0 not decided by these bytes
     */
    public static int judge(byte[] p, int off, int n) {
        if (n == 0) {
            return OPEN;
        }
        boolean open = false;
        int k = Math.min(n, STATUS.length);
        if (regionEquals(p, off, STATUS, k)) {
            if (n >= STATUS.length) {
                return YES;
            }
            open = true;
        }
        for (byte[] m : METHODS) {
            int need = m.length + 2;
            int cmp = Math.min(n, m.length);
            if (!regionEquals(p, off, m, cmp)) {
                continue;
            }
            if (n <= m.length) {
                open = true;
                continue;
            }
            if (p[off + m.length] != ' ') {
                continue;
            }
            if (n < need) {
                open = true;
                continue;
            }
            byte t = p[off + m.length + 1];
            if (t != ' ' && t != '\r' && t != '\n' && t != '\t') {
                return YES;
            }
        }
        return open ? OPEN : NO;
    }

    /**
     * Whether a TCP direction's first bytes can start a DNS message: a 2-byte length of at least a header, then a
     * header fitting the direction (towards the server: QR clear, 1 to 16 questions, at most 16 records per section;
     * towards the client: QR set, at most 16 questions and 512 records per section), an assigned opcode other than
     * 3, the Z bit clear, room in the length for the questions, and a label length or pointer at the first name.
     *
     * @param dir 0 towards the server
     * @param p the direction's first bytes
     * @param off first byte
     * @param n number of bytes (up to 16 are looked at)
     * @return 1 yes, 2 no, 0 not decided by these bytes
     */
    public static int judgeDns(int dir, byte[] p, int off, int n) {
        if (n < 2) {
            return OPEN;
        }
        int len = u16(p, off);
        if (len < 12) {
            return NO;
        }
        // each field is judged as soon as its bytes are in, so a short non-DNS start is ruled out early
        if (n >= 6) {
            int flags = u16(p, off + 4);
            boolean qr = (flags & 0x8000) != 0;
            int opcode = (flags >>> 11) & 0xF;
            if (qr != (dir != 0) || opcode > 6 || opcode == 3 || (flags & 0x0040) != 0) {
                return NO;
            }
        }
        if (n >= 8) {
            int qd = u16(p, off + 6);
            if ((dir == 0 && qd == 0) || qd > 16 || len < 12 + 5 * qd) {
                return NO;
            }
        }
        int records = dir == 0 ? 16 : 512;
        for (int s = 0; s < 3 && n >= 10 + 2 * s; s++) {
            if (u16(p, off + 8 + 2 * s) > records) {
                return NO;
            }
        }
        if (n > 14 && len > 12) {
            int c = p[off + 14] & 0xff;
            if (c > 63 && c < 0xC0) {
                return NO;
            }
        }
        return n < Math.min(PREFIX, 2 + len) ? OPEN : YES;
    }

    /** {@link io.judo.applayer.tls.TlsProbe}'s answer as this class's 0 (open), 1 (yes), 2 (no). */
    private static int judgeTls(byte[] p, int off, int n) {
        return switch (io.judo.applayer.tls.TlsProbe.detect(p, off, n)) {
            case io.judo.applayer.tls.TlsProbe.TLS -> YES;
            case io.judo.applayer.tls.TlsProbe.NOT_TLS -> NO;
            default -> OPEN;
        };
    }

    /**
     * How a direction's first bytes start, for the text protocols: {@link #TEXT_SSH} ({@code SSH-}, either side),
     * towards the server {@link #TEXT_SMTP} (EHLO, HELO) or {@link #TEXT_FTP} (a first command of FTP's), towards the
     * client {@link #TEXT_REPLY} (three digits, the first 1-5, then a space or a dash); 0 while undecided, 2 for none.
     */
    static int judgeText(int dir, byte[] p, int off, int n) {
        int ssh = startsWith(p, off, n, "SSH-".getBytes(StandardCharsets.US_ASCII), false);
        if (ssh == YES) {
            return TEXT_SSH;
        }
        boolean open = ssh == OPEN;
        if (dir == 0) {
            for (byte[] m : SMTP_FIRST) {
                int v = startsWith(p, off, n, m, true);
                if (v == YES) {
                    return TEXT_SMTP;
                }
                open |= v == OPEN;
            }
            for (byte[] m : FTP_FIRST) {
                int v = startsWith(p, off, n, m, true);
                if (v == YES) {
                    return TEXT_FTP;
                }
                open |= v == OPEN;
            }
            return open ? OPEN : NO;
        }
        int reply = OPEN;
        for (int i = 0; i < 4 && reply == OPEN; i++) {
            if (i >= n) {
                return OPEN;
            }
            byte c = p[off + i];
            boolean ok = i == 0 ? c >= '1' && c <= '5' : i < 3 ? c >= '0' && c <= '9' : c == ' ' || c == '-';
            if (!ok) {
                reply = NO;
            } else if (i == 3) {
                reply = YES;
            }
        }
        return reply == YES ? TEXT_REPLY : open ? OPEN : NO;
    }

    /** YES when {@code p} starts with {@code m} (letters in any case if asked), OPEN while it may, else NO. */
    private static int startsWith(byte[] p, int off, int n, byte[] m, boolean anyCase) {
        int k = Math.min(n, m.length);
        for (int i = 0; i < k; i++) {
            int a = p[off + i] & 0xff;
            int b = m[i] & 0xff;
            if (anyCase && a >= 'a' && a <= 'z') {
                a -= 32;
            }
            if (a != b) {
                return NO;
            }
        }
        return k == m.length ? YES : OPEN;
    }

    /** Copies another detection's state into this one (a scratch copy asks "what if" without changing a flow's). */
    public void copyFrom(ProtocolDetection o) {
        System.arraycopy(o.prefix, 0, prefix, 0, prefix.length);
        rawLen0 = o.rawLen0;
        rawLen1 = o.rawLen1;
        dns0 = o.dns0;
        dns1 = o.dns1;
        tls0 = o.tls0;
        tls1 = o.tls1;
        text0 = o.text0;
        text1 = o.text1;
        prefixLen0 = o.prefixLen0;
        prefixLen1 = o.prefixLen1;
        seen0 = o.seen0;
        seen1 = o.seen1;
        verdict0 = o.verdict0;
        verdict1 = o.verdict1;
        result = o.result;
    }

    private static int u16(byte[] p, int at) {
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }

    private static boolean regionEquals(byte[] p, int off, byte[] m, int n) {
        for (int i = 0; i < n; i++) {
            if (p[off + i] != m[i]) {
                return false;
            }
        }
        return true;
    }
}
