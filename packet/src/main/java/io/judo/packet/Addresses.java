package io.judo.packet;

import java.nio.ByteBuffer;

/** Address text as tools print it: dotted quad for IPv4, RFC 5952 canonical form for IPv6. */
public final class Addresses {
    private Addresses() {
    }

    /** Formats 4 or 16 bytes at {@code offset} of {@code b}. */
    public static String format(ByteBuffer b, int offset, int length) {
        if (length == 4) {
            return (b.get(offset) & 0xff) + "." + (b.get(offset + 1) & 0xff) + "." + (b.get(offset + 2) & 0xff) + "."
                    + (b.get(offset + 3) & 0xff);
        }
        if (length != 16) {
            throw new IllegalArgumentException("address length " + length);
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = Short.toUnsignedInt(b.getShort(offset + 2 * i));
        }
        // RFC 5952 4.2: compress the longest run of two or more zero words, the first such run on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }

    /** Formats a 4- or 16-byte address array. */
    public static String format(byte[] address) {
        return format(ByteBuffer.wrap(address), 0, address.length);
    }
}
