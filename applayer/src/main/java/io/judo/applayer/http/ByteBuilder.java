package io.judo.applayer.http;

import java.util.Arrays;

/**
 * A growable byte array that starts empty (no storage until the first byte, so idle parsers stay small) and keeps
 * its storage when cleared, so a reused transaction allocates nothing once its buffers have grown. Growing copies
 * into a new array and leaves the old one as it was: slices handed out earlier keep seeing their bytes.
 */
final class ByteBuilder {
    static final byte[] EMPTY = new byte[0];
    byte[] a = EMPTY;
    int len;

    void clear() {
        len = 0;
    }

    void ensure(int extra) {
        int need = len + extra;
        if (need > a.length) {
            a = Arrays.copyOf(a, Math.max(need, Math.max(64, a.length * 2)));
        }
    }

    void add(byte b) {
        if (len == a.length) {
            ensure(1);
        }
        a[len++] = b;
    }

    void add(byte[] s, int off, int n) {
        if (n <= 0) {
            return;
        }
        ensure(n);
        System.arraycopy(s, off, a, len, n);
        len += n;
    }

    void add(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            a[len++] = (byte) ascii.charAt(i);
        }
    }

    /** Copies a range of this builder's own bytes to its end (the source may move when the array grows). */
    void addSelf(int off, int n) {
        ensure(n);
        System.arraycopy(a, off, a, len, n);
        len += n;
    }

    int capacity() {
        return a.length;
    }
}
