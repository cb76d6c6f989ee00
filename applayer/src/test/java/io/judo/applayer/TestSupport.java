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
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What the parsers' tests share: cutting a stream into random pieces and feeding the pieces to a parser (whatever its
 * type: through its data, gap and end methods), asking whether a peer tool runs, running one, and laying out the
 * Python scripts the oracle tests run.
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

    /** A parser's data method: bytes {@code b[off, off + len)} of direction dir (0 client, 1 server). */
    @FunctionalInterface
    public interface Input {
        void data(int dir, byte[] b, int off, int len);
    }

    /** A parser's gap method: length bytes of direction dir are missing. */
    @FunctionalInterface
    public interface Gap {
        void gap(int dir, long length);
    }

    /** One fresh parse: feeds a new parser what {@code input} is given, then @return the parser's summary. */
    @FunctionalInterface
    public interface Parse {
        String summary(Consumer<Input> input);
    }

    /**
     * The fuzz tests' feed: b as direction 0 and then as direction 1, each cut as by {@link #cut} (1 in 2 pieces of
     * up to 8 bytes, else up to 2000) with 1 piece in 64 reported as a gap of its length instead, each direction
     * ended after its bytes.
     */
    public static void bothDirectionsWithGaps(byte[] b, Random rnd, Input data, Gap gap, IntConsumer end) {
        for (int dir = 0; dir < 2; dir++) {
            int d = dir;
            cut(b.length, rnd, 2, 8, 2000, (at, n) -> {
                if (rnd.nextInt(64) == 0) {
                    gap.gap(d, n);
                } else {
                    data.data(d, b, at, n);
                }
            });
            end.accept(dir);
        }
    }

    /**
     * Splitting must not matter: for every k from 0 to the longer stream's length, a fresh parse of client (direction
     * 0) and then server (direction 1), each cut in two at k (the second piece empty when it is shorter), must give
     * the summary want.
     */
    public static void assertEverySplitPoint(String want, byte[] client, byte[] server, Parse parse) {
        int longest = Math.max(client.length, server.length);
        for (int k = 0; k <= longest; k++) {
            int a = Math.min(k, client.length);
            int b = Math.min(k, server.length);
            assertEquals(want, parse.summary(in -> {
                in.data(0, client, 0, a);
                in.data(0, client, a, client.length - a);
                in.data(1, server, 0, b);
                in.data(1, server, b, server.length - b);
            }), "split at " + k);
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
