package io.judo.matcher.dfa;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import io.judo.matcher.MatcherException;
import io.judo.matcher.Pattern;
import io.judo.matcher.PatternFlag;
import io.judo.matcher.regex.RegexNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One pattern as a minimized DFA, ready for the product construction: unanchored patterns are prefixed with "any
 * bytes" so the automaton is in an accepting state exactly at the offsets where a match ends.
 */
final class DfaPattern {
    /** How a match must end. */
    enum EndAnchor { NONE, END, END_OR_BEFORE_FINAL_NEWLINE }

    /**
     * NFA size ({@link #nfaSize}) above which a pattern goes to the confirm stage without building an automaton:
     * five times the DFA state budget, past any pattern whose DFA fits it in practice (a literal or a counted repeat
     * needs a DFA state per byte position, each with a transition), and small enough that brics builds it in
     * milliseconds.
     */
    static final long MAX_NFA_SIZE = 5L * SubsetDfa.BUDGET;

    final Pattern pattern;
    final SubsetDfa run;
    final EndAnchor end;

    private DfaPattern(Pattern pattern, SubsetDfa run, EndAnchor end) {
        this.pattern = pattern;
        this.run = run;
        this.end = end;
    }

    /**
     * @return the DFA, or null when the tree has constructs a DFA cannot do, would build an NFA larger than
     *     {@link #MAX_NFA_SIZE}, or needs more than {@link SubsetDfa#BUDGET} states (or the database's budget, when
     *     smaller) or {@link SubsetDfa#WORK_BUDGET} work (such patterns go to the confirm stage)
     */
    static DfaPattern of(Pattern p, RegexNode tree, int stateBudget) {
        List<RegexNode> items = new ArrayList<>(tree instanceof RegexNode.Concat c ? c.items() : List.of(tree));
        Automaton prefix = AutomatonBuilder.anything();
        if (!items.isEmpty() && items.get(0) instanceof RegexNode.Start s) {
            items.remove(0);
            prefix = s.multiline()
                    ? AutomatonBuilder.anything().concatenate(BasicAutomata.makeChar('\n')).optional()
                    : BasicAutomata.makeEmptyString();
        }
        EndAnchor end = EndAnchor.NONE;
        if (!items.isEmpty() && items.get(items.size() - 1) instanceof RegexNode.End e) {
            if (e.multiline()) {
                return null; // "before any newline" needs lookahead: confirm stage
            }
            items.remove(items.size() - 1);
            end = e.beforeFinalNewline() ? EndAnchor.END_OR_BEFORE_FINAL_NEWLINE : EndAnchor.END;
        }
        for (RegexNode item : items) {
            if (!automatable(item)) {
                return null;
            }
        }
        RegexNode body = items.isEmpty() ? new RegexNode.Empty() : items.size() == 1 ? items.get(0)
                : new RegexNode.Concat(items);
        if (nfaSize(body) > MAX_NFA_SIZE) {
            return null; // brics would build the written-out repeats before any budget could refuse them
        }
        Automaton a = prefix.concatenate(AutomatonBuilder.build(body));
        // Shrink the NFA first (brics's reduce and epsilon-free operations are linear), then determinize under a
        // budget: beyond it the pattern goes to the confirm stage.
        a.reduce();
        // A pattern's DFA never has more states than a product holding it, so one over the database's state budget
        // would end in the confirm stage anyway: it can stop there, with work in proportion.
        SubsetDfa run = SubsetDfa.of(a, Math.min(SubsetDfa.BUDGET, stateBudget),
                Math.min(SubsetDfa.WORK_BUDGET, SubsetDfa.WORK_PER_BUDGET_STATE * stateBudget));
        if (run == null) {
            return null;
        }
        if (run.isAccept(run.getInitialState()) && end == EndAnchor.NONE) {
            throw new MatcherException(p.id(), 0, "matches the empty string, which would report a match at every "
                    + "offset");
        }
        return new DfaPattern(p, run, end);
    }

    /**
     * The size of the NFA brics builds for the tree, states plus transitions, estimated by following how brics
     * builds it: counted repeats are written out as copies ({@code x{n,m}} is m copies of x, {@code x{n,}} n + 1),
     * and concatenating A and B gives every accepting state of A the start transitions of B. So nested counts
     * multiply ({@code (a{1000}){1000}} is a million states), and a repeat of something that matches the empty
     * string is quadratic ({@code .?{633}}: each copy's start state takes the start transitions of all later ones,
     * 200,000 transitions, with brics's transition sets making it cubic in time). Saturates at {@link #HUGE}.
     */
    static long nfaSize(RegexNode n) {
        Size z = size(n);
        return cap(z.states + z.transitions);
    }

    private static final long HUGE = 1L << 40;

    /** States, transitions, accepting states, transitions of the start state, and whether it accepts the empty string. */
    private record Size(long states, long transitions, long accepts, long initial, boolean nullable) {
    }

    private static final Size EMPTY = new Size(1, 0, 1, 0, true);

    private static Size size(RegexNode n) {
        if (n instanceof RegexNode.Bytes b) {
            long ranges = 0;
            for (int v = 0; v < 256; v++) {
                if (b.set().contains(v) && (v == 0 || !b.set().contains(v - 1))) {
                    ranges++;
                }
            }
            return new Size(2, ranges, 1, ranges, false);
        }
        if (n instanceof RegexNode.Concat c) {
            Size z = EMPTY;
            for (RegexNode item : c.items()) {
                z = concat(z, size(item));
            }
            return z;
        }
        if (n instanceof RegexNode.Alt a) {
            long states = 1;
            long transitions = 0;
            long accepts = 0;
            long initial = 0;
            boolean nullable = false;
            for (RegexNode option : a.options()) {
                Size o = size(option);
                states = cap(states + o.states);
                transitions = cap(transitions + o.transitions + o.initial);
                accepts = cap(accepts + o.accepts);
                initial = cap(initial + o.initial);
                nullable |= o.nullable;
            }
            return new Size(states, transitions, accepts, initial, nullable);
        }
        if (n instanceof RegexNode.Repeat r) {
            Size x = size(r.node());
            Size z = EMPTY;
            for (int i = 0; i < r.min() && z.transitions + z.states < HUGE; i++) {
                z = concat(z, x);
            }
            if (r.max() < 0) {
                // x*: a new accepting start state, and every accepting state takes the start transitions
                Size star = new Size(cap(x.states + 1), cap(x.transitions + x.initial + times(x.accepts, x.initial)),
                        cap(x.accepts + 1), x.initial, true);
                return concat(z, star);
            }
            if (r.max() == r.min()) {
                return z;
            }
            // the optional copies, built from the last: each copy's accepting states take the start transitions
            // of the chain after it (which include the chain's own, when x matches the empty string)
            Size d = x;
            for (int i = r.min() + 1; i < r.max() && d.transitions + d.states < HUGE; i++) {
                long initial = cap(x.initial + (x.nullable ? d.initial : 0));
                d = new Size(cap(x.states + d.states), cap(x.transitions + d.transitions + times(x.accepts, d.initial)),
                        cap(x.accepts + d.accepts), initial, true);
            }
            d = new Size(d.states, d.transitions, d.accepts, d.initial, true);
            return concat(z, d);
        }
        return EMPTY;
    }

    private static Size concat(Size a, Size b) {
        return new Size(cap(a.states + b.states), cap(a.transitions + b.transitions + times(a.accepts, b.initial)),
                cap(b.accepts + (b.nullable ? a.accepts : 0)), cap(a.initial + (a.nullable ? b.initial : 0)),
                a.nullable && b.nullable);
    }

    private static long times(long a, long b) {
        return a != 0 && b > HUGE / a ? HUGE : a * b;
    }

    private static long cap(long v) {
        return Math.min(v, HUGE);
    }

    private static boolean automatable(RegexNode n) {
        if (n instanceof RegexNode.Unsupported || n instanceof RegexNode.Start || n instanceof RegexNode.End) {
            return false;
        }
        if (n instanceof RegexNode.Concat c) {
            return c.items().stream().allMatch(DfaPattern::automatable);
        }
        if (n instanceof RegexNode.Alt a) {
            return a.options().stream().allMatch(DfaPattern::automatable);
        }
        if (n instanceof RegexNode.Repeat r) {
            return automatable(r.node());
        }
        return true;
    }

    boolean singleMatch() {
        return pattern.has(PatternFlag.SINGLEMATCH);
    }
}
