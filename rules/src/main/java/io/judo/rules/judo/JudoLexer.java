package io.judo.rules.judo;

import io.judo.rules.RuleError;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one logical line (a trailing backslash joins the next) into {@link Token}s. {@code #} starts a comment
 * outside strings. Strings take the escapes {@code \" \\ \n \r \t \xHH}; any other backslash pair is kept as
 * written, so a regex can say {@code \d} or {@code \.} directly.
 */
final class JudoLexer {
    private JudoLexer() {
    }

    static List<Token> tokens(String file, int line, String text) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') {
                break;
            }
            int start = i;
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new RuleError(file, line, start + 1, text, "unterminated string");
                    }
                    char d = text.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < text.length()) {
                        char e = text.charAt(i + 1);
                        i += 2;
                        switch (e) {
                            case 'n' -> sb.append('\n');
                            case 'r' -> sb.append('\r');
                            case 't' -> sb.append('\t');
                            case '"', '\\' -> sb.append(e);
                            case 'x' -> {
                                if (i + 2 > text.length() || Character.digit(text.charAt(i), 16) < 0
                                        || Character.digit(text.charAt(i + 1), 16) < 0) {
                                    throw new RuleError(file, line, i - 1, text, "\\x needs two hex digits");
                                }
                                sb.append((char) Integer.parseInt(text.substring(i, i + 2), 16));
                                i += 2;
                            }
                            default -> sb.append('\\').append(e); // kept as written: regexes use \d, \. ...
                        }
                        continue;
                    }
                    if (d > 0xff) {
                        throw new RuleError(file, line, i + 1, text, "character outside Latin-1; write it as \\xHH");
                    }
                    sb.append(d);
                    i++;
                }
                out.add(new Token(Token.Kind.STRING, sb.toString(), line, start + 1));
                continue;
            }
            if ("{}<>!,=".indexOf(c) >= 0) {
                String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                if (two.equals("!=") || two.equals("<=") || two.equals(">=") || two.equals("><")
                        || two.equals("<>")) {
                    out.add(new Token(Token.Kind.SYMBOL, two, line, start + 1));
                    i += 2;
                } else {
                    out.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), line, start + 1));
                    i++;
                }
                continue;
            }
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))
                    && "{}<>!,=\"#".indexOf(text.charAt(i)) < 0) {
                i++;
            }
            if (i == start) {
                throw new RuleError(file, line, start + 1, text, "unexpected '" + c + "'");
            }
            out.add(new Token(Token.Kind.WORD, text.substring(start, i), line, start + 1));
        }
        out.add(new Token(Token.Kind.END, "end of line", line, text.length() + 1));
        return out;
    }
}
