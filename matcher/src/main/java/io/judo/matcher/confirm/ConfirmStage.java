package io.judo.matcher.confirm;

import io.judo.matcher.MatchSink;
import io.judo.matcher.MatcherException;
import io.judo.matcher.Pattern;
import io.judo.matcher.PatternFlag;
import io.judo.matcher.regex.RegexParser;
import io.judo.matcher.regex.RequiredLiteral;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;

/**
 * Runs the patterns the automaton backends cannot do with java.util.regex, leftmost-first (PCRE's semantics, not the
 * every-end-offset semantics of the automata: documented). Streams keep the last {@link #WINDOW} bytes, so a match
 * may span chunks as long as it fits in the window; matches are reported once, when the chunk holding their last
 * byte is scanned. Every search runs under a step budget ({@link #STEP_BUDGET} character reads per chunk and
 * pattern); exceeding it stops that search and is counted.
 */
public final class ConfirmStage {
    public static final int WINDOW = 64 * 1024;
    public static final long STEP_BUDGET = 2_000_000;

    private final Pattern[] patterns;
    private final java.util.regex.Pattern[] compiled;
    /** Per pattern: bytes every match contains, or null; the regex runs only on windows holding them. */
    private final RequiredLiteral[] required;
    private long budgetExceeded;
    private long runs;
    private long skipped;

    public ConfirmStage(List<Pattern> list) {
        patterns = list.toArray(new Pattern[0]);
        compiled = new java.util.regex.Pattern[patterns.length];
        required = new RequiredLiteral[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            Pattern p = patterns[i];
            try {
                required[i] = RequiredLiteral.of(RegexParser.parse(p.expression(), p.id(),
                        p.has(PatternFlag.CASELESS), p.has(PatternFlag.DOTALL), p.has(PatternFlag.MULTILINE)), 2);
            } catch (MatcherException e) {
                required[i] = null; // java.util.regex may still accept it; then there is simply no prefilter
            }
            int flags = java.util.regex.Pattern.UNIX_LINES; // only \n ends a line, as in PCRE
            if (p.has(PatternFlag.CASELESS)) {
                flags |= java.util.regex.Pattern.CASE_INSENSITIVE;
            }
            if (p.has(PatternFlag.DOTALL)) {
                flags |= java.util.regex.Pattern.DOTALL;
            }
            if (p.has(PatternFlag.MULTILINE)) {
                flags |= java.util.regex.Pattern.MULTILINE;
            }
            try {
                compiled[i] = java.util.regex.Pattern.compile(BoundedRegex.toJava(p.expression()), flags);
            } catch (PatternSyntaxException e) {
                throw new MatcherException(p.id(), e.getIndex() + 1, "confirm stage cannot compile it: "
                        + e.getDescription());
            }
        }
    }

    public int size() {
        return patterns.length;
    }

    /** Searches that hit the step budget. */
    public long budgetExceeded() {
        return budgetExceeded;
    }

    /** Regex searches run. */
    public long runs() {
        return runs;
    }

    /** Searches skipped because the window lacked the pattern's required literal. */
    public long skipped() {
        return skipped;
    }

    /** Per-stream window. */
    public static final class Window {
        byte[] bytes = new byte[0];
        long base;
        long[] singleDone;
    }

    public Window openWindow() {
        Window w = new Window();
        w.singleDone = new long[(patterns.length + 63) / 64];
        return w;
    }

    /** Block mode: the whole block is the window. */
    public void scan(ByteBuffer data, int offset, int length, MatchSink sink) {
        if (patterns.length == 0) {
            return; // every automaton scan calls this: without patterns it must not even allocate the window
        }
        Window w = openWindow();
        scan(w, data, offset, length, sink);
    }

    /** Stream mode: appends the chunk to the window and reports matches that end inside the chunk. */
    public void scan(Window w, ByteBuffer data, int offset, int length, MatchSink sink) {
        if (patterns.length == 0) {
            return;
        }
        int keep = Math.min(w.bytes.length, Math.max(0, WINDOW - length));
        byte[] next = new byte[keep + length];
        System.arraycopy(w.bytes, w.bytes.length - keep, next, 0, keep);
        data.get(offset, next, keep, length);
        w.base += w.bytes.length - keep;
        w.bytes = next;
        long chunkStart = w.base + keep;
        for (int i = 0; i < patterns.length; i++) {
            Pattern p = patterns[i];
            if (p.has(PatternFlag.SINGLEMATCH) && (w.singleDone[i >>> 6] & (1L << i)) != 0) {
                continue;
            }
            if (required[i] != null && !required[i].foundIn(next, next.length)) {
                skipped++;
                continue;
            }
            runs++;
            BudgetedChars chars = new BudgetedChars(next, STEP_BUDGET);
            Matcher m = compiled[i].matcher(chars);
            try {
                int from = 0;
                while (from <= next.length && m.find(from)) {
                    long end = w.base + m.end();
                    if (m.end() > m.start() && end > chunkStart && inBounds(p, end)) {
                        sink.match(p.id(), p.has(PatternFlag.SOM) ? w.base + m.start() : -1, end);
                        if (p.has(PatternFlag.SINGLEMATCH)) {
                            w.singleDone[i >>> 6] |= 1L << i;
                            break;
                        }
                    }
                    from = m.end() > m.start() ? m.end() : m.end() + 1;
                }
            } catch (BudgetedChars.Exhausted e) {
                budgetExceeded++;
            }
        }
    }

    private static boolean inBounds(Pattern p, long end) {
        return (p.minEnd() < 0 || end >= p.minEnd()) && (p.maxEnd() < 0 || end <= p.maxEnd());
    }
}
