package io.judo.rules.judo;

import java.util.List;

/**
 * A parsed judo-language (pf.conf) file: queues (in declaration order, queue ids are 1-based positions), tag names
 * (ids are 1-based positions), the rules in evaluation order (anchors flattened in place), the interfaces
 * {@code set skip on} names, the policy as {@code judo rules show} prints it, and the tables that change while
 * packets pass ({@code overload} targets; ids are 1-based positions).
 */
public record JudoPolicy(List<Queue> queues, List<String> tags, List<JudoRule> rules, List<String> skip,
        List<String> listing, List<String> runtimeTables) {
    /** {@code queue NAME rate BITS prio N}. */
    public record Queue(String name, long rateBitsPerSecond, int prio) {
    }

    /** A policy without {@code set skip} and without a listing (built by code rather than parsed). */
    public JudoPolicy(List<Queue> queues, List<String> tags, List<JudoRule> rules) {
        this(queues, tags, rules, List.of(), List.of(), List.of());
    }

    /** The runtime table's id (1-based), or 0 when no {@code overload} names the table. */
    public int runtimeTableId(String name) {
        return runtimeTables.indexOf(name) + 1;
    }

    /** The tag's id (1-based), or 0 for a name never declared by a {@code tag} action. */
    public int tagId(String name) {
        return tags.indexOf(name) + 1;
    }
}
