package io.judo.packet.checksum;

import java.nio.ByteBuffer;

/**
 * Internet checksum arithmetic. Sums are carried as a {@code long} of 16-bit one's-complement partial sums and
 * folded at the end, so a sum can be built in pieces (pseudo-header, header, payload) without allocating.
 *
 * <p>All buffer reads are absolute and big-endian regardless of the buffer's order.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /**
     * Adds {@code length} bytes at {@code offset} to a running sum. The bytes are taken as 16-bit big-endian words
     * starting at an even position of the covered region; an odd final byte is padded with zero.
     */
    public static long add(long sum, ByteBuffer b, int offset, int length) {
        int i = offset;
        int end = offset + length;
        // 8 bytes per step, both 32-bit halves added into the 64-bit sum: each step adds less than 2^33, so even a
        // 256 MiB region cannot overflow. Big-endian words sum to the same one's-complement value at any alignment.
        if (b.order() == java.nio.ByteOrder.BIG_ENDIAN) {
            while (end - i >= 16) {
                long v = b.getLong(i);
                long w = b.getLong(i + 8);
                sum += (v >>> 32) + (v & 0xffffffffL) + (w >>> 32) + (w & 0xffffffffL);
                i += 16;
            }
            if (end - i >= 8) {
                long v = b.getLong(i);
                sum += (v >>> 32) + (v & 0xffffffffL);
                i += 8;
            }
            if (end - i >= 4) {
                sum += Integer.toUnsignedLong(b.getInt(i));
                i += 4;
            }
        } else {
            while (end - i >= 4) {
                sum += Integer.toUnsignedLong(Integer.reverseBytes(b.getInt(i)));
                i += 4;
            }
        }
        if (end - i >= 2) {
            sum += ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
            i += 2;
        }
        if (i < end) {
            sum += (b.get(i) & 0xff) << 8;
        }
        return sum;
    }

    /** Adds bytes from an array (for builders and tests). */
    public static long add(long sum, byte[] b, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (end - i >= 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
            i += 2;
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits (one's-complement addition of the carries). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum field value for a running sum: the complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** Checksum of a region (the value to store in a checksum field that was zero while summing). */
    public static int compute(ByteBuffer b, int offset, int length) {
        return finish(add(0, b, offset, length));
    }

    /**
     * The pseudo-header sum for TCP, UDP and ICMPv6: source and destination address ({@code addressLength} 4 or 16
     * bytes each), the upper-layer protocol and length.
     */
    public static long pseudoHeader(ByteBuffer b, int srcOffset, int dstOffset, int addressLength, int protocol,
                                    int upperLength) {
        long sum = add(0, b, srcOffset, addressLength);
        sum = add(sum, b, dstOffset, addressLength);
        return sum + protocol + (upperLength & 0xffff) + (upperLength >>> 16);
    }

    /** Recomputes and stores the IPv4 header checksum of the header at {@code l3} ({@code headerLength} bytes). */
    public static void storeIpv4Header(ByteBuffer b, int l3, int headerLength) {
        b.putShort(l3 + 10, (short) 0);
        b.putShort(l3 + 10, (short) compute(b, l3, headerLength));
    }

    /**
     * Recomputes and stores a TCP, UDP or ICMPv6 checksum over the pseudo-header and the {@code length} bytes at
     * {@code l4}; {@code field} is the checksum's offset within that header (16, 6, 2). A computed UDP zero is stored
     * as 0xffff (RFC 768: zero means "none").
     */
    public static void storeTransport(ByteBuffer b, int l4, int length, int field, int srcOffset, int dstOffset,
                                      int addressLength, int protocol) {
        b.putShort(l4 + field, (short) 0);
        int c = finish(add(pseudoHeader(b, srcOffset, dstOffset, addressLength, protocol, length), b, l4, length));
        b.putShort(l4 + field, (short) (protocol == 17 && c == 0 ? 0xffff : c));
    }

    /**
     * RFC 1624 equation 3: the new checksum after one 16-bit word of the covered data changed from {@code oldWord} to
     * {@code newWord}. {@code HC' = ~(~HC + ~m + m')}, which stays correct where the older equation 2 gave -0.
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    /** RFC 1624 update for a changed 32-bit value (an IPv4 address, a sequence number). */
    public static int update32(int checksum, int oldValue, int newValue) {
        int c = update16(checksum, oldValue >>> 16, newValue >>> 16);
        return update16(c, oldValue & 0xffff, newValue & 0xffff);
    }
}
