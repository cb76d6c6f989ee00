package io.judo.matcher;

/** Per-pattern flags, with their PCRE/Hyperscan meaning. */
public enum PatternFlag {
    /** Letters match either case ({@code i}). */
    CASELESS,
    /** {@code .} matches a newline too ({@code s}). */
    DOTALL,
    /** {@code ^} and {@code $} match at line starts and ends ({@code m}). */
    MULTILINE,
    /** Report only the first match of the pattern per scan or stream. */
    SINGLEMATCH,
    /** Report the start of each match (leftmost), not just its end. */
    SOM
}
