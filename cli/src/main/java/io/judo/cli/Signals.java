package io.judo.cli;

/** Signal handlers beyond the JVM's own (SIGINT and SIGTERM run shutdown hooks). */
final class Signals {
    private Signals() {
    }

    /**
     * Runs {@code action} on each SIGUSR1 (as Suricata and many daemons dump statistics). Where the JVM does not let
     * judo have the signal, nothing happens: statistics still print at exit.
     */
    @SuppressWarnings("removal")
    static void onUsr1(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the JVM uses SIGUSR1 itself here (some -Xrs / debugging setups)
        }
    }

    /**
     * True when judo runs as its own process ({@link Judo#main}); commands run in-process (tests, embedding) leave
     * the host's signal handling alone.
     */
    static volatile boolean processWide;

    /**
     * Runs {@code stop} on the first SIGINT or SIGTERM, so a long-running command ends its loop, prints its summary
     * and exits 0; a second signal ends the process at once. Returns false where the JVM keeps the signals (then a
     * shutdown hook is the caller's fallback).
     */
    static boolean onStop(Runnable stop) {
        return onStop(signal -> stop.run());
    }

    /** As {@link #onStop(Runnable)}, telling {@code stop} the signal's name ("SIGINT", "SIGTERM"). */
    @SuppressWarnings("removal")
    static boolean onStop(java.util.function.Consumer<String> stop) {
        java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
        sun.misc.SignalHandler handler = s -> {
            if (asked.getAndSet(true)) {
                Runtime.getRuntime().halt(128 + s.getNumber());
            }
            stop.accept("SIG" + s.getName());
        };
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
