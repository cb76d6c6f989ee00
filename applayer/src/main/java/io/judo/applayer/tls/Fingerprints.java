package io.judo.applayer.tls;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * JA3, JA3S and JA4 from parsed hellos, written into the hello's own arrays (no allocation once they have grown).
 * JA3 (Salesforce): "version,ciphers,extensions,groups,point formats" in decimal, lists joined by '-', GREASE values
 * (RFC 8701: 0x?A?A with equal bytes) dropped, MD5 in lower-case hex. JA3S: "version,cipher,extensions". JA4
 * (FoxIO's specification): {@code t<version><d|i><ciphers:2><extensions:2><alpn>_<sha256(sorted
 * ciphers)[0:12]>_<sha256(sorted extensions without SNI and ALPN "_" signature algorithms)[0:12]>}.
 */
final class Fingerprints {
    private static final ThreadLocal<Fingerprints> LOCAL = ThreadLocal.withInitial(Fingerprints::new);

    private final MessageDigest md5;
    private final MessageDigest sha256;
    private final byte[] digest = new byte[32];
    private final Bytes text = new Bytes();
    private int[] sorted = new int[64];

    private Fingerprints() {
        try {
            md5 = MessageDigest.getInstance("MD5");
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide MD5 and SHA-256", e);
        }
    }

    static boolean grease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
    }

    private static void list(Bytes out, IntList l, boolean dropGrease) {
        boolean first = true;
        for (int i = 0; i < l.n; i++) {
            int v = l.a[i];
            if (dropGrease && grease(v)) {
                continue;
            }
            if (!first) {
                out.add('-');
            }
            out.decimal(v);
            first = false;
        }
    }

    /** JA3 for a ClientHello, JA3S for a ServerHello. */
    static void ja3(TlsHello h, boolean client) {
        Bytes s = h.ja3;
        s.clear();
        s.decimal(h.version);
        s.add(',');
        list(s, h.ciphers, true);
        s.add(',');
        list(s, h.extensions, true);
        if (client) {
            s.add(',');
            list(s, h.groups, true);
            s.add(',');
            list(s, h.formats, false);
        }
        LOCAL.get().md5Hex(s, h.ja3Hash);
        h.ja3Done = true;
    }

    private void md5Hex(Bytes s, byte[] out) {
        md5.update(s.a, 0, s.len);
        try {
            md5.digest(digest, 0, 16);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        Hex.lower(digest, 0, 16, out, 0);
    }

    /** The first 12 hex digits of the SHA-256 of text, or twelve '0' when the list was empty. */
    private void sha12(byte[] out, int o, boolean empty) {
        if (empty) {
            java.util.Arrays.fill(out, o, o + 12, (byte) '0');
            return;
        }
        sha256.update(text.a, 0, text.len);
        try {
            sha256.digest(digest, 0, 32);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        Hex.lower(digest, 0, 6, out, o);
    }

    static void ja4(TlsHello h) {
        LOCAL.get().ja4Into(h);
    }

    private static byte versionCode(int v, boolean first) {
        String s = switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            case 0xfeff -> "d1";
            case 0xfefd -> "d2";
            case 0xfefc -> "d3";
            default -> "00";
        };
        return (byte) s.charAt(first ? 0 : 1);
    }

    private static boolean alnum(int c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private int sortedWithout(IntList l, boolean dropSniAlpn) {
        if (sorted.length < l.n) {
            sorted = new int[l.n];
        }
        int n = 0;
        for (int i = 0; i < l.n; i++) {
            int v = l.a[i];
            if (grease(v) || dropSniAlpn && (v == 0x0000 || v == 0x0010)) {
                continue;
            }
            sorted[n++] = v;
        }
        java.util.Arrays.sort(sorted, 0, n);
        return n;
    }

    private static int countNonGrease(IntList l) {
        int n = 0;
        for (int i = 0; i < l.n; i++) {
            if (!grease(l.a[i])) {
                n++;
            }
        }
        return Math.min(n, 99);
    }

    private void ja4Into(TlsHello h) {
        byte[] out = h.ja4;
        int v = h.effectiveVersion();
        out[0] = 't';
        out[1] = versionCode(v, true);
        out[2] = versionCode(v, false);
        out[3] = (byte) (h.sniOff >= 0 ? 'd' : 'i');
        int nc = countNonGrease(h.ciphers);
        out[4] = (byte) ('0' + nc / 10);
        out[5] = (byte) ('0' + nc % 10);
        int ne = countNonGrease(h.extensions);
        out[6] = (byte) ('0' + ne / 10);
        out[7] = (byte) ('0' + ne % 10);
        alpn(h, out);
        out[10] = '_';
        int n = sortedWithout(h.ciphers, false);
        text.clear();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                text.add(',');
            }
            text.hex4(sorted[i]);
        }
        sha12(out, 11, n == 0);
        out[23] = '_';
        n = sortedWithout(h.extensions, true);
        text.clear();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                text.add(',');
            }
            text.hex4(sorted[i]);
        }
        boolean firstAlg = true;
        for (int i = 0; i < h.sigalgs.n; i++) {
            int alg = h.sigalgs.a[i];
            if (grease(alg)) {
                continue;
            }
            text.add(firstAlg ? '_' : ',');
            text.hex4(alg);
            firstAlg = false;
        }
        sha12(out, 24, n == 0);
        h.ja4Done = true;
    }

    /** The first and last characters of the first ALPN value; its hex digits when either is not alphanumeric. */
    private static void alpn(TlsHello h, byte[] out) {
        if (h.alpnOff < 0 || h.alpnLen < 2 || (h.body.a[h.alpnOff] & 0xff) == 0
            || 1 + (h.body.a[h.alpnOff] & 0xff) > h.alpnLen) {
            out[8] = '0';
            out[9] = '0';
            return;
        }
        int len = h.body.a[h.alpnOff] & 0xff;
        int first = h.body.a[h.alpnOff + 1] & 0xff;
        int last = h.body.a[h.alpnOff + len] & 0xff;
        if (alnum(first) && alnum(last)) {
            out[8] = (byte) first;
            out[9] = (byte) last;
        } else {
            out[8] = Hex.LOWER[first >> 4];
            out[9] = Hex.LOWER[last & 15];
        }
    }
}
