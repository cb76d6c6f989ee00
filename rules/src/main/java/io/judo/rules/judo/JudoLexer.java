package io.judo.rules.judo;

import io.judo.rules.RuleError;
import java.util.HashMap;
import java.util.Map;

/**
 * Splits a whole file into {@link Token}s on demand, one logical line at a time (a trailing backslash joins the next
 * physical line), ending each with a {@code NEWLINE} token and the file with {@code END}. {@code #} starts a comment
 * outside strings. Strings take the escapes {@code \" \\ \n \r \t \xHH}; any other backslash pair is kept as
 * written, so a regex can say {@code \d} or {@code \.} directly.
 *
 * <p>Macros are expanded here, as pf's lexer does: {@code $name} outside quotes is replaced by the macro's value and
 * lexing goes on over the result, so {@code $ext_if:network} is one word and a value of {@code "{ 22 113 }"} becomes
 * a list. Because tokens are made only when the parser asks, a macro defined on one line is known on the next. A
 * macro whose value uses itself would expand forever: expansion of one line stops with an error after
 * {@value #MAX_EXPANSIONS} expansions or {@value #MAX_LINE} characters.
 */
final class JudoLexer {
    static final int MAX_EXPANSIONS = 1_000;
    static final int MAX_LINE = 1 << 20;
    private static final String SYMBOLS = "{}()<>!,=";

    private final String file;
    private final String[] physical;
    private final Map<String, String> macros;
    /** Logical line texts by their first physical line number, for error displays. */
    private final Map<Integer, String> texts = new HashMap<>();
    private int nextPhysical;
    private StringBuilder buf;
    /** The column (1-based, in the logical line as written) each character of {@link #buf} came from. */
    private int[] origin;
    private int pos;
    private int line;
    private int expansions;
    private boolean ended;

    /**
     * @param macros the macros defined so far, shared with the parser (which adds to it) and with included files
     */
    JudoLexer(String file, String text, Map<String, String> macros) {
        this.file = file;
        this.physical = text.split("\n", -1);
        this.macros = macros;
    }

    /** The logical line that starts at physical line {@code number}, as written (for error displays). */
    String text(int number) {
        return texts.getOrDefault(number, "");
    }

    String file() {
        return file;
    }

    /** A token given back by {@link #unread}: the next one {@link #next} returns. */
    private Token pending;

    /** Gives a token back: the parser read past the end of a statement that was never closed. */
    void unread(Token t) {
        pending = t;
    }

    /** Whether a token was given back (the rest of its line is still to be read). */
    boolean hasPending() {
        return pending != null;
    }

    /** The next token; after {@code END}, {@code END} again. */
    Token next() {
        if (pending != null) {
            Token t = pending;
            pending = null;
            return t;
        }
        while (true) {
            if (buf == null) {
                if (!readLine()) {
                    return new Token(Token.Kind.END, "end of file", line, 1);
                }
            }
            while (pos < buf.length() && Character.isWhitespace(buf.charAt(pos))) {
                pos++;
            }
            if (pos >= buf.length() || buf.charAt(pos) == '#') {
                int column = buf.length() + 1;
                buf = null;
                return new Token(Token.Kind.NEWLINE, "end of line", line, column);
            }
            Token t = token();
            if (t != null) {
                return t;
            }
        }
    }

    /** Skips the rest of the current logical line (error recovery); the next token starts the next line. */
    void skipLine() {
        buf = null;
    }

    private boolean readLine() {
        if (nextPhysical >= physical.length || ended) {
            ended = true;
            return false;
        }
        line = nextPhysical + 1;
        StringBuilder sb = new StringBuilder(strip(physical[nextPhysical++]));
        while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '\\' && nextPhysical < physical.length) {
            sb.setLength(sb.length() - 1);
            sb.append(' ').append(strip(physical[nextPhysical++]));
        }
        String text = sb.toString();
        texts.put(line, text);
        buf = sb;
        origin = new int[text.length()];
        for (int i = 0; i < origin.length; i++) {
            origin[i] = i + 1;
        }
        pos = 0;
        expansions = 0;
        return true;
    }

    private static String strip(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private RuleError error(int at, String message) {
        return new RuleError(file, line, at < origin.length ? origin[at] : texts.get(line).length() + 1,
                texts.get(line), message);
    }

    /** One token from {@link #pos}, or null when a macro was expanded there (lexing starts over on the result). */
    private Token token() {
        char c = buf.charAt(pos);
        int start = pos;
        int column = origin[pos];
        if (c == '"') {
            return string(start, column);
        }
        if (SYMBOLS.indexOf(c) >= 0) {
            String two = pos + 1 < buf.length() ? buf.substring(pos, pos + 2) : "";
            if (two.equals("!=") || two.equals("<=") || two.equals(">=") || two.equals("><") || two.equals("<>")) {
                pos += 2;
                return new Token(Token.Kind.SYMBOL, two, line, column);
            }
            pos++;
            return new Token(Token.Kind.SYMBOL, String.valueOf(c), line, column);
        }
        while (pos < buf.length()) {
            char d = buf.charAt(pos);
            if (d == '$') {
                expand(pos);
                if (pos == start) {
                    return null;
                }
                continue;
            }
            if (Character.isWhitespace(d) || SYMBOLS.indexOf(d) >= 0 || d == '"' || d == '#') {
                break;
            }
            pos++;
        }
        return new Token(Token.Kind.WORD, buf.substring(start, pos), line, column);
    }

    /** Replaces {@code $name} at {@code at} with the macro's value, every character taking the column of the $. */
    private void expand(int at) {
        int end = at + 1;
        while (end < buf.length() && (Character.isLetterOrDigit(buf.charAt(end)) || buf.charAt(end) == '_')) {
            end++;
        }
        String name = buf.substring(at + 1, end);
        if (name.isEmpty()) {
            throw error(at, "'$' must be followed by a macro name");
        }
        String value = macros.get(name);
        if (value == null) {
            throw error(at, "macro '" + name + "' is not defined");
        }
        if (++expansions > MAX_EXPANSIONS || buf.length() - (end - at) + value.length() > MAX_LINE) {
            throw error(at, "macro expansion does not end: '$" + name + "' expands into itself (through the "
                    + "macros it uses)");
        }
        int column = origin[at];
        buf.replace(at, end, value);
        int[] o = new int[buf.length()];
        System.arraycopy(origin, 0, o, 0, at);
        java.util.Arrays.fill(o, at, at + value.length(), column);
        System.arraycopy(origin, end, o, at + value.length(), origin.length - end);
        origin = o;
    }

    private Token string(int start, int column) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= buf.length()) {
                throw error(start, "unterminated string");
            }
            char d = buf.charAt(pos);
            if (d == '"') {
                pos++;
                break;
            }
            if (d == '\\' && pos + 1 < buf.length()) {
                char e = buf.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case '"', '\\' -> sb.append(e);
                    case 'x' -> {
                        if (pos + 2 > buf.length() || Character.digit(buf.charAt(pos), 16) < 0
                                || Character.digit(buf.charAt(pos + 1), 16) < 0) {
                            throw error(pos - 2, "\\x needs two hex digits");
                        }
                        sb.append((char) Integer.parseInt(buf.substring(pos, pos + 2), 16));
                        pos += 2;
                    }
                    default -> sb.append('\\').append(e); // kept as written: regexes use \d, \. ...
                }
                continue;
            }
            if (d > 0xff) {
                throw error(pos, "character outside Latin-1; write it as \\xHH");
            }
            sb.append(d);
            pos++;
        }
        return new Token(Token.Kind.STRING, sb.toString(), line, column);
    }
}
