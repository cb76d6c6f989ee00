package io.judo.cli;

import io.judo.engine.ScanProgress;
import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Progress of a long step on stderr. On a terminal, one line rewritten in place with a carriage return (at most four
 * times a second) and cleared when the step ends; on a pipe or file, nothing. Either way {@link #done} prints the
 * step's one-line summary, so a log holds one line per step and a terminal shows the step while it runs.
 *
 * <p>Scans use it as their {@link ScanProgress}: percentage of the current file, packets so far and the rate. Rule
 * loading and {@code judo generate} call {@link #step} with their own text.
 */
final class ProgressLine implements ScanProgress {
    private static final long INTERVAL = 250_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long started;
    private long lastPrint;
    private long fileSize = -1;
    private String file;
    private boolean printed;

    /** A progress line on {@code err}, drawn when stderr is a terminal. */
    ProgressLine(PrintWriter err) {
        this(err, Terminal.stderrIsTerminal(), System::nanoTime);
    }

    /**
     * @param terminal whether to draw the line ({@link Terminal#stderrIsTerminal()} for the real stderr)
     * @param clock nanoseconds, for the rate and the redraw interval
     */
    ProgressLine(PrintWriter err, boolean terminal, LongSupplier clock) {
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastPrint = started - INTERVAL;
    }

    /** Whether the line is drawn (stderr is a terminal). */
    boolean terminal() {
        return terminal;
    }

    /** Seconds since this line was made. */
    double seconds() {
        return (clock.getAsLong() - started) / 1e9;
    }

    void startFile(String name, long size) {
        this.file = name;
        this.fileSize = size;
    }

    @Override
    public void update(String name, long position, long packets) {
        if (!due()) {
            return;
        }
        String pct = fileSize > 0 ? String.format("%3d%%", Math.min(100, position * 100 / fileSize)) : "    ";
        draw(String.format("%s %s  %,d packets  %.2f Mpkt/s", pct, file, packets,
                packets / Math.max(1e-9, seconds()) / 1e6));
    }

    /** Shows {@code text} as the current state of the step (on a terminal, and not more than 4 times a second). */
    void step(String text) {
        if (due()) {
            draw(text);
        }
    }

    /** Shows {@code text} now, whatever the interval: a new phase of the step. */
    void phase(String text) {
        if (terminal) {
            lastPrint = clock.getAsLong();
            draw(text);
        }
    }

    private boolean due() {
        if (!terminal) {
            return false;
        }
        long now = clock.getAsLong();
        if (now - lastPrint < INTERVAL) {
            return false;
        }
        lastPrint = now;
        return true;
    }

    private void draw(String text) {
        err.print("\r" + text + "\033[K");
        err.flush();
        printed = true;
    }

    /** Clears the line so what follows starts on a clean line. */
    void finish() {
        if (printed) {
            err.print("\r\033[K");
            err.flush();
            printed = false;
        }
    }

    /** Ends the step: clears the line and prints {@code summary} as one line (on a terminal or not). */
    void done(String summary) {
        finish();
        err.println(summary);
        err.flush();
    }
}
