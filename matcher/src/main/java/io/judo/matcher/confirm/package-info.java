/**
 * The confirm stage: patterns with constructs no automaton can do (backreferences, lookaround, word boundaries...)
 * run in java.util.regex over a bounded window of the data, with a step budget so that no pattern can backtrack
 * without limit. Counted and reported separately.
 */
package io.judo.matcher.confirm;
