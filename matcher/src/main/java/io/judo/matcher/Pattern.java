package io.judo.matcher;

import java.util.EnumSet;
import java.util.Set;

/**
 * One pattern: an id (what matches report), a regular expression in the PCRE subset IDS rules use, flags, and
 * optional bounds on where a match may end ({@code minEnd}/{@code maxEnd}, i.e. Snort's offset/depth expressed as
 * end offsets; -1 for none). A literal is a pattern whose expression was made by {@link #literal}.
 */
public record Pattern(int id, String expression, Set<PatternFlag> flags, long minEnd, long maxEnd) {
    public Pattern {
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        if (minEnd >= 0 && maxEnd >= 0 && minEnd > maxEnd) {
            throw new IllegalArgumentException("pattern " + id + ": minEnd " + minEnd + " > maxEnd " + maxEnd);
        }
    }

    public Pattern(int id, String expression, Set<PatternFlag> flags) {
        this(id, expression, flags, -1, -1);
    }

    /** A pattern matching exactly these bytes (escaped into the regex syntax). */
    public static Pattern literal(int id, byte[] bytes, Set<PatternFlag> flags) {
        StringBuilder sb = new StringBuilder(bytes.length * 4);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '_') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return new Pattern(id, sb.toString(), flags);
    }

    /**
     * The number of bytes this pattern matches when its expression is a plain literal as {@link #literal} writes it
     * (letters, digits, space, underscore and {@code \xHH} escapes), else -1 (a regex: no fixed width). A scan that
     * resumes inside data already scanned needs to go back only this many bytes minus one to find every match that
     * ends in the new part.
     */
    public int literalLength() {
        int n = 0;
        for (int i = 0; i < expression.length(); n++) {
            char c = expression.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '_') {
                i++;
            } else if (c == '\\' && i + 3 < expression.length() && expression.charAt(i + 1) == 'x'
                    && hex(expression.charAt(i + 2)) && hex(expression.charAt(i + 3))) {
                i += 4;
            } else {
                return -1;
            }
        }
        return n;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    public boolean has(PatternFlag f) {
        return flags.contains(f);
    }
}
