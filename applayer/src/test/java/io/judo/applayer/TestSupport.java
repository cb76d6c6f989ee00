package io.judo.applayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What the parsers' tests share: cutting a stream into random pieces, asking whether a peer tool runs, running one,
 * and laying out the Python scripts the oracle tests run.
 */
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

    /**
     * Runs a peer tool (an oracle) in the current folder: @return its standard output, as UTF-8; its standard error is
     * dropped. Fails the test if it does not exit 0 within two minutes.
     */
    public static String run(String... cmd) throws IOException, InterruptedException {
        return run(null, cmd);
    }

    /** Like {@link #run(String...)}, in the folder cwd (null: the current one). */
    public static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd == null ? null : cwd.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd));
        return new String(out, StandardCharsets.UTF_8);
    }

    /**
     * Copies the test resource {@code name} of {@code owner}'s package into {@code dir}, with the shared
     * {@code pcapwriter.py} (io/judo/applayer) beside it, so the script's {@code import pcapwriter} finds it (Python
     * puts a script's own folder first on its path).
     *
     * @return the copied script
     */
    public static Path script(Class<?> owner, String name, Path dir) throws IOException {
        Path script = dir.resolve(name);
        copy(owner, name, script);
        copy(TestSupport.class, "pcapwriter.py", dir.resolve("pcapwriter.py"));
        return script;
    }

    private static void copy(Class<?> owner, String name, Path to) throws IOException {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name + " beside " + owner.getName());
            }
            Files.write(to, in.readAllBytes());
        }
    }
}
