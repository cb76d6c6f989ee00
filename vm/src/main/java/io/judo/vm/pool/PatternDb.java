package io.judo.vm.pool;

/**
 * A pattern database a program refers to: its name and how many patterns it holds. The VM knows nothing more; the
 * engine binds the compiled database behind the MATCH helpers. Pattern ids are numbered across all databases of a
 * program in declaration order, starting at {@code firstPattern}.
 */
public record PatternDb(String name, int patterns, int firstPattern) {
}
