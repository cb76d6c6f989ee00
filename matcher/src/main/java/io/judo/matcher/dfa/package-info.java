/**
 * The pure-Java backend: per-pattern automata built with dk.brics from the parse tree, combined into a table-driven
 * multi-pattern DFA over byte classes that reports which patterns end at each position. One {@code int} of state per
 * automaton group and flow direction; patterns that would blow the combined DFA past its state budget are split
 * into further groups.
 */
package io.judo.matcher.dfa;
