package io.judo.applayer;

/**
 * A growable byte array that keeps its array when cleared; slices into it stay valid until it grows or clears.
 * Shared by the parsers (TLS, SSH) for what they copy and keep; not meant for the engine's own use.
 */
public final class Bytes {
    private static final byte[] EMPTY = new byte[0];
    /** The bytes, {@code a[0, len)} in use; replaced (not shrunk) when it grows. */
    public byte[] a = EMPTY;
    /** Bytes in use. */
    public int len;

    /** Empties it, keeping the array. */
    public void clear() {
        len = 0;
    }

    /** @param extra bytes about to be written at {@code a[len]}: grows the array when they do not fit */
    public void ensure(int extra) {
        if (len + extra > a.length) {
            a = java.util.Arrays.copyOf(a, Math.max(len + extra, Math.max(64, a.length * 2)));
        }
    }

    /** Appends {@code b[off, off + n)}. */
    public void add(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, a, len, n);
        len += n;
    }

    /** Appends one byte (the low 8 bits of c). */
    public void add(int c) {
        ensure(1);
        a[len++] = (byte) c;
    }
}
