package io.judo.rules.pcap;

import io.judo.rules.SyntaxError;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a filter into tokens. Words run over letters, digits and {@code _ . - : \}, so that {@code tcp-syn},
 * {@code 1000-2000}, {@code 10.0.0.1}, {@code 2001:db8::1} and {@code 02:00:5e:00:00:01} are single words; a
 * {@code /prefix} continues an address word. Inside brackets {@code :} is punctuation ({@code ip[2:2]}).
 */
final class FilterLexer {
    private static final String[] TWO = {"&&", "||", "==", "!=", ">=", "<=", "<<", ">>"};
    private static final String ONE = "()[]:+*/%&|^!=<>-";

    private FilterLexer() {
    }

    static List<Token> lex(String text) {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (Character.isLetterOrDigit(c) || c == '_' || c == '\\') {
                int start = i;
                while (i < text.length()) {
                    char d = text.charAt(i);
                    boolean wordChar = Character.isLetterOrDigit(d) || d == '_' || d == '.' || d == '\\'
                            || (d == '-' && i + 1 < text.length() && Character.isLetterOrDigit(text.charAt(i + 1)))
                            || (d == ':' && depth == 0);
                    boolean prefix = d == '/' && looksLikeAddress(text.substring(start, i));
                    if (!wordChar && !prefix) {
                        break;
                    }
                    i++;
                }
                out.add(new Token(text.substring(start, i), true, start + 1));
                continue;
            }
            String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
            boolean matched = false;
            for (String t : TWO) {
                if (t.equals(two)) {
                    out.add(new Token(t, false, i + 1));
                    i += 2;
                    matched = true;
                    break;
                }
            }
            if (matched) {
                continue;
            }
            if (ONE.indexOf(c) >= 0) {
                if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth = Math.max(0, depth - 1);
                }
                out.add(new Token(String.valueOf(c), false, i + 1));
                i++;
                continue;
            }
            throw new SyntaxError(text, i + 1, "unexpected character '" + c + "'");
        }
        return out;
    }

    private static boolean looksLikeAddress(String word) {
        return !word.isEmpty() && (word.indexOf('.') >= 0 || word.indexOf(':') >= 0)
                && Character.isLetterOrDigit(word.charAt(0));
    }
}
