package io.judo.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code judo} in a child JVM, running the real main(): for what in-process runs cannot show (standard input, signals,
 * the exit status System.exit gives). Its stdout and stderr are collected on their own threads.
 */
final class ChildJudo {
    private final Process process;
    private final CompletableFuture<String> out;
    private final CompletableFuture<String> err;

    private ChildJudo(Process process) {
        this.process = process;
        this.out = collect(process.getInputStream());
        this.err = collect(process.getErrorStream());
    }

    /** Starts {@code judo args...}; its standard input is a pipe ({@link #stdin()}). */
    static ChildJudo start(String... args) throws IOException {
        List<String> cmd = command();
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().put("JUDO_NO_PROGRESS", "1");
        return new ChildJudo(b.start());
    }

    /** The command line that runs this build's judo main() in a new JVM, without arguments (add them). */
    static List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // the module openings the journal (Chronicle) needs, as this JVM was given them (the jar's manifest has them)
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Dchronicle.")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Judo.class.getName()));
        return cmd;
    }

    private static CompletableFuture<String> collect(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (in) {
                in.transferTo(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        });
    }

    java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    Process process() {
        return process;
    }

    /** Waits for the exit (at most two minutes) and returns status and output. */
    Run finish() throws Exception {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("judo did not end; stderr so far: " + err.getNow("?"));
        }
        return new Run(process.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
    }
}
