/**
 * The judo language: pf.conf's shape ({@code block}, {@code pass}, {@code match}, {@code quick}, tables, tags,
 * queues, {@code nat-to}/{@code rdr-to}) with payload extensions ({@code content}, {@code regex}, {@code stream},
 * {@code replace ... with ...}). {@link io.judo.rules.judo.JudoParser} reads a file into a
 * {@link io.judo.rules.judo.JudoPolicy}; {@link io.judo.rules.judo.JudoCompiler} turns it into one VM program whose
 * regions run in order with pf's "last match wins unless quick" semantics. See docs/RULES.md.
 */
package io.judo.rules.judo;
