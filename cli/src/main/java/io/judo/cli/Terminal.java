package io.judo.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the standard streams are connected to. */
final class Terminal {
    private Terminal() {
    }

    /**
     * True when standard error is a terminal. Java has no isatty for stderr; on Linux the descriptor's link names a
     * tty or pts device. Elsewhere we fall back to {@link System#console()} (stdin and stdout are a terminal).
     */
    static boolean stderrIsTerminal() {
        if (System.getenv("JUDO_NO_PROGRESS") != null) {
            return false;
        }
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            if (Files.exists(fd2)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (Exception e) {
            // fall through to the portable check
        }
        return System.console() != null;
    }
}
