package io.judo.cli;

import io.judo.engine.ScanProgress;
import java.io.PrintWriter;

/**
 * A one-line progress display on stderr, rewritten in place with carriage returns at most four times a second:
 * percentage of the current file, packets so far and the rate.
 */
final class ProgressLine implements ScanProgress {
    private final PrintWriter err;
    private final long started = System.nanoTime();
    private long lastPrint;
    private long fileSize = -1;
    private String file;
    private boolean printed;

    ProgressLine(PrintWriter err) {
        this.err = err;
    }

    void startFile(String name, long size) {
        this.file = name;
        this.fileSize = size;
    }

    @Override
    public void update(String name, long position, long packets) {
        long now = System.nanoTime();
        if (now - lastPrint < 250_000_000L) {
            return;
        }
        lastPrint = now;
        double seconds = (now - started) / 1e9;
        String pct = fileSize > 0 ? String.format("%3d%%", Math.min(100, position * 100 / fileSize)) : "    ";
        err.print(String.format("\r%s %s  %,d packets  %.2f Mpkt/s ", pct, file, packets, packets / seconds / 1e6));
        err.flush();
        printed = true;
    }

    /** Clears the line so the report starts on a clean line. */
    void finish() {
        if (printed) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
