package io.judo.matcher;

import io.judo.matcher.dfa.DfaDatabase;
import io.judo.matcher.hyperscan.HyperscanDatabase;
import java.util.List;
import java.util.Locale;

/** Which backend compiles a pattern set. */
public enum Engine {
    /** Hyperscan when it loads on this machine, otherwise the DFA. */
    AUTO,
    HYPERSCAN,
    DFA;

    /** By name ("auto", "hyperscan", "dfa"), or null. */
    public static Engine named(String name) {
        for (Engine e : values()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(name)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Compiles the patterns with this engine.
     *
     * @throws MatcherException for a pattern the engine rejects
     * @throws IllegalStateException for HYPERSCAN where it does not load
     */
    public PatternDatabase compile(List<Pattern> patterns) {
        return compile(patterns, null);
    }

    /** As {@link #compile(List)}, caching compiled Hyperscan databases in {@code cacheDir} (null: no cache). */
    public PatternDatabase compile(List<Pattern> patterns, java.nio.file.Path cacheDir) {
        switch (this) {
            case HYPERSCAN:
                return HyperscanDatabase.compile(patterns, cacheDir);
            case DFA:
                return DfaDatabase.compile(patterns);
            default:
                return HyperscanDatabase.available() ? HyperscanDatabase.compile(patterns, cacheDir)
                        : DfaDatabase.compile(patterns);
        }
    }
}
