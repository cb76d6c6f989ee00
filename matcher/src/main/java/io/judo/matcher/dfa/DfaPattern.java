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

    final Pattern pattern;
    final SubsetDfa run;
    final EndAnchor end;

    private DfaPattern(Pattern pattern, SubsetDfa run, EndAnchor end) {
        this.pattern = pattern;
        this.run = run;
        this.end = end;
    }

    /**
     * @return the DFA, or null when the tree has constructs a DFA cannot do or needs more than
     *     {@link SubsetDfa#BUDGET} states (such patterns go to the confirm stage)
     */
    static DfaPattern of(Pattern p, RegexNode tree) {
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
        Automaton a = prefix.concatenate(AutomatonBuilder.build(body));
        // Shrink the NFA first (brics's reduce and epsilon-free operations are linear), then determinize under a
        // budget: beyond it the pattern goes to the confirm stage.
        a.reduce();
        SubsetDfa run = SubsetDfa.of(a, SubsetDfa.BUDGET);
        if (run == null) {
            return null;
        }
        if (run.isAccept(run.getInitialState()) && end == EndAnchor.NONE) {
            throw new MatcherException(p.id(), 0, "matches the empty string, which would report a match at every "
                    + "offset");
        }
        return new DfaPattern(p, run, end);
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
