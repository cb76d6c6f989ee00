package io.judo.applayer.tls;

/** A growable byte array that keeps its array when cleared; slices into it stay valid until it grows or clears. */
final class Bytes {
    private static final byte[] EMPTY = new byte[0];
    byte[] a = EMPTY;
    int len;

    void clear() {
        len = 0;
    }

    void ensure(int extra) {
        if (len + extra > a.length) {
            a = java.util.Arrays.copyOf(a, Math.max(len + extra, Math.max(64, a.length * 2)));
        }
    }

    void add(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, a, len, n);
        len += n;
    }

    void add(int c) {
        ensure(1);
        a[len++] = (byte) c;
    }

    /** Appends v in decimal. */
    void decimal(int v) {
        if (v >= 10000) {
            add('0' + v / 10000);
        }
        if (v >= 1000) {
            add('0' + v / 1000 % 10);
        }
        if (v >= 100) {
            add('0' + v / 100 % 10);
        }
        if (v >= 10) {
            add('0' + v / 10 % 10);
        }
        add('0' + v % 10);
    }

    /** Appends v as four lower-case hex digits. */
    void hex4(int v) {
        ensure(4);
        a[len++] = Hex.LOWER[(v >> 12) & 15];
        a[len++] = Hex.LOWER[(v >> 8) & 15];
        a[len++] = Hex.LOWER[(v >> 4) & 15];
        a[len++] = Hex.LOWER[v & 15];
    }

    /** Drops the first n bytes. */
    void consume(int n) {
        System.arraycopy(a, n, a, 0, len - n);
        len -= n;
    }
}
