package io.judo.applayer.tls;

import io.judo.applayer.Bytes;
import io.judo.applayer.Hex;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * JA3, JA3S and JA4 from parsed hellos, written into the hello's own arrays (no allocation once they have grown).
 * JA3 (Salesforce): "version,ciphers,extensions,groups,point formats" in decimal, lists joined by '-', GREASE values
 * (RFC 8701: 0x?A?A with equal bytes) dropped, MD5 in lower-case hex. JA3S: "version,cipher,extensions". JA4
 * (FoxIO's specification): {@code t<version><d|i><ciphers:2><extensions:2><alpn>_<sha256(sorted
 * ciphers)[0:12]>_<sha256(sorted extensions without SNI and ALPN "_" signature algorithms)[0:12]>}.
 *
 * <p>A client's fingerprints depend only on a few of its hello's fields (version, the lists, where SNI's presence is
 * an extension type, and the first ALPN value), and the same software sends the same ones to every server: each
 * thread keeps the last results for {@link #SLOTS} such inputs, keyed by the exact input bytes (compared in full, so
 * a hit is never a collision), and a repeated client costs a key comparison and a copy instead of sorting,
 * formatting and three digests.
 */
final class Fingerprints {
    private static final ThreadLocal<Fingerprints> LOCAL = ThreadLocal.withInitial(Fingerprints::new);

    private final MessageDigest sha256;
    private final byte[] digest = new byte[32];
    private final Bytes text = new Bytes();
    private int[] sorted = new int[64];
    private final long[] bits = new long[1024];
    private final long[] summary = new long[16];

    /** Memo slots per thread (direct-mapped by a hash of the key). */
    static final int SLOTS = 256;
    private final Bytes key = new Bytes();
    private final byte[][] slotKey = new byte[SLOTS][];
    private final int[] slotKeyLen = new int[SLOTS];
    private final byte[][] slotJa3 = new byte[SLOTS][];
    private final int[] slotJa3Len = new int[SLOTS];
    private final byte[][] slotJa3Hash = new byte[SLOTS][32];
    private final byte[][] slotJa4 = new byte[SLOTS][36];
    private long hits;
    private long misses;

    private Fingerprints() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
    }

    static boolean grease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
    }

    /**
     * Writes the list in decimal joined by '-' at a[o] (room for 6 bytes per value checked by the caller: the
     * hot path writes straight into the array, one bounds check per list rather than per byte).
     *
     * @return the new end
     */
    private static int list(byte[] a, int o, IntList l, boolean dropGrease) {
        boolean first = true;
        int[] v = l.a;
        for (int i = 0; i < l.n; i++) {
            int x = v[i];
            if (dropGrease && grease(x)) {
                continue;
            }
            if (!first) {
                a[o++] = '-';
            }
            first = false;
            o = decimal(a, o, x);
        }
        return o;
    }

    /** Writes 0..65535 in decimal at a[o]; returns the new end. */
    private static int decimal(byte[] a, int o, int x) {
        if (x >= 10000) {
            a[o++] = (byte) ('0' + x / 10000);
        }
        if (x >= 1000) {
            a[o++] = (byte) ('0' + x / 1000 % 10);
        }
        if (x >= 100) {
            a[o++] = (byte) ('0' + x / 100 % 10);
        }
        if (x >= 10) {
            a[o++] = (byte) ('0' + x / 10 % 10);
        }
        a[o++] = (byte) ('0' + x % 10);
        return o;
    }

    /** JA3 and/or JA4 of a ClientHello, from the memo when this thread saw the same inputs recently. */
    static void client(TlsHello h, boolean ja3, boolean ja4) {
        LOCAL.get().clientMemo(h, ja3, ja4);
    }

    /** @return this thread's memo hits and misses (for tests and benchmarks) */
    static long[] memoStats() {
        Fingerprints f = LOCAL.get();
        return new long[] {f.hits, f.misses};
    }

    private void keyList(IntList l) {
        key.ensure(2 + 2 * l.n);
        byte[] a = key.a;
        int o = key.len;
        a[o++] = (byte) (l.n >> 8);
        a[o++] = (byte) l.n;
        for (int i = 0; i < l.n; i++) {
            a[o++] = (byte) (l.a[i] >> 8);
            a[o++] = (byte) l.a[i];
        }
        key.len = o;
    }

    private void clientMemo(TlsHello h, boolean ja3, boolean ja4) {
        key.clear();
        key.add((ja3 ? 1 : 0) | (ja4 ? 2 : 0));
        key.add(h.version >> 8);
        key.add(h.version);
        keyList(h.ciphers);
        keyList(h.extensions);
        keyList(h.groups);
        keyList(h.formats);
        keyList(h.sigalgs);
        keyList(h.versions);
        if (h.alpnOff >= 0 && h.alpnLen >= 1) {
            int n = Math.min(h.body.a[h.alpnOff] & 0xff, h.alpnLen - 1);
            key.add(n);
            key.add(h.body.a, h.alpnOff + 1, n);
        } else {
            key.add(0xff);
        }
        int hash = 0;
        byte[] k = key.a;
        for (int i = 0; i < key.len; i++) {
            hash = 31 * hash + k[i];
        }
        int slot = (hash ^ hash >>> 16) & (SLOTS - 1);
        byte[] known = slotKey[slot];
        if (known != null && java.util.Arrays.equals(known, 0, slotKeyLen[slot], k, 0, key.len)) {
            hits++;
            if (ja3) {
                h.ja3.clear();
                h.ja3.add(slotJa3[slot], 0, slotJa3Len[slot]);
                System.arraycopy(slotJa3Hash[slot], 0, h.ja3Hash, 0, 32);
                h.ja3Done = true;
            }
            if (ja4) {
                System.arraycopy(slotJa4[slot], 0, h.ja4, 0, 36);
                h.ja4Done = true;
            }
            return;
        }
        misses++;
        if (ja3) {
            ja3(h, true);
        }
        if (ja4) {
            ja4Into(h);
        }
        // the slot keeps its arrays: a miss allocates only until they have grown to the clients' sizes
        slotKey[slot] = store(slotKey[slot], k, key.len);
        slotKeyLen[slot] = key.len;
        if (ja3) {
            slotJa3[slot] = store(slotJa3[slot], h.ja3.a, h.ja3.len);
            slotJa3Len[slot] = h.ja3.len;
            System.arraycopy(h.ja3Hash, 0, slotJa3Hash[slot], 0, 32);
        }
        if (ja4) {
            System.arraycopy(h.ja4, 0, slotJa4[slot], 0, 36);
        }
    }

    private static byte[] store(byte[] into, byte[] from, int n) {
        byte[] r = into == null || into.length < n ? new byte[Math.max(n, 256)] : into;
        System.arraycopy(from, 0, r, 0, n);
        return r;
    }

    /** JA3 for a ClientHello, JA3S for a ServerHello. */
    static void ja3(TlsHello h, boolean client) {
        Bytes s = h.ja3;
        s.clear();
        s.ensure(10 + 6 * (h.ciphers.n + h.extensions.n + h.groups.n + h.formats.n));
        byte[] a = s.a;
        int o = decimal(a, 0, h.version);
        a[o++] = ',';
        o = list(a, o, h.ciphers, true);
        a[o++] = ',';
        o = list(a, o, h.extensions, true);
        if (client) {
            a[o++] = ',';
            o = list(a, o, h.groups, true);
            a[o++] = ',';
            o = list(a, o, h.formats, false);
        }
        s.len = o;
        Hex.md5Lower(s.a, 0, s.len, h.ja3Hash, 0);
        h.ja3Done = true;
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

    /**
     * Copies the list without GREASE (and without SNI and ALPN when asked) into {@link #sorted}, sorted. The values
     * are 16-bit, so they are sorted by setting bits in a 65,536-bit map (with a summary of its non-zero words) and
     * reading them back in order: a few operations per value instead of an insertion sort's mispredicted compares.
     * Duplicates (malformed lists) fall back to a comparison sort, which keeps them.
     *
     * @return how many values
     */
    private int sortedWithout(IntList l, boolean dropSniAlpn) {
        if (sorted.length < l.n) {
            sorted = new int[l.n];
        }
        int n = 0;
        boolean dup = false;
        for (int i = 0; i < l.n; i++) {
            int v = l.a[i] & 0xffff;
            if (grease(v) || dropSniAlpn && (v == 0x0000 || v == 0x0010)) {
                continue;
            }
            sorted[n++] = v;
            int w = v >>> 6;
            long m = 1L << v; // the shift distance is taken mod 64: the bit within the word
            dup |= (bits[w] & m) != 0;
            bits[w] |= m;
            summary[w >>> 6] |= 1L << w;
        }
        int o = 0;
        for (int s = 0; s < summary.length; s++) {
            long sw = summary[s];
            summary[s] = 0;
            while (sw != 0) {
                int w = s << 6 | Long.numberOfTrailingZeros(sw);
                sw &= sw - 1;
                long bw = bits[w];
                bits[w] = 0;
                while (!dup && bw != 0) {
                    sorted[o++] = w << 6 | Long.numberOfTrailingZeros(bw);
                    bw &= bw - 1;
                }
            }
        }
        if (dup) {
            java.util.Arrays.sort(sorted, 0, n);
        }
        return n;
    }

    /** JA4's 'd': the server_name extension is present (whatever it holds). */
    private static boolean hasSni(TlsHello h) {
        for (int i = 0; i < h.extensions.n; i++) {
            if (h.extensions.a[i] == 0) {
                return true;
            }
        }
        return false;
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
        out[3] = (byte) (hasSni(h) ? 'd' : 'i');
        int nc = countNonGrease(h.ciphers);
        out[4] = (byte) ('0' + nc / 10);
        out[5] = (byte) ('0' + nc % 10);
        int ne = countNonGrease(h.extensions);
        out[6] = (byte) ('0' + ne / 10);
        out[7] = (byte) ('0' + ne % 10);
        alpn(h, out);
        out[10] = '_';
        int n = sortedWithout(h.ciphers, false);
        hexList(n, null);
        sha12(out, 11, n == 0);
        out[23] = '_';
        n = sortedWithout(h.extensions, true);
        hexList(n, h.sigalgs);
        sha12(out, 24, n == 0);
        h.ja4Done = true;
    }

    /**
     * text = the first n sorted values as 4-digit hex joined by ','; then, when algs has non-GREASE values, '_' and
     * those in wire order.
     */
    private void hexList(int n, IntList algs) {
        text.clear();
        text.ensure(5 * n + (algs == null ? 0 : 5 * algs.n) + 1);
        byte[] a = text.a;
        int o = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                a[o++] = ',';
            }
            o = hex4(a, o, sorted[i]);
        }
        if (algs != null) {
            boolean first = true;
            for (int i = 0; i < algs.n; i++) {
                int alg = algs.a[i];
                if (!grease(alg)) {
                    a[o++] = (byte) (first ? '_' : ',');
                    o = hex4(a, o, alg);
                    first = false;
                }
            }
        }
        text.len = o;
    }

    private static int hex4(byte[] a, int o, int v) {
        a[o] = Hex.LOWER[(v >> 12) & 15];
        a[o + 1] = Hex.LOWER[(v >> 8) & 15];
        a[o + 2] = Hex.LOWER[(v >> 4) & 15];
        a[o + 3] = Hex.LOWER[v & 15];
        return o + 4;
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
