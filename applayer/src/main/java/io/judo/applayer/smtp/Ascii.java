package io.judo.applayer.smtp;

/** ASCII helpers for case-insensitive matching of verbs, header names and parameters. */
final class Ascii {
    private Ascii() {
    }

    static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    /** @return whether a[aOff, +n) equals the lower-case bytes lower[lOff, +n), ignoring the case of a */
    static boolean equalsLower(byte[] a, int aOff, byte[] lower, int lOff, int n) {
        for (int i = 0; i < n; i++) {
            if (lower(a[aOff + i]) != lower[lOff + i]) {
                return false;
            }
        }
        return true;
    }

    /** @return whether a[off, end) starts with the lower-case word, ignoring case */
    static boolean startsWith(byte[] a, int off, int end, byte[] lower) {
        return end - off >= lower.length && equalsLower(a, off, lower, 0, lower.length);
    }

    static boolean isSpace(int c) {
        return c == ' ' || c == '\t';
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
