package io.judo.matcher.dfa;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import dk.brics.automaton.BasicOperations;
import io.judo.matcher.regex.ByteSet;
import io.judo.matcher.regex.RegexNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a parse tree into a brics automaton over the characters 0-255 (one per byte), through brics's API only: the
 * rule's regex text never reaches brics, whose own syntax differs from PCRE in ways that fail silently.
 */
final class AutomatonBuilder {
    private AutomatonBuilder() {
    }

    /** The tree has to be free of anchors and unsupported nodes (the caller strips edge anchors first). */
    static Automaton build(RegexNode n) {
        if (n instanceof RegexNode.Bytes b) {
            return bytes(b.set());
        }
        if (n instanceof RegexNode.Concat c) {
            List<Automaton> parts = new ArrayList<>();
            for (RegexNode item : c.items()) {
                parts.add(build(item));
            }
            return BasicOperations.concatenate(parts);
        }
        if (n instanceof RegexNode.Alt a) {
            List<Automaton> parts = new ArrayList<>();
            for (RegexNode option : a.options()) {
                parts.add(build(option));
            }
            return BasicOperations.union(parts);
        }
        if (n instanceof RegexNode.Repeat r) {
            Automaton inner = build(r.node());
            return r.max() < 0 ? inner.repeat(r.min()) : inner.repeat(r.min(), r.max());
        }
        if (n instanceof RegexNode.Empty) {
            return BasicAutomata.makeEmptyString();
        }
        throw new IllegalArgumentException("no automaton for " + n);
    }

    static Automaton bytes(ByteSet set) {
        List<Automaton> ranges = new ArrayList<>();
        int v = 0;
        while (v < 256) {
            if (!set.contains(v)) {
                v++;
                continue;
            }
            int start = v;
            while (v < 256 && set.contains(v)) {
                v++;
            }
            ranges.add(BasicAutomata.makeCharRange((char) start, (char) (v - 1)));
        }
        return ranges.isEmpty() ? BasicAutomata.makeEmpty() : BasicOperations.union(ranges);
    }

    /** Any number of any byte. */
    /**
     * Any bytes, as one accepting state looping on every byte. (brics's {@code repeat()} adds a separate initial
     * state; prefixed to a pattern, that makes "before the first byte" and "after a byte that starts no match" two
     * states, so every pattern of a product leaves its start state on the first byte and the product's sparse states
     * grow with the number of patterns: 600 literals took 16 s instead of well under one.)
     */
    static Automaton anything() {
        State s = new State();
        s.setAccept(true);
        s.addTransition(new Transition((char) 0, (char) 255, s));
        Automaton a = new Automaton();
        a.setInitialState(s);
        a.setDeterministic(true);
        return a;
    }
}
