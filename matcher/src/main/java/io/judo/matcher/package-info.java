/**
 * Multi-pattern matching: a {@link io.judo.matcher.PatternSet} compiles once into an immutable
 * {@link io.judo.matcher.PatternDatabase} shared by all threads; each thread scans with its own
 * {@link io.judo.matcher.Scanner}; each flow direction keeps a {@link io.judo.matcher.StreamState}. Two backends give
 * the same results: Hyperscan (Vectorscan through JNI) and a pure-Java DFA; constructs neither can do go to a bounded
 * confirm stage. Semantics are Hyperscan's: every end offset at which a pattern matches is reported, overlapping
 * matches included.
 */
package io.judo.matcher;
