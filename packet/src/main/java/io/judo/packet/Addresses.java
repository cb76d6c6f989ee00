package io.judo.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Address text as tools print it (dotted quad for IPv4, RFC 5952 canonical form for IPv6), and address and prefix
 * literals as users write them.
 */
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

    /**
     * Parses an IPv4 or IPv6 literal into 4 or 16 bytes; only hex digits, ':' and '.' are accepted, so a name never
     * leads to a DNS lookup.
     *
     * @throws IllegalArgumentException "not an address: 'TEXT'"
     */
    public static byte[] parse(String text) {
        if (text.isEmpty() || !text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an address: '" + text + "'");
        }
        if (text.indexOf(':') < 0) {
            // IPv4 as four decimal octets only: InetAddress reads "10" as 0.0.0.10 and "cafe" as a host name
            String[] octets = text.split("\\.", -1);
            if (octets.length != 4) {
                throw new IllegalArgumentException("not an address: '" + text + "'");
            }
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (!octets[i].matches("[0-9]{1,3}") || Integer.parseInt(octets[i]) > 255) {
                    throw new IllegalArgumentException("not an address: '" + text + "'");
                }
                out[i] = (byte) Integer.parseInt(octets[i]);
            }
            return out;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: '" + text + "'");
        }
    }

    /** An address prefix: the address bytes (4 or 16) and how many leading bits count. */
    public record Prefix(byte[] address, int bits) {
        /** True when the address of {@code length} bytes at {@code offset} of {@code b} lies inside the prefix. */
        public boolean contains(ByteBuffer b, int offset, int length) {
            if (length != address.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (b.get(offset + i) != address[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = 0xff << (8 - rest) & 0xff;
            return rest == 0 || ((b.get(offset + whole) ^ address[whole]) & mask) == 0;
        }
    }

    /**
     * Parses {@code address[/bits]}; a bare address is one host.
     *
     * @throws IllegalArgumentException naming what is wrong: the address, or the prefix length
     */
    public static Prefix parsePrefix(String text) {
        int slash = text.indexOf('/');
        byte[] address = parse(slash < 0 ? text : text.substring(0, slash));
        int max = address.length * 8;
        int bits = max;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("prefix length " + bits + " out of range 0-" + max);
            }
        }
        return new Prefix(address, bits);
    }
}
