package io.judo.vm;

/**
 * A run of instructions {@code [start, end)} belonging to one rule. A failed load inside it (out of bounds, missing
 * header) means "this rule does not match": execution continues at {@code end}, the first instruction after the
 * region. Listings show which rule each instruction comes from.
 */
public record RuleRegion(long ruleId, int start, int end) {
}
