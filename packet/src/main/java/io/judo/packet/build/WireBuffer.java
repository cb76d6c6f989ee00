package io.judo.packet.build;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte writer for building protocol messages field by field. Length-prefixed vectors (TLS's
 * 8/16/24-bit vectors, SSH's 32-bit strings) are written by reserving the length with {@link #begin} and filling it
 * in with {@link #end} once the contents are written, so nested structures need no intermediate arrays.
 */
public final class WireBuffer {
    private byte[] data;
    private int size;

    public WireBuffer() {
        this(256);
    }

    public WireBuffer(int capacity) {
        this.data = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
        }
    }

    /** One byte. */
    public WireBuffer u8(int v) {
        ensure(1);
        data[size++] = (byte) v;
        return this;
    }

    /** Two bytes, network order. */
    public WireBuffer u16(int v) {
        return uint(v, 2);
    }

    /** Three bytes, network order. */
    public WireBuffer u24(int v) {
        return uint(v, 3);
    }

    /** Four bytes, network order. */
    public WireBuffer u32(long v) {
        return uint(v, 4);
    }

    private WireBuffer uint(long v, int width) {
        ensure(width);
        for (int i = width - 1; i >= 0; i--) {
            data[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** Each value as two bytes. */
    public WireBuffer u16s(int... values) {
        for (int v : values) {
            u16(v);
        }
        return this;
    }

    public WireBuffer bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public WireBuffer bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, data, size, len);
        size += len;
        return this;
    }

    /** The text's US-ASCII bytes, no terminator or length. */
    public WireBuffer ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Reserves a length field of {@code width} bytes (1 to 4) and returns a mark for {@link #end}, which fills it in
     * with the number of bytes written after it. The mark carries the width, so nesting needs no bookkeeping.
     */
    public int begin(int width) {
        if (width < 1 || width > 4) {
            throw new IllegalArgumentException("length width " + width);
        }
        int mark = size << 3 | width;
        uint(0, width);
        return mark;
    }

    /** Fills in the length field reserved by {@link #begin}. */
    public WireBuffer end(int mark) {
        int at = mark >>> 3;
        int width = mark & 7;
        long length = size - at - width;
        for (int i = 0; i < width; i++) {
            data[at + i] = (byte) (length >>> (8 * (width - 1 - i)));
        }
        return this;
    }

    /** Overwrites two bytes at {@code at} (a field whose value is known only later, e.g. a count). */
    public WireBuffer putU16(int at, int v) {
        data[at] = (byte) (v >>> 8);
        data[at + 1] = (byte) v;
        return this;
    }

    /** Bytes written so far. */
    public int size() {
        return size;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }
}
