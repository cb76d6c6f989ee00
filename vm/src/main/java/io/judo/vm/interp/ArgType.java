package io.judo.vm.interp;

/** What a helper argument register must hold; pool types must be constants the verifier can check. */
public enum ArgType {
    /** Any initialised value. */
    SCALAR,
    /** A pattern-database index (a known constant below the program's database count). */
    PATTERN_DB,
    /** A pattern id (a known constant below the program's pattern count). */
    PATTERN,
    /** A string-pool index (a known constant). */
    STRING
}
