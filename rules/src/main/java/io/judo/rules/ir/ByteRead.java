package io.judo.rules.ir;

/**
 * How a byte keyword reads its number: {@code nbytes} bytes at {@code offset} (from the cursor when
 * {@code relative}, else from the buffer start), as a big- or little-endian binary number ({@code base} 0) or as
 * text in base 8, 10 or 16; then, with a {@code bitmask} (0 for none), ANDed with it and shifted right by its
 * trailing zero bits, as Suricata documents.
 */
public record ByteRead(int nbytes, Value offset, boolean relative, boolean littleEndian, int base, long bitmask) {
    /** Binary, as opposed to a string of digits. */
    public boolean binary() {
        return base == 0;
    }
}
