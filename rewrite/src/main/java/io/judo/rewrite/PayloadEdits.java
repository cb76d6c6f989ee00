package io.judo.rewrite;

import java.util.Arrays;

/**
 * The edits for one segment's payload, reused from packet to packet: each replaces {@code oldLength} bytes at a
 * payload offset with replacement bytes held in one shared array, so adding an edit allocates nothing once the arrays
 * have grown to the largest segment seen.
 */
public final class PayloadEdits {
    private int[] offset = new int[4];
    private int[] oldLength = new int[4];
    private int[] replacementAt = new int[4];
    private int[] replacementLength = new int[4];
    private byte[] bytes = new byte[256];
    private int bytesUsed;
    private int size;

    /** Forgets every edit. */
    public PayloadEdits clear() {
        size = 0;
        bytesUsed = 0;
        return this;
    }

    /**
     * Adds an edit; edits must be added in payload order and must not overlap.
     *
     * @throws IllegalArgumentException for a negative length or an edit before or overlapping the previous one
     */
    public PayloadEdits add(int at, int oldLen, byte[] src, int srcOffset, int length) {
        if (at < 0 || oldLen < 0 || length < 0) {
            throw new IllegalArgumentException("bad edit at " + at + " (" + oldLen + " -> " + length + " bytes)");
        }
        if (size > 0 && at < offset[size - 1] + oldLength[size - 1]) {
            throw new IllegalArgumentException("edit at " + at + " overlaps or precedes the previous one");
        }
        if (size > 0 && at == offset[size - 1] && oldLength[size - 1] == 0) {
            throw new IllegalArgumentException("two edits at offset " + at + ": merge them into one");
        }
        if (size == offset.length) {
            offset = Arrays.copyOf(offset, size * 2);
            oldLength = Arrays.copyOf(oldLength, size * 2);
            replacementAt = Arrays.copyOf(replacementAt, size * 2);
            replacementLength = Arrays.copyOf(replacementLength, size * 2);
        }
        if (bytesUsed + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, bytesUsed + length));
        }
        System.arraycopy(src, srcOffset, bytes, bytesUsed, length);
        offset[size] = at;
        oldLength[size] = oldLen;
        replacementAt[size] = bytesUsed;
        replacementLength[size] = length;
        bytesUsed += length;
        size++;
        return this;
    }

    /** Adds an edit replacing {@code oldLen} bytes at {@code at} with all of {@code replacement}. */
    public PayloadEdits add(int at, int oldLen, byte[] replacement) {
        return add(at, oldLen, replacement, 0, replacement.length);
    }

    /** Number of edits. */
    public int size() {
        return size;
    }

    /** Payload offset of edit {@code i}. */
    public int offset(int i) {
        return offset[i];
    }

    /** Bytes edit {@code i} replaces. */
    public int oldLength(int i) {
        return oldLength[i];
    }

    /** Length of edit {@code i}'s replacement. */
    public int replacementLength(int i) {
        return replacementLength[i];
    }

    /** Copies edit {@code i}'s replacement into {@code dst}. */
    void copyReplacement(int i, byte[] dst, int dstOffset) {
        System.arraycopy(bytes, replacementAt[i], dst, dstOffset, replacementLength[i]);
    }

    /** Total length change of all edits. */
    public int delta() {
        int d = 0;
        for (int i = 0; i < size; i++) {
            d += replacementLength[i] - oldLength[i];
        }
        return d;
    }
}
