package io.judo.matcher.regex;

import java.util.Arrays;

/** A set of byte values 0-255 as four 64-bit words. Mutable while a pattern is parsed; shared read-only after. */
public final class ByteSet {
    final long[] bits = new long[4];

    public static ByteSet of(int... values) {
        ByteSet s = new ByteSet();
        for (int v : values) {
            s.add(v);
        }
        return s;
    }

    public static ByteSet range(int from, int to) {
        ByteSet s = new ByteSet();
        s.addRange(from, to);
        return s;
    }

    public static ByteSet all() {
        return range(0, 255);
    }

    public ByteSet add(int v) {
        bits[v >>> 6] |= 1L << (v & 63);
        return this;
    }

    public ByteSet addRange(int from, int to) {
        for (int v = from; v <= to; v++) {
            add(v);
        }
        return this;
    }

    public ByteSet addAll(ByteSet o) {
        for (int i = 0; i < 4; i++) {
            bits[i] |= o.bits[i];
        }
        return this;
    }

    public ByteSet negate() {
        for (int i = 0; i < 4; i++) {
            bits[i] = ~bits[i];
        }
        return this;
    }

    public boolean contains(int v) {
        return (bits[v >>> 6] & (1L << (v & 63))) != 0;
    }

    public int size() {
        int n = 0;
        for (long w : bits) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** The only member when the set has exactly one, else -1. */
    public int single() {
        if (size() != 1) {
            return -1;
        }
        for (int v = 0; v < 256; v++) {
            if (contains(v)) {
                return v;
            }
        }
        return -1;
    }

    /** Adds the other ASCII case of every letter. */
    public ByteSet caseFold() {
        for (int v = 'A'; v <= 'Z'; v++) {
            if (contains(v) || contains(v + 32)) {
                add(v);
                add(v + 32);
            }
        }
        return this;
    }

    public ByteSet copy() {
        ByteSet s = new ByteSet();
        System.arraycopy(bits, 0, s.bits, 0, 4);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteSet s && Arrays.equals(bits, s.bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }
}
