package io.judo.applayer;

/**
 * A reusable view of bytes owned by someone else: {@code array[offset, offset + length)}. Filling a slice never
 * copies; the bytes stay valid until their owner (a parser's transaction) is reused.
 */
public final class Slice {
    /** The backing array; never null once filled. */
    public byte[] array;
    /** First byte of the view. */
    public int offset;
    /** Number of bytes in the view. */
    public int length;

    /**
     * Points the slice at a range.
     *
     * @param a the array
     * @param off first byte
     * @param len number of bytes
     * @return this slice
     */
    public Slice set(byte[] a, int off, int len) {
        this.array = a;
        this.offset = off;
        this.length = len;
        return this;
    }

    /** @return a copy of the viewed bytes (for tests and output, not the per-packet path) */
    public byte[] toBytes() {
        byte[] r = new byte[length];
        System.arraycopy(array, offset, r, 0, length);
        return r;
    }

    /** @return the viewed bytes as ISO-8859-1 text, one char per byte (not the per-packet path) */
    @Override
    public String toString() {
        return array == null ? "" : new String(array, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
