package io.judo.matcher.confirm;

import java.io.ByteArrayOutputStream;

/**
 * The literal bytes every match of a PCRE expression starts with, read from the expression's text: the plain
 * characters and escaped literals before the first construct that is not one ({@code \\sDELETE} has none,
 * {@code \\x5Cu0[a-d]} has {@code \\u0}). A literal followed by a quantifier is not required and ends the prefix.
 *
 * <p>Conservative by design: no prefix for an expression with an alternation outside parentheses (its matches need
 * not start with the first branch's text), with {@code \\Q} quoting, or with anything that looks at or before the
 * match's start or the search region's bounds ({@code ^}, {@code \\A}, {@code \\G}, {@code \\b}, {@code \\B},
 * lookbehind): a match at an occurrence of the prefix is then the same whatever the search's region and bounds.
 */
final class RegexPrefix {
    private RegexPrefix() {
    }

    /**
     * The prefix of {@code pcre} (ASCII lower case when {@code caseless}), or null when it has none or the expression
     * is one the search must not shortcut.
     */
    static byte[] of(String pcre, boolean caseless) {
        if (!shortcutSafe(pcre)) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < pcre.length()) {
            int literal;
            int next;
            char c = pcre.charAt(i);
            if (c == '\\') {
                if (i + 1 >= pcre.length()) {
                    break;
                }
                char e = pcre.charAt(i + 1);
                if (e == 'x' && i + 3 < pcre.length() && hex(pcre.charAt(i + 2)) >= 0 && hex(pcre.charAt(i + 3)) >= 0) {
                    literal = hex(pcre.charAt(i + 2)) << 4 | hex(pcre.charAt(i + 3));
                    next = i + 4;
                } else if (e == 'n' || e == 'r' || e == 't') {
                    literal = e == 'n' ? '\n' : e == 'r' ? '\r' : '\t';
                    next = i + 2;
                } else if (!Character.isLetterOrDigit(e) && e < 0x80) {
                    literal = e; // an escaped punctuation character stands for itself
                    next = i + 2;
                } else {
                    break; // a class (\d, \s), a backreference, an octal or another escape: not one literal byte
                }
            } else if ("^$.|?*+()[]{}".indexOf(c) >= 0 || c > 0xff) {
                break;
            } else {
                literal = c;
                next = i + 1;
            }
            if (next < pcre.length() && "?*+{".indexOf(pcre.charAt(next)) >= 0) {
                break; // quantified: the literal may be absent or repeated
            }
            out.write(caseless && literal >= 'A' && literal <= 'Z' ? literal + 32 : literal);
            i = next;
        }
        return out.size() == 0 ? null : out.toByteArray();
    }

    /** No top-level alternation, no quoting, nothing that looks behind the start. */
    private static boolean shortcutSafe(String pcre) {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < pcre.length(); i++) {
            char c = pcre.charAt(i);
            if (c == '\\' && i + 1 < pcre.length()) {
                char e = pcre.charAt(i + 1);
                if (!inClass && "AGbBQ".indexOf(e) >= 0) {
                    return false;
                }
                i++;
                continue;
            }
            if (inClass) {
                inClass = c != ']';
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    if (i + 1 < pcre.length() && pcre.charAt(i + 1) == '^') {
                        i++;
                    }
                    if (i + 1 < pcre.length() && pcre.charAt(i + 1) == ']') {
                        i++; // a leading ] is literal
                    }
                }
                case '(' -> {
                    if (pcre.startsWith("(?<", i) || pcre.startsWith("(?P<", i)) {
                        return false; // lookbehind, or a named group we need not tell apart from one
                    }
                    depth++;
                }
                case ')' -> depth--;
                case '|' -> {
                    if (depth <= 0) {
                        return false;
                    }
                }
                case '^' -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return true;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
