package io.judo.matcher.regex;

import java.util.List;

/** The parsed pattern. */
public sealed interface RegexNode permits RegexNode.Bytes, RegexNode.Concat, RegexNode.Alt, RegexNode.Repeat,
        RegexNode.Empty, RegexNode.Start, RegexNode.End, RegexNode.Unsupported {

    /** One byte from a set. */
    record Bytes(ByteSet set) implements RegexNode {
    }

    record Concat(List<RegexNode> items) implements RegexNode {
    }

    record Alt(List<RegexNode> options) implements RegexNode {
    }

    /** {@code max} -1 means unbounded. Lazy quantifiers have the same match set and parse to this too. */
    record Repeat(RegexNode node, int min, int max) implements RegexNode {
    }

    record Empty() implements RegexNode {
    }

    /** {@code ^} or {@code \A}; multiline {@code ^} also matches after a newline. */
    record Start(boolean multiline) implements RegexNode {
    }

    /**
     * {@code $}, {@code \Z} (end, or before a final newline), {@code \z} (end only); multiline {@code $} also
     * before any newline.
     */
    record End(boolean beforeFinalNewline, boolean multiline) implements RegexNode {
    }

    /** A construct no automaton can do (backreference, lookaround, word boundary, possessive or atomic group...). */
    record Unsupported(String construct, int column) implements RegexNode {
    }
}
