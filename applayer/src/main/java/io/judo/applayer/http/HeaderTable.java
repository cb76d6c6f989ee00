package io.judo.applayer.http;

import io.judo.applayer.HeaderList;

/**
 * One message's headers in arrival order: names and values copied into one byte array (folded lines already
 * joined, surrounding whitespace trimmed). A repeated header is kept once with its values joined by ", " (libhtp's
 * behaviour, which is also what Suricata's header buffers show); {@link #repeated} says it happened.
 */
final class HeaderTable extends HeaderList {
    boolean repeated;

    void clear() {
        clearHeaders();
        repeated = false;
    }

    /**
     * Adds a header.
     *
     * @param limit bytes the table may hold (joining repeated values copies them, which would otherwise grow
     *     with the square of the repetitions)
     * @return true when the name was already present (the values were joined)
     */
    boolean add(byte[] src, int nOff, int nLen, int vOff, int vLen, int limit) {
        int i = find(src, nOff, nLen);
        if (i >= 0) {
            if (text.len + valLen[i] + 2 + vLen > limit) {
                repeated = true;
                return true; // joining would copy the value again: past the limit the repetition is only reported
            }
            int newOff = text.len;
            text.addSelf(valOff[i], valLen[i]);
            text.add((byte) ',');
            text.add((byte) ' ');
            text.add(src, vOff, vLen);
            valOff[i] = newOff;
            valLen[i] = text.len - newOff;
            repeated = true;
            return true;
        }
        append(src, nOff, nLen, vOff, vLen);
        return false;
    }

    /** @return the index of the header with this name (ASCII case-insensitive), or -1 */
    int find(byte[] name, int off, int len) {
        byte[] t = text.a;
        for (int i = 0; i < count; i++) {
            if (nameLen[i] == len && equalsIgnoreCase(t, nameOff[i], name, off, len)) {
                return i;
            }
        }
        return -1;
    }

    /** @param lowerName the name in lower case @return the index, or -1 */
    int find(byte[] lowerName) {
        return find(lowerName, 0, lowerName.length);
    }

    static boolean equalsIgnoreCase(byte[] a, int aOff, byte[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            int x = a[aOff + i];
            int y = b[bOff + i];
            if (x != y && lower(x) != lower(y)) {
                return false;
            }
        }
        return true;
    }

    static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
