package io.judo.applayer;

import java.util.Arrays;

/**
 * Header names and values in arrival order, copied into one byte array: the storage the HTTP and SMTP header tables
 * share. Each table adds its own rule for a repeated name (HTTP joins the values, mail keeps each one) on top of
 * {@link #append}. The fields are open because parsers index the bytes directly on the per-packet path (as with
 * {@link ByteBuilder}); only the parsers write them.
 */
public abstract class HeaderList {
    private static final int[] NONE = new int[0];
    /** Names and values back to back; the offsets below point into its array. */
    public final ByteBuilder text = new ByteBuilder();
    /** Headers held: entries {@code [0, count)} of the offset arrays are in use. */
    public int count;
    /** Where each name starts in {@link #text}. */
    public int[] nameOff = NONE;
    /** Each name's length. */
    public int[] nameLen = NONE;
    /** Where each value starts in {@link #text}. */
    public int[] valOff = NONE;
    /** Each value's length. */
    public int[] valLen = NONE;

    /** Only the protocol's header tables extend this. */
    protected HeaderList() {
    }

    /** Empties the list, keeping its storage (a reused transaction allocates nothing). */
    protected final void clearHeaders() {
        text.clear();
        count = 0;
    }

    /**
     * Appends a header as a new entry, copying its name {@code b[nOff, nOff + nLen)} and value
     * {@code b[vOff, vOff + vLen)} to the end of {@link #text}; the offset arrays grow by doubling (from 8).
     */
    protected final void append(byte[] b, int nOff, int nLen, int vOff, int vLen) {
        if (count == nameOff.length) {
            int n = Math.max(8, count * 2);
            nameOff = Arrays.copyOf(nameOff, n);
            nameLen = Arrays.copyOf(nameLen, n);
            valOff = Arrays.copyOf(valOff, n);
            valLen = Arrays.copyOf(valLen, n);
        }
        nameOff[count] = text.len;
        nameLen[count] = nLen;
        text.add(b, nOff, nLen);
        valOff[count] = text.len;
        valLen[count] = vLen;
        text.add(b, vOff, vLen);
        count++;
    }
}
