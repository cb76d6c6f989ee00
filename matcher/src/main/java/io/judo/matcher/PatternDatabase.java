package io.judo.matcher;

/** A compiled, immutable pattern set; thread-safe. Scanning happens through per-thread {@link Scanner}s. */
public interface PatternDatabase extends AutoCloseable {
    Scanner scanner();

    /** "hyperscan" or "dfa". */
    String engine();

    int patternCount();

    /** Patterns that run in the confirm stage (constructs the engine cannot do). */
    int confirmCount();

    /** Approximate bytes of state kept per open stream (per flow direction). */
    long streamStateBytes();

    /** A one-line description: engine, groups, states, memory. */
    String describe();

    @Override
    void close();
}
