package io.judo.applayer.smtp;

import io.judo.applayer.HeaderList;
import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;

/**
 * The headers of a message or a MIME part in arrival order, names and values copied into one array. Unlike HTTP's
 * table, a repeated name is kept as often as it comes (Received, or two Content-Type headers, are separate facts in
 * mail); continuation lines are appended to the last value as received (the line break removed, RFC 5322 unfolding).
 */
public final class MimeHeaders extends HeaderList {
    void clear() {
        clearHeaders();
    }

    /** Adds a header as a new entry, also when its name is already there (mail keeps each one). */
    void add(byte[] b, int nOff, int nLen, int vOff, int vLen) {
        append(b, nOff, nLen, vOff, vLen);
    }

    /** Appends to the last value (it is the last thing in the array); @return the value's new length */
    int extendLast(byte[] b, int off, int len) {
        text.add(b, off, len);
        valLen[count - 1] += len;
        return valLen[count - 1];
    }

    void copyFrom(MimeHeaders o) {
        clear();
        for (int i = 0; i < o.count; i++) {
            add(o.text.a, o.nameOff[i], o.nameLen[i], o.valOff[i], o.valLen[i]);
        }
    }

    /** @return the index of the first header with this lower-case name (ASCII case-insensitive), or -1 */
    int find(byte[] lowerName) {
        byte[] t = text.a;
        for (int i = 0; i < count; i++) {
            if (nameLen[i] == lowerName.length && Ascii.equalsLower(t, nameOff[i], lowerName, 0, lowerName.length)) {
                return i;
            }
        }
        return -1;
    }

    /** @return headers kept */
    public int count() {
        return count;
    }

    /** @param i index @param out filled with the i-th name as received @return out */
    public Slice name(int i, Slice out) {
        return out.set(text.a, nameOff[i], nameLen[i]);
    }

    /** @param i index @param out filled with the i-th value (unfolded, leading whitespace trimmed) @return out */
    public Slice value(int i, Slice out) {
        return out.set(text.a, valOff[i], valLen[i]);
    }

    /** @param i index @return the name as ISO-8859-1 text (for output, not the per-packet path) */
    public String name(int i) {
        return new String(text.a, nameOff[i], nameLen[i], StandardCharsets.ISO_8859_1);
    }

    /** @param i index @return the value as ISO-8859-1 text (for output) */
    public String value(int i) {
        return new String(text.a, valOff[i], valLen[i], StandardCharsets.ISO_8859_1);
    }

    /** @param name a header name, any case @return its first value, or null (for output and tests) */
    public String value(String name) {
        int i = find(name.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1));
        return i < 0 ? null : value(i);
    }
}
