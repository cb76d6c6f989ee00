package io.judo.applayer.ftp;

/**
 * Reads the data-connection announcements: PORT's {@code h1,h2,h3,h4,p1,p2}, EPRT's {@code |af|address|port|}, the
 * 227 reply's six numbers (in parentheses or not) and the 229 reply's {@code (|||port|)}. Each returns null for text
 * that does not parse or announces port 0 (Suricata reads those as no announcement). Never throws.
 */
final class FtpPorts {
    private FtpPorts() {
    }

    /** PORT's argument b[off, end). */
    static FtpDataChannel port(byte[] b, int off, int end) {
        while (off < end && b[off] == ' ') {
            off++;
        }
        return six(b, off, end, true, FtpCommand.PORT);
    }

    /** A 227 reply line b[0, n): the six numbers after its first '(' or, without one, from its first digit past the code. */
    static FtpDataChannel pasv(byte[] b, int n) {
        int at = 4;
        while (at < n && b[at] != '(') {
            at++;
        }
        if (at < n) {
            return six(b, at + 1, n, false, FtpCommand.PASV);
        }
        for (at = Math.min(4, n); at < n && !digit(b[at]); at++) {
            // to the first digit of the text
        }
        return six(b, at, n, false, FtpCommand.PASV);
    }

    /** EPRT's argument b[off, end): {@code d af d address d port d}, d any printable byte (RFC 2428 2). */
    static FtpDataChannel eprt(byte[] b, int off, int end) {
        while (off < end && b[off] == ' ') {
            off++;
        }
        if (end - off < 7 || b[off] < 33 || b[off] > 126) {
            return null;
        }
        byte d = b[off];
        int f1 = indexOf(b, off + 1, end, d);
        int f2 = f1 < 0 ? -1 : indexOf(b, f1 + 1, end, d);
        int f3 = f2 < 0 ? -1 : indexOf(b, f2 + 1, end, d);
        if (f3 < 0 || f1 - off != 2) {
            return null;
        }
        byte[] address = switch (b[off + 1]) {
            case '1' -> ipv4(b, f1 + 1, f2);
            case '2' -> ipv6(b, f1 + 1, f2);
            default -> null;
        };
        int port = number(b, f2 + 1, f3, 65535);
        if (address == null || port <= 0) {
            return null;
        }
        return channel(address, port, true, FtpCommand.EPRT);
    }

    /** A 229 reply line b[0, n): {@code (ddd port d)} after the code; no address (the control connection's server's). */
    static FtpDataChannel epsv(byte[] b, int n) {
        int at = 4;
        while (at < n && b[at] != '(') {
            at++;
        }
        if (n - at < 6) {
            return null;
        }
        byte d = b[at + 1];
        if (d < 33 || d > 126 || b[at + 2] != d || b[at + 3] != d) {
            return null;
        }
        int close = indexOf(b, at + 4, n, d);
        int port = close < 0 ? -1 : number(b, at + 4, close, 65535);
        return port <= 0 ? null : channel(null, port, false, FtpCommand.EPSV);
    }

    private static FtpDataChannel six(byte[] b, int off, int end, boolean active, FtpCommand by) {
        int[] v = new int[6];
        int at = off;
        for (int i = 0; i < 6; i++) {
            int start = at;
            int x = 0;
            while (at < end && digit(b[at]) && at - start < 3) {
                x = x * 10 + b[at++] - '0';
            }
            if (at == start || x > 255 || at < end && digit(b[at])) {
                return null;
            }
            v[i] = x;
            if (i < 5) {
                if (at >= end || b[at] != ',') {
                    return null;
                }
                at++;
            }
        }
        int port = v[4] * 256 + v[5];
        if (port == 0 || active && at != end) { // PORT's argument is the six numbers only; a reply has text around
            return null;
        }
        return channel(new byte[] {(byte) v[0], (byte) v[1], (byte) v[2], (byte) v[3]}, port, active, by);
    }

    private static FtpDataChannel channel(byte[] address, int port, boolean active, FtpCommand by) {
        FtpDataChannel c = new FtpDataChannel();
        c.address = address;
        c.port = port;
        c.active = active;
        c.negotiatedBy = by;
        return c;
    }

    /** Dotted IPv4 b[off, end), or null. */
    static byte[] ipv4(byte[] b, int off, int end) {
        byte[] a = new byte[4];
        int at = off;
        for (int i = 0; i < 4; i++) {
            int start = at;
            int x = 0;
            while (at < end && digit(b[at]) && at - start < 3) {
                x = x * 10 + b[at++] - '0';
            }
            if (at == start || x > 255 || i < 3 && (at >= end || b[at++] != '.')) {
                return null;
            }
            a[i] = (byte) x;
        }
        return at == end ? a : null;
    }

    /** An IPv6 literal b[off, end) (hex digits, ':' and '.', at least one ':'; never a name lookup), or null. */
    private static byte[] ipv6(byte[] b, int off, int end) {
        boolean colon = false;
        if (end - off < 2 || end - off > 45) {
            return null;
        }
        for (int i = off; i < end; i++) {
            int c = b[i];
            colon |= c == ':';
            if (!(digit(b[i]) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return null;
            }
        }
        if (!colon) {
            return null;
        }
        try {
            // a text with ':' is parsed as a literal only: InetAddress never resolves it
            byte[] a = java.net.InetAddress.getByName(new String(b, off, end - off,
                    java.nio.charset.StandardCharsets.US_ASCII)).getAddress();
            return a.length == 16 ? a : null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static int number(byte[] b, int off, int end, int max) {
        if (end <= off || end - off > 5) {
            return -1;
        }
        int x = 0;
        for (int i = off; i < end; i++) {
            if (!digit(b[i])) {
                return -1;
            }
            x = x * 10 + b[i] - '0';
        }
        return x <= max ? x : -1;
    }

    private static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }
}
