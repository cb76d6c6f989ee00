package io.judo.applayer.http;

import io.judo.applayer.ByteBuilder;

/**
 * The normalized request URI ({@code http.uri}) as libhtp builds it with Suricata's default (IDS) personality: for
 * an absolute URI only its path and query; in the path every valid {@code %HH} decoded (the encoded separators
 * included), {@code %uHHHH} decoded when configured (code points above 0xFF become libhtp's best-fit replacement
 * '?'), an invalid encoding left as it was (libhtp's preserve-percent), backslashes turned into slashes, runs of
 * slashes compressed, and {@code .} and {@code ..} segments removed (RFC 3986 section 5.2.4). The query and
 * fragment are appended as received.
 */
final class UriNormalizer {
    private UriNormalizer() {
    }

    /** @return the offset of the path in an absolute URI (after scheme://authority), or off when not absolute */
    static int pathStart(byte[] a, int off, int len) {
        int end = off + len;
        int i = off;
        if (i >= end || !isAlpha(a[i])) {
            return off;
        }
        while (i < end && (isAlpha(a[i]) || (a[i] >= '0' && a[i] <= '9') || a[i] == '+' || a[i] == '-'
            || a[i] == '.')) {
            i++;
        }
        if (i + 2 < end && a[i] == ':' && a[i + 1] == '/' && a[i + 2] == '/') {
            int j = i + 3;
            while (j < end && a[j] != '/' && a[j] != '?' && a[j] != '#') {
                j++;
            }
            return j;
        }
        return off;
    }

    /** @return the authority's range [start, end) packed as start << 32 | end, or -1 when not absolute */
    static long authority(byte[] a, int off, int len) {
        int p = pathStart(a, off, len);
        if (p == off) {
            return -1;
        }
        int s = off;
        while (a[s] != ':') {
            s++;
        }
        s += 3;
        return ((long) s << 32) | p;
    }

    private static boolean isAlpha(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * Appends the normalized form of a request target to out.
     *
     * @return true when the path held an invalid %-encoding
     */
    static boolean normalize(byte[] a, int off, int len, boolean decodeU, ByteBuilder out) {
        int end = off + len;
        int p = pathStart(a, off, len);
        int pathEnd = p;
        while (pathEnd < end && a[pathEnd] != '?' && a[pathEnd] != '#') {
            pathEnd++;
        }
        out.ensure(pathEnd - p + 1 + (end - pathEnd));
        int start = out.len;
        boolean invalid = false;
        byte[] o = out.a;
        int w = start;
        if (p != off && (p == pathEnd || a[p] != '/')) {
            o[w++] = '/'; // an absolute URI with an empty path means "/"
        }
        for (int i = p; i < pathEnd; i++) {
            byte c = a[i];
            if (c == '%') {
                int u;
                if (decodeU && i + 6 <= pathEnd && (a[i + 1] == 'u' || a[i + 1] == 'U')
                    && (u = hex(a, i + 2, 4)) >= 0) {
                    c = u <= 0xFF ? (byte) u : (byte) '?';
                    i += 5;
                } else if (i + 3 <= pathEnd && (u = hex(a, i + 1, 2)) >= 0) {
                    c = (byte) u;
                    i += 2;
                } else {
                    invalid = true;
                }
            }
            if (c == '\\') {
                c = '/';
            }
            o[w++] = c;
        }
        w = removeDotSegments(o, start, w);
        out.len = w;
        out.add(a, pathEnd, end - pathEnd);
        return invalid;
    }

    /** @return whether the path of a request target holds a % that is not a valid encoding */
    static boolean invalidEncoding(byte[] a, int off, int len, boolean decodeU) {
        int p = pathStart(a, off, len);
        int end = off + len;
        for (int i = p; i < end && a[i] != '?' && a[i] != '#'; i++) {
            if (a[i] != '%') {
                continue;
            }
            boolean u = decodeU && i + 6 <= end && (a[i + 1] == 'u' || a[i + 1] == 'U') && hex(a, i + 2, 4) >= 0;
            if (!u && !(i + 3 <= end && hex(a, i + 1, 2) >= 0)) {
                return true;
            }
        }
        return false;
    }

    private static int hex(byte[] a, int off, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int d = Character.digit(a[off + i], 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** Removes dot segments and compresses slashes in a[start, end) in place; @return the new end */
    static int removeDotSegments(byte[] a, int start, int end) {
        boolean abs = start < end && a[start] == '/';
        int w = start;
        int i = start;
        boolean trailingSlash = false;
        while (i < end) {
            while (i < end && a[i] == '/') {
                i++;
            }
            if (i >= end) {
                trailingSlash = w > start || abs;
                break;
            }
            int s = i;
            while (i < end && a[i] != '/') {
                i++;
            }
            int n = i - s;
            boolean last = i >= end;
            if (n == 1 && a[s] == '.') {
                trailingSlash = last;
                if (last) {
                    break;
                }
                continue;
            }
            if (n == 2 && a[s] == '.' && a[s + 1] == '.') {
                int q = w;
                while (q > start && a[q - 1] != '/') {
                    q--;
                }
                if (q > start) {
                    q--;
                }
                w = q;
                trailingSlash = last;
                if (last) {
                    break;
                }
                continue;
            }
            if (abs || w > start) {
                a[w++] = '/';
            }
            System.arraycopy(a, s, a, w, n);
            w += n;
            trailingSlash = false;
        }
        if (trailingSlash && (w == start || a[w - 1] != '/')) {
            a[w++] = '/';
        }
        if (abs && w == start) {
            a[w++] = '/';
        }
        return w;
    }
}
