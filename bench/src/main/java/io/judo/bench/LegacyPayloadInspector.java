package io.judo.bench;

import io.judo.matcher.confirm.BoundedRegex;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.DataAt;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Pcre;
import io.judo.rules.suricata.SuricataRule;
import java.util.List;

/**
 * Checks a rule's inspection chain against one buffer with Suricata's semantics: contents in rule order, each
 * relative one ({@code distance}/{@code within}, pcre {@code R}, {@code isdataat ... relative}) measured from the end
 * of the previous positive match, {@code depth} counted from {@code offset}, {@code within} from the previous end plus
 * {@code distance}; negated items constrain without moving the cursor. When a later item fails, earlier items are
 * retried at their next occurrence (Suricata's recursive content inspection), under a step budget.
 *
 * <p>For a stream, the buffer is a window: {@code base} is the stream offset of its first byte (so {@code offset} and
 * {@code depth} stay stream offsets) and {@code newFrom} is the first byte not inspected before. A match is
 * reported once, at the chunk that completes it, as Suricata's raw stream inspection (which tracks how far the
 * stream was inspected) does: it counts only when one of its positive items ends after {@code newFrom}; an
 * occurrence of the chain's first positive item (its anchor) whose chain was already complete within the bytes
 * inspected before is not tried again (trying it would pair the old first content with a later content that a
 * new chunk brings within reach: a second alert for one occurrence), and the anchor may start no earlier than
 * {@code from}, the end of the match last reported for the rule in this direction, so that occurrences never
 * overlap. One inspector per thread.
 *
 * <p><b>Kept only as the benchmark's peer:</b> this is the pre-issue-16 evaluator, {@code
 * io.judo.rules.suricata.PayloadInspector} copied as it was when rule chains began to compile to VM code
 * ({@code io.judo.rules.ChainCompiler}), with one change to compile against today's IR: {@code isdataat}'s number
 * is read as a constant (it predates byte_extract variables). Nothing in judo runs it; {@link ChainBench} measures
 * the compiled chains against it.
 */
public final class LegacyPayloadInspector {
    /** Search steps (candidate positions and regex runs) allowed per rule and buffer. */
    public static final int STEP_BUDGET = 20_000;
    private static final long REGEX_BUDGET = 1_000_000;

    private byte[] buf;
    private int len;
    private long base;
    private int newFrom;
    /** Index of the first byte where the anchor may start (the end of the previous occurrence, or 0). */
    private long anchorFrom;
    /** Chain index of the anchor: the first positive content or pcre, or -1 when the chain has none. */
    private int anchor;
    /** True while checking whether an occurrence was complete within the old bytes (the length cut to them). */
    private boolean old;
    /** The end of the match found, as an index (the largest end of its positive items), or -1. */
    private int matchEnd;
    private int steps;
    private long budgetExceeded;
    /** Per chain item, where its content matched on the path being tried (valid for the whole chain on success). */
    private int[] starts = new int[8];

    /**
     * After {@link #matches} returned true: where chain item {@code i} (a positive content) matched, as an index
     * into the buffer inspected.
     */
    public int matchStart(int i) {
        return starts[i];
    }

    /**
     * After {@link #matches} returned true: the stream offset where the match ends (the largest end of its positive
     * items; {@code base} when it has none). Passed back as {@code from} for the rule's next check in the same
     * direction, it keeps occurrences from overlapping.
     */
    public long matchEnd() {
        return base + Math.max(0, matchEnd);
    }

    /** Times a rule's check stopped at the budget (counted as no match). */
    public long budgetExceeded() {
        return budgetExceeded;
    }

    /**
     * @param data the buffer, valid in [0, length)
     * @param base stream offset of {@code data[0]} (0 for a packet)
     * @param newFrom index of the first byte not inspected before (0 for a packet)
     */
    public boolean matches(SuricataRule rule, byte[] data, int length, long base, int newFrom) {
        return matches(rule.chain(), data, length, base, newFrom, 0);
    }

    /**
     * As {@link #matches(SuricataRule, byte[], int, long, int)}, the rule's first positive item starting at stream
     * offset {@code from} or later (the {@link #matchEnd} of the match last reported for the rule in this direction
     * of the stream, 0 when none was).
     */
    public boolean matches(SuricataRule rule, byte[] data, int length, long base, int newFrom, long from) {
        return matches(rule.chain(), data, length, base, newFrom, from);
    }

    /** As {@link #matches(SuricataRule, byte[], int, long, int)} for a chain of any front end. */
    public boolean matches(List<Inspect> chain, byte[] data, int length, long base, int newFrom) {
        return matches(chain, data, length, base, newFrom, 0);
    }

    /** As {@link #matches(SuricataRule, byte[], int, long, int, long)} for a chain of any front end. */
    public boolean matches(List<Inspect> chain, byte[] data, int length, long base, int newFrom, long from) {
        this.buf = data;
        this.len = length;
        this.base = base;
        this.newFrom = newFrom;
        this.anchorFrom = Math.max(0, from - base);
        this.anchor = anchorOf(chain);
        this.old = false;
        this.matchEnd = -1;
        this.steps = 0;
        if (starts.length < chain.size()) {
            starts = new int[Math.max(chain.size(), starts.length * 2)];
        }
        try {
            return step(chain, 0, 0, -1);
        } catch (Exhausted e) {
            budgetExceeded++;
            return false;
        }
    }

    private static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Exhausted INSTANCE = new Exhausted();

        private Exhausted() {
            super(null, null, false, false);
        }
    }

    private void tick() {
        if (++steps > STEP_BUDGET) {
            throw Exhausted.INSTANCE;
        }
    }

    private static int anchorOf(List<Inspect> chain) {
        for (int i = 0; i < chain.size(); i++) {
            Inspect item = chain.get(i);
            if (item instanceof Content c && !c.negated() || item instanceof Pcre p && !p.negated()) {
                return i;
            }
        }
        return -1;
    }

    /** Item {@code i} onwards, with the previous positive match ending at {@code prev}. */
    private boolean step(List<Inspect> chain, int i, int prev, int maxEnd) {
        if (i == chain.size()) {
            if (old) {
                matchEnd = maxEnd;
                return true; // complete within the old bytes: that is all the check asks
            }
            boolean counts = maxEnd < 0 ? newFrom == 0 : maxEnd > newFrom;
            if (counts) {
                matchEnd = maxEnd;
            }
            return counts;
        }
        Inspect item = chain.get(i);
        if (item instanceof Content c) {
            return content(chain, i, c, prev, maxEnd);
        }
        if (item instanceof Pcre p) {
            return pcre(chain, i, p, prev, maxEnd);
        }
        DataAt d = (DataAt) item;
        // The IR's isdataat number became a Value (constant or byte_extract variable) after this evaluator was
        // retired; it never knew variables, so it reads the constant.
        long n = d.at().constant();
        // Relative: at least N bytes remain after the previous match (Snort and Suricata); absolute: byte N exists.
        long at = d.relative() ? prev + n - 1 : n - base;
        boolean present = d.relative() && n == 0 || at >= 0 && at < len;
        return present != d.negated() && step(chain, i + 1, prev, maxEnd);
    }

    private boolean content(List<Inspect> chain, int i, Content c, int prev, int maxEnd) {
        int n = c.bytes().length;
        long lo;
        long hi;
        if (c.relative()) {
            lo = prev + (long) (c.distance() == Inspect.UNSET ? 0 : c.distance());
            hi = c.within() == Inspect.UNSET ? len : lo + c.within();
        } else if (c.startsWith()) {
            lo = -base;
            hi = lo + n;
        } else {
            long offset = c.offset() == Inspect.UNSET ? 0 : c.offset();
            lo = offset - base;
            hi = c.depth() == Inspect.UNSET ? len : offset + c.depth() - base;
        }
        if (c.startsWith() && c.relative()) {
            hi = lo + n;
        }
        if (lo < 0) {
            if (c.startsWith() || (c.offset() != Inspect.UNSET && !c.relative() && base > c.offset())) {
                lo = Long.MAX_VALUE; // the required position left the window: nothing can be decided here
            } else {
                lo = 0;
            }
        }
        hi = Math.min(hi, len);
        if (c.endsWith()) {
            lo = Math.max(lo, len - n);
        }
        if (c.negated()) {
            return find(c, lo, hi) < 0 && step(chain, i + 1, prev, maxEnd);
        }
        boolean isAnchor = i == anchor && !old;
        if (isAnchor) {
            lo = Math.max(lo, anchorFrom);
        }
        for (long at = find(c, lo, hi); at >= 0; at = find(c, at + 1, hi)) {
            tick(); // one step per occurrence tried: retries are what can explode, not the search itself
            int end = (int) at + n;
            if (isAnchor && end <= newFrom) {
                int completedAt = completedBefore(chain, i, end, maxEnd);
                if (completedAt >= 0) {
                    // This occurrence was already complete when the old bytes were inspected (reported then, or
                    // part of that chunk's alert): skip it, and every anchor inside it, as a regex scan would.
                    at = Math.max(at, completedAt - 1L);
                    continue;
                }
            }
            starts[i] = (int) at;
            if (step(chain, i + 1, end, Math.max(maxEnd, end))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the chain, its anchor (item {@code i}) ending at {@code end}, was complete within the bytes inspected
     * before: the rest of the chain checked with the buffer cut at {@code newFrom}. Returns the end of that match,
     * or -1 when it was not complete.
     */
    private int completedBefore(List<Inspect> chain, int i, int end, int maxEnd) {
        int fullLength = len;
        len = newFrom;
        old = true;
        try {
            return step(chain, i + 1, end, Math.max(maxEnd, end)) ? matchEnd : -1;
        } finally {
            old = false;
            len = fullLength;
            matchEnd = -1;
        }
    }

    /** The first start in [from, hi - length] where the content occurs, or -1. */
    private long find(Content c, long from, long hi) {
        byte[] p = c.bytes();
        long last = hi - p.length;
        if (from > last || from >= Integer.MAX_VALUE) {
            return -1;
        }
        int first = c.nocase() ? lower(p[0]) : p[0];
        for (int s = (int) from; s <= last; s++) {
            int b = c.nocase() ? lower(buf[s]) : buf[s];
            if (b == first && equalsAt(s, c)) {
                return s;
            }
        }
        return -1;
    }

    private boolean equalsAt(int at, Content c) {
        byte[] p = c.bytes();
        if (c.nocase()) {
            for (int k = 0; k < p.length; k++) {
                if (lower(buf[at + k]) != lower(p[k])) {
                    return false;
                }
            }
            return true;
        }
        for (int k = 0; k < p.length; k++) {
            if (buf[at + k] != p[k]) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        int v = b & 0xff;
        return v >= 'A' && v <= 'Z' ? v + 32 : v;
    }

    private boolean pcre(List<Inspect> chain, int i, Pcre p, int prev, int maxEnd) {
        int from = p.relative() ? Math.min(prev, len) : 0;
        if (p.negated()) {
            tick();
            long r = p.regex().find(buf, from, len, true, REGEX_BUDGET);
            if (r == BoundedRegex.EXHAUSTED) {
                throw Exhausted.INSTANCE;
            }
            return r == BoundedRegex.NO_MATCH && step(chain, i + 1, prev, maxEnd);
        }
        boolean isAnchor = i == anchor && !old;
        boolean first = true;
        if (isAnchor && anchorFrom > from) {
            from = (int) Math.min(anchorFrom, len + 1L);
            first = false; // the cursor moved past a previous occurrence: ^ no longer means "at the cursor"
        }
        while (from <= len) {
            tick();
            long r = p.regex().find(buf, from, len, first, REGEX_BUDGET);
            first = false;
            if (r == BoundedRegex.EXHAUSTED) {
                throw Exhausted.INSTANCE;
            }
            if (r == BoundedRegex.NO_MATCH) {
                return false;
            }
            int end = BoundedRegex.end(r);
            if (isAnchor && end <= newFrom) {
                int completedAt = completedBefore(chain, i, end, maxEnd);
                if (completedAt >= 0) {
                    from = Math.max(BoundedRegex.start(r) + 1, completedAt); // as for a content anchor
                    continue;
                }
            }
            if (step(chain, i + 1, end, Math.max(maxEnd, end))) {
                return true;
            }
            from = BoundedRegex.start(r) + 1;
        }
        return false;
    }
}
