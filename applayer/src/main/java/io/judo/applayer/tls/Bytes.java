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
}
