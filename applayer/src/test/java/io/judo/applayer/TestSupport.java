package io.judo.applayer;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** What the parsers' tests share: cutting a stream into random pieces, and asking whether a peer tool runs. */
public final class TestSupport {
    private TestSupport() {
    }

    /** Receives one piece: {@code [off, off + len)} of the stream being cut. */
    public interface Piece {
        void at(int off, int len);
    }

    /**
     * Cuts {@code [0, length)} into random pieces in order: with odds 1 in smallOdds a piece of 1..small bytes, else
     * of 1..large bytes (so both byte-sized and segment-sized cuts happen).
     */
    public static void cut(int length, Random rnd, int smallOdds, int small, int large, Piece piece) {
        int at = 0;
        while (at < length) {
            int n = Math.min(length - at, 1 + rnd.nextInt(rnd.nextInt(smallOdds) == 0 ? small : large));
            piece.at(at, n);
            at += n;
        }
    }

    /** @return whether the command runs and exits 0 within a minute (for test assumptions) */
    public static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
