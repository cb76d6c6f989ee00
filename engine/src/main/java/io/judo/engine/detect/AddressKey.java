package io.judo.engine.detect;

import java.nio.ByteBuffer;

/**
 * A hash key for an IP address or an unordered address pair, filled from a packet's bytes: four longs (IPv4 in the
 * low half of the first pair), the family in {@code v6}. Tables keep one as a probe, so a lookup allocates nothing,
 * and store a {@link #copy} when they make an entry.
 */
final class AddressKey {
    long a0;
    long a1;
    long b0;
    long b1;
    boolean v6;

    /** Sets every field to zero (no address). */
    AddressKey clear() {
        a0 = 0;
        a1 = 0;
        b0 = 0;
        b1 = 0;
        v6 = false;
        return this;
    }

    AddressKey copy() {
        AddressKey k = new AddressKey();
        k.a0 = a0;
        k.a1 = a1;
        k.b0 = b0;
        k.b1 = b1;
        k.v6 = v6;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressKey k && k.a0 == a0 && k.a1 == a1 && k.b0 == b0 && k.b1 == b1 && k.v6 == v6;
    }

    @Override
    public int hashCode() {
        long h = a0 * 0x9E3779B97F4A7C15L ^ a1 * 0xC2B2AE3D27D4EB4FL ^ b0 * 0x165667B19E3779F9L ^ b1 ^ (v6 ? 1 : 0);
        return (int) (h ^ h >>> 32);
    }

    /**
     * Fills the key with the address at {@code first} or, when {@code second} is not negative, with the two addresses
     * in a fixed order (the pair is unordered).
     */
    AddressKey fill(ByteBuffer b, int first, int second, int len) {
        long x0 = high(b, first, len);
        long x1 = low(b, first, len);
        v6 = len == 16;
        if (second < 0) {
            a0 = x0;
            a1 = x1;
            b0 = 0;
            b1 = 0;
            return this;
        }
        long y0 = high(b, second, len);
        long y1 = low(b, second, len);
        boolean swap = Long.compareUnsigned(x0, y0) > 0 || x0 == y0 && Long.compareUnsigned(x1, y1) > 0;
        a0 = swap ? y0 : x0;
        a1 = swap ? y1 : x1;
        b0 = swap ? x0 : y0;
        b1 = swap ? x1 : y1;
        return this;
    }

    /** The key's first address as text (for reports). */
    String firstAddress() {
        ByteBuffer b = v6 ? ByteBuffer.allocate(16).putLong(a0).putLong(a1) : ByteBuffer.allocate(4).putInt((int) a1);
        return io.judo.packet.Addresses.format(b, 0, b.capacity());
    }

    /** An address's first eight bytes (0 for IPv4, whose four bytes are all in {@link #low}). */
    private static long high(ByteBuffer b, int at, int len) {
        return len == 4 ? 0 : b.getLong(at);
    }

    /** An address's last eight bytes, or an IPv4 address unsigned. */
    private static long low(ByteBuffer b, int at, int len) {
        return len == 4 ? b.getInt(at) & 0xffffffffL : b.getLong(at + 8);
    }
}
