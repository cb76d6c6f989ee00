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

    /** Per position, the byte (both equal) or the letter's two cases: what a search compares against. */
    private final byte[] one;
    private final byte[] other;

    private RequiredLiteral(List<ByteSet> bytes) {
        this.bytes = bytes;
        one = new byte[bytes.size()];
        other = new byte[bytes.size()];
        for (int k = 0; k < one.length; k++) {
            int first = -1;
            int last = -1;
            for (int v = 0; v < 256; v++) {
                if (bytes.get(k).contains(v)) {
                    first = first < 0 ? v : first;
                    last = v;
                }
            }
            one[k] = (byte) first;
            other[k] = (byte) last;
        }
    }

    /** The required literal of {@code tree}, or null when it has none of at least {@code minLength} bytes. */
    public static RequiredLiteral of(RegexNode tree, int minLength) {
        List<RegexNode> items = tree instanceof RegexNode.Concat c ? c.items() : List.of(tree);
        List<ByteSet> best = List.of();
        List<ByteSet> run = new ArrayList<>();
        for (RegexNode n : items) {
            if (n instanceof RegexNode.Bytes b && literal(b.set())) {
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
        return indexIn(data, 0, length - bytes.size()) >= 0;
    }

    /** The first index {@code i} in {@code [from, last]} where {@code data[i, i + length())} is the literal, or -1. */
    public int indexIn(byte[] data, int from, int last) {
        int n = one.length;
        byte a = one[0];
        byte b = other[0];
        outer:
        for (int i = from; i <= last; i++) {
            byte d = data[i];
            if (d != a && d != b) {
                continue;
            }
            for (int k = 1; k < n; k++) {
                byte e = data[i + k];
                if (e != one[k] && e != other[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The bytes every match of {@code tree} starts with: its leading single-byte nodes (through groups, which parse to
     * nested concatenations), up to the first node that is not one; null when there are none. A top-level alternation
     * has none, an optional or repeated byte ends the prefix.
     */
    public static RequiredLiteral prefixOf(RegexNode tree) {
        List<ByteSet> run = new ArrayList<>();
        leading(tree, run);
        return run.isEmpty() ? null : new RequiredLiteral(run);
    }

    /** Appends the literal bytes {@code n} starts with; true when all of {@code n} was literal. */
    private static boolean leading(RegexNode n, List<ByteSet> run) {
        if (n instanceof RegexNode.Bytes b && literal(b.set())) {
            run.add(b.set());
            return true;
        }
        if (n instanceof RegexNode.Empty) {
            return true;
        }
        if (n instanceof RegexNode.Concat c) {
            for (RegexNode item : c.items()) {
                if (!leading(item, run)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean literal(ByteSet s) {
        return s.size() == 1 || caselessLetter(s);
    }

    /** The literal, a caseless letter as {@code [Aa]} and a byte outside printable ASCII as {@code \xHH}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (ByteSet s : bytes) {
            for (int v = 0; v < 256; v++) {
                if (!s.contains(v)) {
                    continue;
                }
                if (s.size() == 2) {
                    sb.append('[').append((char) v).append((char) (v + 32)).append(']');
                } else if (v >= 0x20 && v < 0x7f) {
                    sb.append((char) v);
                } else {
                    sb.append(String.format("\\x%02x", v));
                }
                break;
            }
        }
        return sb.toString();
    }
}
