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
     * Byte positions ({@link #positions}) above which a pattern goes to the confirm stage without building an
     * automaton: twice the DFA state budget, well past any pattern whose DFA fits it in practice (a literal or
     * a counted repeat needs a DFA state per position), and small enough that brics builds it in milliseconds.
     */
    static final long MAX_POSITIONS = 2L * SubsetDfa.BUDGET;

    final Pattern pattern;
    final SubsetDfa run;
    final EndAnchor end;

    private DfaPattern(Pattern pattern, SubsetDfa run, EndAnchor end) {
        this.pattern = pattern;
        this.run = run;
        this.end = end;
    }

    /**
     * @return the DFA, or null when the tree has constructs a DFA cannot do, has more than {@link #MAX_POSITIONS}
     *     byte positions, or needs more than {@link SubsetDfa#BUDGET} states or {@link SubsetDfa#WORK_BUDGET} work
     *     (such patterns go to the confirm stage)
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
        if (positions(body) > MAX_POSITIONS) {
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
     * Byte positions of the tree with its counted repeats written out, as brics builds them ({@code x{n,m}} is m
     * copies of x, {@code x{n,}} n + 1); saturates at {@link Long#MAX_VALUE}. Nested counts multiply:
     * {@code (a{1000}){1000}} is a million states before determinization starts.
     */
    static long positions(RegexNode n) {
        if (n instanceof RegexNode.Bytes) {
            return 1;
        }
        long sum = 0;
        if (n instanceof RegexNode.Concat c) {
            for (RegexNode item : c.items()) {
                sum = saturatedAdd(sum, positions(item));
            }
            return sum;
        }
        if (n instanceof RegexNode.Alt a) {
            for (RegexNode option : a.options()) {
                sum = saturatedAdd(sum, positions(option));
            }
            return sum;
        }
        if (n instanceof RegexNode.Repeat r) {
            long copies = r.max() < 0 ? r.min() + 1L : r.max();
            long inner = positions(r.node());
            return inner != 0 && copies > Long.MAX_VALUE / inner ? Long.MAX_VALUE : inner * copies;
        }
        return 0;
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
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
