package io.judo.rules.suricata;

import java.util.ArrayList;
import java.util.List;

/**
 * Per rule, the helper calls a rule keyword with state (xbits, flowint) lowers to: the tests among the rule's
 * conditions, and the changes that run once the rest of the rule matched.
 *
 * @param <C> one call
 */
abstract class RuleCalls<C> {
    private final List<List<C>> tests = new ArrayList<>();
    private final List<List<C>> changes = new ArrayList<>();

    /** Records the next rule's calls (rules are added in rule order). */
    final void add(List<C> ruleTests, List<C> ruleChanges) {
        tests.add(List.copyOf(ruleTests));
        changes.add(List.copyOf(ruleChanges));
    }

    /** Rule {@code rule}'s tests, in rule order. */
    public final List<C> testsOf(int rule) {
        return tests.get(rule);
    }

    /** Rule {@code rule}'s changes, in rule order (run once the rest of the rule matched). */
    public final List<C> changesOf(int rule) {
        return changes.get(rule);
    }
}
