package io.judo.matcher.regex;

import io.judo.matcher.MatcherException;
import io.judo.matcher.regex.RegexNode.Alt;
import io.judo.matcher.regex.RegexNode.Bytes;
import io.judo.matcher.regex.RegexNode.Concat;
import io.judo.matcher.regex.RegexNode.Empty;
import io.judo.matcher.regex.RegexNode.End;
import io.judo.matcher.regex.RegexNode.Repeat;
import io.judo.matcher.regex.RegexNode.Start;
import io.judo.matcher.regex.RegexNode.Unsupported;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the PCRE subset used by IDS rules into a {@link RegexNode} tree over bytes (the pattern text is Latin-1:
 * each character is one byte). Supported: literals and escapes ({@code \t \n \r \f \e \a \0 \ddd \xHH \x{HH} \cX},
 * escaped punctuation), classes ({@code . \d \D \w \W \s \S \h \H \v \V}, bracket classes with ranges, negation and
 * POSIX names), groups (capturing, {@code (?:)}, named) treated as non-capturing, alternation, {@code * + ? {n}
 * {n,} {n,m}} with lazy variants, inline and scoped flags {@code (?imsx)}, anchors {@code ^ $ \A \z \Z}. Caseless
 * matching is applied here by folding ASCII letters into both cases.
 *
 * <p>Backreferences, lookaround, word boundaries, atomic groups and possessive quantifiers become
 * {@link RegexNode.Unsupported} (the pattern goes to the confirm stage). Malformed syntax throws
 * {@link MatcherException} with the column.
 */
public final class RegexParser {
    private static final int MAX_REPEAT = 65535;

    private final String text;
    private final int id;
    private int pos;
    private boolean caseless;
    private boolean dotall;
    private boolean multiline;
    private boolean extended;

    private RegexParser(String text, int id, boolean caseless, boolean dotall, boolean multiline) {
        this.text = text;
        this.id = id;
        this.caseless = caseless;
        this.dotall = dotall;
        this.multiline = multiline;
    }

    public static RegexNode parse(String text, int patternId, boolean caseless, boolean dotall, boolean multiline) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                throw new MatcherException(patternId, i + 1, "character U+" + Integer.toHexString(text.charAt(i))
                        + " is not a byte; write bytes with \\xHH");
            }
        }
        RegexParser p = new RegexParser(text, patternId, caseless, dotall, multiline);
        RegexNode n = p.alternation();
        if (p.pos < text.length()) {
            throw p.error(text.charAt(p.pos) == ')' ? "unmatched ')'" : "unexpected '" + text.charAt(p.pos) + "'");
        }
        return n;
    }

    private MatcherException error(String message) {
        return new MatcherException(id, pos + 1, message);
    }

    private boolean more() {
        return pos < text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private RegexNode alternation() {
        List<RegexNode> options = new ArrayList<>();
        boolean savedCaseless = caseless;
        boolean savedDotall = dotall;
        boolean savedMultiline = multiline;
        boolean savedExtended = extended;
        options.add(sequence());
        while (more() && peek() == '|') {
            pos++;
            options.add(sequence());
        }
        // Inline flags set inside a group end with the group.
        caseless = savedCaseless;
        dotall = savedDotall;
        multiline = savedMultiline;
        extended = savedExtended;
        return options.size() == 1 ? options.get(0) : new Alt(options);
    }

    private RegexNode sequence() {
        List<RegexNode> items = new ArrayList<>();
        while (more() && peek() != '|' && peek() != ')') {
            if (extended) {
                char c = peek();
                if (Character.isWhitespace(c)) {
                    pos++;
                    continue;
                }
                if (c == '#') {
                    while (more() && peek() != '\n') {
                        pos++;
                    }
                    continue;
                }
            }
            RegexNode atom = atom();
            if (atom == null) {
                continue; // a flag-setting group like (?i)
            }
            items.add(quantified(atom));
        }
        if (items.isEmpty()) {
            return new Empty();
        }
        return items.size() == 1 ? items.get(0) : new Concat(items);
    }

    private RegexNode quantified(RegexNode atom) {
        while (more()) {
            int start = pos;
            char c = peek();
            int min;
            int max;
            if (c == '*') {
                min = 0;
                max = -1;
                pos++;
            } else if (c == '+') {
                min = 1;
                max = -1;
                pos++;
            } else if (c == '?') {
                min = 0;
                max = 1;
                pos++;
            } else if (c == '{') {
                int[] bounds = counted();
                if (bounds == null) {
                    return atom; // not a quantifier: '{' is a literal, handled by the next atom
                }
                min = bounds[0];
                max = bounds[1];
            } else {
                return atom;
            }
            if (atom instanceof Start || atom instanceof End) {
                throw new MatcherException(id, start + 1, "quantifier after an anchor");
            }
            if (more() && peek() == '?') {
                pos++; // lazy: same set of matches
            } else if (more() && peek() == '+') {
                pos++;
                return new Unsupported("possessive quantifier", start + 1);
            }
            atom = new Repeat(atom, min, max);
        }
        return atom;
    }

    /** Parses {n}, {n,}, {n,m} at pos; null (pos unchanged) when it is not a quantifier. */
    private int[] counted() {
        int save = pos;
        pos++;
        int min = digits();
        if (min < 0) {
            pos = save;
            return null;
        }
        int max = min;
        if (more() && peek() == ',') {
            pos++;
            max = more() && Character.isDigit(peek()) ? digits() : -1;
        }
        if (!more() || peek() != '}') {
            pos = save;
            return null;
        }
        pos++;
        if (min > MAX_REPEAT || max > MAX_REPEAT) {
            throw new MatcherException(id, save + 1, "repeat count above " + MAX_REPEAT);
        }
        if (max >= 0 && max < min) {
            throw new MatcherException(id, save + 1, "repeat {" + min + "," + max + "} is backwards");
        }
        return new int[] {min, max};
    }

    private int digits() {
        int start = pos;
        long v = 0;
        while (more() && Character.isDigit(peek())) {
            v = Math.min(Integer.MAX_VALUE, v * 10 + (peek() - '0'));
            pos++;
        }
        return pos == start ? -1 : (int) v;
    }

    private RegexNode atom() {
        int start = pos;
        char c = peek();
        switch (c) {
            case '(':
                return group();
            case '[':
                return bytes(bracket());
            case '.':
                pos++;
                return bytes(dotall ? ByteSet.all() : ByteSet.all().negate().add('\n').negate());
            case '^':
                pos++;
                return new Start(multiline);
            case '$':
                pos++;
                return new End(true, multiline);
            case '\\':
                return escape();
            case '*':
            case '+':
            case '?':
                throw error("quantifier '" + c + "' with nothing to repeat");
            default:
                pos++;
                return literal(c);
        }
    }

    private RegexNode literal(int c) {
        ByteSet s = ByteSet.of(c);
        if (caseless) {
            s.caseFold();
        }
        return new Bytes(s);
    }

    private RegexNode bytes(ByteSet s) {
        if (caseless) {
            s.caseFold();
        }
        return new Bytes(s);
    }

    private RegexNode group() {
        int start = pos;
        pos++;
        if (more() && peek() == '?') {
            pos++;
            if (!more()) {
                throw error("unterminated group");
            }
            char k = peek();
            if (k == ':') {
                pos++;
                return closeGroup(start);
            }
            if (k == '=' || k == '!') {
                skipGroup(start);
                return new Unsupported("lookahead", start + 1);
            }
            if (k == '<' && pos + 1 < text.length() && (text.charAt(pos + 1) == '=' || text.charAt(pos + 1) == '!')) {
                skipGroup(start);
                return new Unsupported("lookbehind", start + 1);
            }
            if (k == '>') {
                skipGroup(start);
                return new Unsupported("atomic group", start + 1);
            }
            if (k == 'P' || k == '<' || k == '\'') {
                if (k == 'P') {
                    pos++;
                    if (more() && peek() == '=') {
                        skipGroup(start);
                        return new Unsupported("named backreference", start + 1);
                    }
                }
                if (!more()) { // "(?P" at the end of the pattern
                    throw error("unterminated group name");
                }
                char close = peek() == '\'' ? '\'' : '>';
                int end = text.indexOf(close, pos + 1);
                if (end < 0) {
                    throw error("unterminated group name");
                }
                pos = end + 1;
                return closeGroup(start);
            }
            if (k == '#') {
                int end = text.indexOf(')', pos);
                if (end < 0) {
                    throw error("unterminated comment");
                }
                pos = end + 1;
                return null;
            }
            // Flags: (?imsx-imsx) or (?imsx-imsx:...)
            boolean on = true;
            boolean c2 = caseless;
            boolean d2 = dotall;
            boolean m2 = multiline;
            boolean x2 = extended;
            while (more() && peek() != ')' && peek() != ':') {
                char f = peek();
                switch (f) {
                    case '-': on = false; break;
                    case 'i': c2 = on; break;
                    case 's': d2 = on; break;
                    case 'm': m2 = on; break;
                    case 'x': x2 = on; break;
                    default:
                        throw error("unknown group flag '" + f + "'");
                }
                pos++;
            }
            if (!more()) {
                throw error("unterminated group");
            }
            if (peek() == ')') {
                pos++;
                caseless = c2;
                dotall = d2;
                multiline = m2;
                extended = x2;
                return null;
            }
            pos++; // ':'
            boolean c0 = caseless;
            boolean d0 = dotall;
            boolean m0 = multiline;
            boolean x0 = extended;
            caseless = c2;
            dotall = d2;
            multiline = m2;
            extended = x2;
            RegexNode inner = closeGroup(start);
            caseless = c0;
            dotall = d0;
            multiline = m0;
            extended = x0;
            return inner;
        }
        return closeGroup(start);
    }

    private RegexNode closeGroup(int start) {
        RegexNode inner = alternation();
        if (!more() || peek() != ')') {
            throw new MatcherException(id, start + 1, "unterminated group");
        }
        pos++;
        return inner;
    }

    private void skipGroup(int start) {
        int depth = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                pos = i + 1;
                return;
            }
        }
        throw new MatcherException(id, start + 1, "unterminated group");
    }

    private RegexNode escape() {
        int start = pos;
        pos++;
        if (!more()) {
            throw error("pattern ends with a backslash");
        }
        char c = peek();
        pos++;
        switch (c) {
            case 'A': return new Start(false);
            case 'z': return new End(false, false);
            case 'Z': return new End(true, false);
            case 'b': case 'B': return new Unsupported("word boundary \\" + c, start + 1);
            case 'G': case 'K': case 'R': case 'X': case 'C': case 'p': case 'P':
                return new Unsupported("\\" + c, start + 1);
            case 'g': case 'k': return new Unsupported("backreference", start + 1);
            default:
                break;
        }
        if (c >= '1' && c <= '9') {
            return new Unsupported("backreference \\" + c, start + 1);
        }
        pos = start;
        return bytes(escapedSet(false));
    }

    /** An escape at pos (the backslash) as a byte set; advances past it. */
    private ByteSet escapedSet(boolean inClass) {
        int start = pos;
        pos++;
        if (!more()) { // also reached from a bracket class, which does not look past the backslash itself
            throw new MatcherException(id, start + 1, "pattern ends in a backslash");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case 'd': return ByteSet.range('0', '9');
            case 'D': return ByteSet.range('0', '9').negate();
            case 'w': return word();
            case 'W': return word().negate();
            case 's': return ByteSet.of(' ', '\t', '\n', 0x0b, '\f', '\r');
            case 'S': return ByteSet.of(' ', '\t', '\n', 0x0b, '\f', '\r').negate();
            case 'h': return ByteSet.of(' ', '\t', 0xa0);
            case 'H': return ByteSet.of(' ', '\t', 0xa0).negate();
            case 'v': return ByteSet.of('\n', 0x0b, '\f', '\r', 0x85);
            case 'V': return ByteSet.of('\n', 0x0b, '\f', '\r', 0x85).negate();
            case 't': return ByteSet.of('\t');
            case 'n': return ByteSet.of('\n');
            case 'r': return ByteSet.of('\r');
            case 'f': return ByteSet.of('\f');
            case 'e': return ByteSet.of(0x1b);
            case 'a': return ByteSet.of(0x07);
            case 'b':
                if (inClass) {
                    return ByteSet.of(0x08);
                }
                break;
            case 'x': return ByteSet.of(hex(start));
            case 'c': {
                if (!more()) {
                    throw new MatcherException(id, start + 1, "\\c needs a character");
                }
                return ByteSet.of(Character.toUpperCase(text.charAt(pos++)) ^ 0x40);
            }
            case '0': {
                int v = 0;
                for (int i = 0; i < 2 && more() && peek() >= '0' && peek() <= '7'; i++) {
                    v = v * 8 + (text.charAt(pos++) - '0');
                }
                return ByteSet.of(v);
            }
            default:
                break;
        }
        if (Character.isLetterOrDigit(c)) {
            throw new MatcherException(id, start + 1, "unknown escape \\" + c);
        }
        return ByteSet.of(c);
    }

    private int hex(int start) {
        if (more() && peek() == '{') {
            int end = text.indexOf('}', pos);
            if (end < 0) {
                throw new MatcherException(id, start + 1, "unterminated \\x{...}");
            }
            int v = parseHex(text.substring(pos + 1, end), start);
            pos = end + 1;
            return v;
        }
        int end = pos;
        while (end < text.length() && end < pos + 2 && Character.digit(text.charAt(end), 16) >= 0) {
            end++;
        }
        int v = end == pos ? 0 : parseHex(text.substring(pos, end), start);
        pos = end;
        return v;
    }

    private int parseHex(String digits, int start) {
        try {
            int v = Integer.parseInt(digits, 16);
            if (v > 0xff) {
                throw new MatcherException(id, start + 1, "\\x value " + digits + " is not a byte");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MatcherException(id, start + 1, "bad hex escape '" + digits + "'");
        }
    }

    private static ByteSet word() {
        return ByteSet.range('a', 'z').addRange('A', 'Z').addRange('0', '9').add('_');
    }

    private ByteSet bracket() {
        int start = pos;
        pos++;
        boolean negated = more() && peek() == '^';
        if (negated) {
            pos++;
        }
        ByteSet set = new ByteSet();
        boolean first = true;
        while (true) {
            if (!more()) {
                throw new MatcherException(id, start + 1, "unterminated character class");
            }
            char c = peek();
            if (c == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            if (c == '[' && pos + 1 < text.length() && text.charAt(pos + 1) == ':') {
                int end = text.indexOf(":]", pos + 2);
                if (end < 0) {
                    throw error("unterminated POSIX class");
                }
                set.addAll(posix(text.substring(pos + 2, end)));
                pos = end + 2;
                continue;
            }
            int low;
            ByteSet escaped = null;
            if (c == '\\') {
                escaped = escapedSet(true);
                low = escaped.single();
                if (low < 0) {
                    set.addAll(escaped);
                    continue;
                }
            } else {
                low = c;
                pos++;
            }
            if (more() && peek() == '-' && pos + 1 < text.length() && text.charAt(pos + 1) != ']') {
                pos++;
                int high;
                if (peek() == '\\') {
                    ByteSet h = escapedSet(true);
                    high = h.single();
                    if (high < 0) {
                        throw error("a range cannot end in a class escape");
                    }
                } else {
                    high = peek();
                    pos++;
                }
                if (high < low) {
                    throw error("range out of order in character class");
                }
                set.addRange(low, high);
            } else {
                set.add(low);
            }
        }
        if (caseless) {
            set.caseFold();
        }
        return negated ? set.negate() : set;
    }

    private ByteSet posix(String name) {
        switch (name) {
            case "alpha": return ByteSet.range('a', 'z').addRange('A', 'Z');
            case "digit": return ByteSet.range('0', '9');
            case "alnum": return ByteSet.range('a', 'z').addRange('A', 'Z').addRange('0', '9');
            case "word": return word();
            case "upper": return ByteSet.range('A', 'Z');
            case "lower": return ByteSet.range('a', 'z');
            case "space": return ByteSet.of(' ', '\t', '\n', 0x0b, '\f', '\r');
            case "blank": return ByteSet.of(' ', '\t');
            case "xdigit": return ByteSet.range('0', '9').addRange('a', 'f').addRange('A', 'F');
            case "punct": return ByteSet.range(0x21, 0x2f).addRange(0x3a, 0x40).addRange(0x5b, 0x60).addRange(0x7b, 0x7e);
            case "print": return ByteSet.range(0x20, 0x7e);
            case "graph": return ByteSet.range(0x21, 0x7e);
            case "cntrl": return ByteSet.range(0, 0x1f).add(0x7f);
            case "ascii": return ByteSet.range(0, 0x7f);
            default: throw error("unknown POSIX class [:" + name + ":]");
        }
    }
}
