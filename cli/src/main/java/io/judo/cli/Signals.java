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
}
