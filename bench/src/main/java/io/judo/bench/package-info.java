/**
 * JMH benchmarks (run with {@code java -jar bench/target/benchmarks.jar}); results and the peer comparisons are
 * recorded in docs/BENCHMARKS.md.
 */
package io.judo.bench;
