/**
 * The judo language: OpenBSD's pf.conf(5) (macros, lists, tables, options, queues, anchors, {@code antispoof},
 * keep state) with payload extensions ({@code content}, {@code regex}, {@code stream}, {@code replace ... with ...}).
 * {@link io.judo.rules.judo.JudoLexer} tokenizes and expands macros; {@link io.judo.rules.judo.JudoParser} reads
 * statements, with {@link io.judo.rules.judo.OptionParser} for {@code set} and queues,
 * {@link io.judo.rules.judo.FilterParser} for rules and {@link io.judo.rules.judo.AddressParser} for hosts, into a
 * {@link io.judo.rules.judo.JudoPolicy} (anchors flattened, and the {@code judo rules show} listing);
 * {@link io.judo.rules.judo.JudoCompiler} turns it into one VM program whose regions run in order with pf's "last match
 * wins unless quick" semantics, header-only regions skipping packets of a flow with state. See docs/RULES.md.
 */
package io.judo.rules.judo;
