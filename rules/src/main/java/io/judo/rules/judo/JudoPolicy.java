package io.judo.rules.judo;

import java.util.List;

/**
 * A parsed judo-language file: queues (in declaration order, queue ids are 1-based positions), tag names (ids are
 * 1-based positions), and the rules in file order.
 */
public record JudoPolicy(List<Queue> queues, List<String> tags, List<JudoRule> rules) {
    /** {@code queue NAME rate BITS prio N}. */
    public record Queue(String name, long rateBitsPerSecond, int prio) {
    }

    /** The tag's id (1-based), or 0 for a name never declared by a {@code tag} action. */
    public int tagId(String name) {
        return tags.indexOf(name) + 1;
    }
}
