package io.judo.engine.detect;

/**
 * One kind of payload edit a rule set can ask for: the bytes it replaces and their replacement (of any length), and
 * the rule that asks, for journals and summaries. A judo {@code replace "OLD" with "NEW"} rule is one kind; each
 * Suricata content carrying {@code replace} is one.
 *
 * @param gid rule generator id (0 for the judo language)
 * @param sid rule id (the line number for the judo language)
 * @param description the rule's message, or its file, line and text
 */
public record EditKind(byte[] old, byte[] replacement, int gid, long sid, int rev, String description) {
}
