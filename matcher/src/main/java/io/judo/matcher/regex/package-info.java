/**
 * The project's own parser for the PCRE subset IDS rules use, producing a syntax tree over bytes. Backends build
 * their automata from this tree and never see the rule's regex text. Constructs no automaton can do are kept as
 * {@link io.judo.matcher.regex.RegexNode.Unsupported} nodes so the pattern can be routed to the confirm stage.
 */
package io.judo.matcher.regex;
