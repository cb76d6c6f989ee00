package io.judo.matcher.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * The longest run of bytes every match must contain, read off the top level of a parse tree: consecutive
 * single-byte nodes (a caseless letter counts as one byte, compared caselessly). Used to skip the confirm stage's
 * regex on data that cannot match.
 */
public final class RequiredLiteral {
    /** The bytes, as sets: each either one byte or one letter in both cases. */
    private final List<ByteSet> bytes;

    private RequiredLiteral(List<ByteSet> bytes) {
        this.bytes = bytes;
    }

    /** The required literal of {@code tree}, or null when it has none of at least {@code minLength} bytes. */
    public static RequiredLiteral of(RegexNode tree, int minLength) {
        List<RegexNode> items = tree instanceof RegexNode.Concat c ? c.items() : List.of(tree);
        List<ByteSet> best = List.of();
        List<ByteSet> run = new ArrayList<>();
        for (RegexNode n : items) {
            if (n instanceof RegexNode.Bytes b && (b.set().size() == 1 || caselessLetter(b.set()))) {
                run.add(b.set());
                if (run.size() > best.size()) {
                    best = new ArrayList<>(run);
                }
            } else if (!(n instanceof RegexNode.Start) && !(n instanceof RegexNode.End)) {
                run.clear();
            }
        }
        return best.size() >= minLength ? new RequiredLiteral(best) : null;
    }

    private static boolean caselessLetter(ByteSet s) {
        if (s.size() != 2) {
            return false;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            if (s.contains(c) && s.contains(c - 32)) {
                return true;
            }
        }
        return false;
    }

    public int length() {
        return bytes.size();
    }

    /** True when {@code data[0, length)} contains the literal. */
    public boolean foundIn(byte[] data, int length) {
        int n = bytes.size();
        outer:
        for (int i = 0; i + n <= length; i++) {
            for (int k = 0; k < n; k++) {
                if (!bytes.get(k).contains(data[i + k] & 0xff)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
