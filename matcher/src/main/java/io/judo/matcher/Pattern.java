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

    public boolean has(PatternFlag f) {
        return flags.contains(f);
    }
}
