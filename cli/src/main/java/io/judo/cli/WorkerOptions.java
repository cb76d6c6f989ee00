package io.judo.cli;

import picocli.CommandLine.Option;

/**
 * {@code --workers N}, shared by the commands that read captures flow by flow ({@code scan}, {@code streams},
 * {@code grep --pcap}) or packet by packet ({@code filter}): how many threads share the work.
 */
final class WorkerOptions {
    /** The most workers a run takes; more would only cost memory (each has its own flow table). */
    static final int MAX = 256;

    @Option(names = "--workers", paramLabel = "N", description = "Threads that share the work, flows sharded over "
            + "them by their address pair, each reading the captures itself (default: one per core but one, as the "
            + "JVM's compiler keeps a core busy while a run warms up; 1 works on the reading thread); outputs that "
            + "need input order keep it.")
    Integer workers;

    /** The workers asked for, or the default; out of 1..{@value #MAX} is a usage error. */
    int count() {
        return count(workers);
    }

    /**
     * {@code workers} as asked for on a command line ({@code null}: not given, the default); out of 1..{@value #MAX}
     * is a usage error. For commands whose {@code --workers} has help text of its own ({@code inline}).
     */
    static int count(Integer workers) {
        if (workers == null) {
            return defaultCount();
        }
        if (workers < 1 || workers > MAX) {
            throw new UserError("--workers: between 1 and " + MAX + ", got " + workers);
        }
        return workers;
    }

    /**
     * One per core but one: while a run warms up, the JVM's JIT threads keep about a core busy compiling the rule
     * programs (ET Open's is a quarter of a million instructions), and two workers on 2 cores were slower than one on
     * a 200 MB capture, faster (1.3x) only on a 1 GiB one (docs/BENCHMARKS.md). On 2 cores the work runs on the
     * reading thread; {@code --workers 2} asks for both.
     */
    static int defaultCount() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }
}
