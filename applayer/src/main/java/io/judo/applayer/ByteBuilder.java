package io.judo.applayer;

import java.util.Arrays;

/**
 * A growable byte array that starts empty (no storage until the first byte, so idle parsers stay small) and keeps
 * its storage when cleared, so a reused transaction allocates nothing once its buffers have grown. Growing copies
 * into a new array and leaves the old one as it was: slices handed out earlier keep seeing their bytes. Shared by
 * the parsers of this module (HTTP, SMTP); the fields are open because parsers index the bytes directly on the
 * per-packet path.
 */
public final class ByteBuilder {
    /** The empty array every builder starts with. */
    public static final byte[] EMPTY = new byte[0];
    /** The storage; bytes {@code [0, len)} are the content. */
    public byte[] a = EMPTY;
    /** Number of bytes held. */
    public int len;

    /** Empties the builder, keeping its storage. */
    public void clear() {
        len = 0;
    }

    /** @param extra bytes about to be added: grows the storage (into a new array) when they do not fit */
    public void ensure(int extra) {
        int need = len + extra;
        if (need > a.length) {
            a = Arrays.copyOf(a, Math.max(need, Math.max(64, a.length * 2)));
        }
    }

    /** @param b a byte to append */
    public void add(byte b) {
        if (len == a.length) {
            ensure(1);
        }
        a[len++] = b;
    }

    /** @param s source @param off first byte @param n bytes to append (none when n is not positive) */
    public void add(byte[] s, int off, int n) {
        if (n <= 0) {
            return;
        }
        ensure(n);
        System.arraycopy(s, off, a, len, n);
        len += n;
    }

    /** @param ascii text of one-byte characters to append */
    public void add(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            a[len++] = (byte) ascii.charAt(i);
        }
    }

    /** Copies a range of this builder's own bytes to its end (the source may move when the array grows). */
    public void addSelf(int off, int n) {
        ensure(n);
        System.arraycopy(a, off, a, len, n);
        len += n;
    }

    /** @return bytes of storage held (for memory accounting) */
    public int capacity() {
        return a.length;
    }
}
