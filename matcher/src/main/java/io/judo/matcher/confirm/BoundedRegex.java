package io.judo.matcher.confirm;

import io.judo.matcher.MatcherException;
import io.judo.matcher.regex.RegexNode;
import io.judo.matcher.regex.RegexParser;
import io.judo.matcher.regex.RequiredLiteral;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;

/**
 * One PCRE-style regular expression searched with java.util.regex over bytes (as Latin-1 characters) under a step
 * budget: what a rule's {@code pcre} needs when it is checked against one buffer after its prefilter hit, with the
 * leftmost-first semantics and the start and end offsets PCRE reports. Immutable and thread-safe; each search returns
 * its result packed in a long.
 */
public final class BoundedRegex {
    /** Result of a search that found nothing. */
    public static final long NO_MATCH = -1;
    /** Result of a search stopped by its budget (counts as no match). */
    public static final long EXHAUSTED = -2;

    private final java.util.regex.Pattern compiled;
    /**
     * The literal every match starts with, or null: then a search skips straight from one occurrence to the next
     * instead of letting java.util.regex try every position.
     */
    private final RequiredLiteral prefix;

    private BoundedRegex(java.util.regex.Pattern compiled, RequiredLiteral prefix) {
        this.compiled = compiled;
        this.prefix = prefix;
    }

    /**
     * Compiles {@code expression} with PCRE's flag letters i, s, m and x.
     *
     * @throws MatcherException when java.util.regex rejects it, with the column
     */
    public static BoundedRegex compile(String expression, boolean caseless, boolean dotall, boolean multiline,
            boolean extended) {
        int flags = java.util.regex.Pattern.UNIX_LINES; // only \n ends a line, as in PCRE
        flags |= caseless ? java.util.regex.Pattern.CASE_INSENSITIVE : 0;
        flags |= dotall ? java.util.regex.Pattern.DOTALL : 0;
        flags |= multiline ? java.util.regex.Pattern.MULTILINE : 0;
        flags |= extended ? java.util.regex.Pattern.COMMENTS : 0;
        try {
            java.util.regex.Pattern compiled = java.util.regex.Pattern.compile(toJava(expression), flags);
            return new BoundedRegex(compiled, extended ? null : prefix(expression, caseless, dotall, multiline));
        } catch (PatternSyntaxException e) {
            throw new MatcherException(0, e.getIndex() + 1, e.getDescription());
        }
    }

    /**
     * The literal prefix of the expression when the shortcut is sound: the automata's parser reads the expression
     * (an expression it cannot read gets none), and one with a start anchor or a construct no automaton does
     * (lookaround, word boundary, backreference, {@code \G}) anywhere gets none either, so that nothing in it looks at
     * or before its start or the search region's bounds: a match at an occurrence is then the same whatever the
     * search's region and bounds.
     */
    private static RequiredLiteral prefix(String expression, boolean caseless, boolean dotall, boolean multiline) {
        try {
            RegexNode tree = RegexParser.parse(expression, 0, caseless, dotall, multiline);
            return looksOnlyForward(tree) ? RequiredLiteral.prefixOf(tree) : null;
        } catch (MatcherException e) {
            return null;
        }
    }

    private static boolean looksOnlyForward(RegexNode n) {
        if (n instanceof RegexNode.Start || n instanceof RegexNode.Unsupported) {
            return false;
        }
        if (n instanceof RegexNode.Concat c) {
            return c.items().stream().allMatch(BoundedRegex::looksOnlyForward);
        }
        if (n instanceof RegexNode.Alt a) {
            return a.options().stream().allMatch(BoundedRegex::looksOnlyForward);
        }
        return !(n instanceof RegexNode.Repeat r) || looksOnlyForward(r.node());
    }

    /**
     * Rewrites the PCRE spellings java.util.regex reads differently or rejects: {@code (?P<name>} and {@code (?P=name)}
     * (Python-style named groups), {@code \\g{N}} and {@code \\gN} backreferences, and a {@code {} that does not start a
     * quantifier, which PCRE takes literally and Java rejects, and {@code [} or {@code &&} inside a class, which
     * Java reads as a nested class or an intersection.
     */
    public static String toJava(String pcre) {
        StringBuilder out = new StringBuilder(pcre.length() + 8);
        boolean inClass = false;
        for (int i = 0; i < pcre.length(); i++) {
            char c = pcre.charAt(i);
            if (c == '\\' && i + 1 < pcre.length()) {
                char n = pcre.charAt(i + 1);
                if (!inClass && n == 'g') {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\\\g(?:\\{(\\d+)\\}|(\\d+))")
                            .matcher(pcre).region(i, pcre.length());
                    if (m.lookingAt()) {
                        out.append('\\').append(m.group(1) != null ? m.group(1) : m.group(2));
                        i = m.end() - 1;
                        continue;
                    }
                }
                out.append(c).append(n);
                i++;
                continue;
            }
            if (inClass) { // in PCRE a class holds no nested classes and no && intersections
                inClass = c != ']';
                out.append(c == '[' || c == '&' ? "\\" + c : String.valueOf(c));
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                if (i + 1 < pcre.length() && pcre.charAt(i + 1) == '^') {
                    out.append('^');
                    i++;
                }
                if (i + 1 < pcre.length() && pcre.charAt(i + 1) == ']') { // a leading ] is literal
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (c == '{' && !pcre.substring(i).matches("(?s)\\{\\d+(,\\d*)?\\}.*")) {
                out.append("\\{");
                continue;
            }
            if (pcre.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 3;
                continue;
            }
            if (pcre.startsWith("(?P=", i)) {
                int close = pcre.indexOf(')', i);
                if (close > 0) {
                    out.append("\\k<").append(pcre, i + 4, close).append('>');
                    i = close;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Finds the leftmost match inside {@code bytes[from, limit)}.
     *
     * @param anchorAtFrom {@code ^} matches at {@code from} (a relative search from a cursor); otherwise only where it
     *     would in the whole of {@code bytes[0, limit)} (a retry further along)
     * @return {@code start << 32 | end} of the match, {@link #NO_MATCH}, or {@link #EXHAUSTED}
     */
    public long find(byte[] bytes, int from, int limit, boolean anchorAtFrom, long budget) {
        return find(bytes, 0, from, limit, anchorAtFrom, budget);
    }

    /**
     * As {@link #find(byte[], int, int, boolean, long)} over the buffer that starts at {@code bytes[base]}: from,
     * limit and the positions returned count from {@code base}.
     */
    public long find(byte[] bytes, int base, int from, int limit, boolean anchorAtFrom, long budget) {
        if (prefix != null) {
            return findFromPrefixes(bytes, base, from, limit, budget);
        }
        return findEverywhere(compiled.matcher(new BudgetedChars(bytes, base, base + limit, budget)), from, limit,
                anchorAtFrom);
    }

    /** The search without the literal prefix: java.util.regex tries every start; for tests that compare the two. */
    long findEverywhere(byte[] bytes, int base, int from, int limit, boolean anchorAtFrom, long budget) {
        return findEverywhere(compiled.matcher(new BudgetedChars(bytes, base, base + limit, budget)), from, limit,
                anchorAtFrom);
    }

    /** The literal prefix searches skip to ({@link RequiredLiteral#toString()}), or null. */
    String prefixText() {
        return prefix == null ? null : prefix.toString();
    }

    /**
     * Tries a match at each occurrence of the prefix in turn, leftmost first: the first that matches is the match
     * java.util.regex's own search would report, since no match starts anywhere else. A search whose prefix does not
     * occur ends before a matcher is made.
     */
    private long findFromPrefixes(byte[] bytes, int base, int from, int limit, long budget) {
        int last = limit - prefix.length();
        int at = from > last ? -1 : prefix.indexIn(bytes, base + from, base + last);
        if (at < 0) {
            return NO_MATCH;
        }
        Matcher m = compiled.matcher(new BudgetedChars(bytes, base, base + limit, budget));
        try {
            while (at >= 0) {
                at -= base;
                m.region(at, limit);
                m.useAnchoringBounds(false);
                m.useTransparentBounds(true);
                if (m.lookingAt()) {
                    return (long) m.start() << 32 | m.end();
                }
                at = at + 1 > last ? -1 : prefix.indexIn(bytes, base + at + 1, base + last);
            }
            return NO_MATCH;
        } catch (BudgetedChars.Exhausted e) {
            return EXHAUSTED;
        }
    }

    private static long findEverywhere(Matcher m, int from, int limit, boolean anchorAtFrom) {
        m.region(from, limit);
        m.useAnchoringBounds(anchorAtFrom);
        m.useTransparentBounds(!anchorAtFrom);
        try {
            return m.find() ? (long) m.start() << 32 | m.end() : NO_MATCH;
        } catch (BudgetedChars.Exhausted e) {
            return EXHAUSTED;
        }
    }

    /** Start offset of a packed result. */
    public static int start(long result) {
        return (int) (result >>> 32);
    }

    /** End offset of a packed result. */
    public static int end(long result) {
        return (int) result;
    }
}
