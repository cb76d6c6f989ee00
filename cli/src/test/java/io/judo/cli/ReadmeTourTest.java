package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.testing.ExternalTools;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's tour as written, in an empty directory, as a reader of a fresh clone would: every {@code $ }
 * command in the tour's code blocks, in order, through bash, with {@code ./judo} running this build's classes. Each
 * command must succeed (or fail, where the README shows it failing with a {@code judo:} error), and every output
 * line the README shows must appear in what the command printed, except lines that cannot repeat (timings) and
 * {@code ...}, which stands for lines left out.
 */
class ReadmeTourTest {
    @TempDir
    Path dir;

    /** What judo prints on stderr with exit 0: warnings and the summaries of long steps. */
    private static final List<String> SUCCESS_LINES = List.of("judo: warning", "judo: wrote ", "judo: rules ready");

    record Step(String command, List<String> shown) {
        /** An error line from judo: "judo: " and not one of the lines judo prints on stderr when all is well. */
        boolean expectsFailure() {
            return shown.stream().anyMatch(l -> l.startsWith("judo: ")
                    && SUCCESS_LINES.stream().noneMatch(l::startsWith));
        }
    }

    @Test
    void theTourRunsAsWritten() throws Exception {
        for (String tool : List.of("tshark", "tcpdump", "jq")) {
            ExternalTools.require(tool);
        }
        Path repo = Path.of("..").toAbsolutePath().normalize();
        List<Step> steps = tour(Files.readAllLines(repo.resolve("README.md")));
        assertTrue(steps.size() >= 15, "the tour has its commands: " + steps);

        // What a fresh clone has beside the launcher: the shipped examples.
        Files.createDirectories(dir.resolve("examples"));
        Files.copy(repo.resolve("examples/web.s"), dir.resolve("examples/web.s"));
        Path judo = dir.resolve("judo");
        StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
        for (String word : ChildJudo.command()) {
            script.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        Files.writeString(judo, script.append(" \"$@\"\n").toString());
        Files.setPosixFilePermissions(judo, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> failures = new ArrayList<>();
        for (Step step : steps) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", step.command())
                    .directory(dir.toFile()).redirectErrorStream(true);
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), "timed out: " + step.command());
            String printed = out.toString(StandardCharsets.UTF_8);
            String context = "$ " + step.command() + "\n" + printed;
            if (step.expectsFailure() != (p.exitValue() != 0)) {
                failures.add("exit status " + p.exitValue() + " where the README shows "
                        + (step.expectsFailure() ? "an error" : "success") + ":\n" + context);
            }
            List<String> lines = printed.lines().map(String::stripTrailing).toList();
            for (String shown : step.shown()) {
                if (comparable(shown) && !lines.contains(shown.stripTrailing())) {
                    failures.add("README line not printed: '" + shown + "'\n" + context);
                }
            }
        }
        assertEquals(List.of(), failures, String.join("\n", failures));
    }

    /** Lines that depend on the machine or the moment, and the README's mark for left-out lines. */
    private static boolean comparable(String shown) {
        return !shown.isBlank() && !shown.equals("...") && !shown.startsWith("elapsed");
    }

    /** The commands of the code blocks between "## A short tour" and the next top-level section. */
    static List<Step> tour(List<String> readme) {
        List<Step> steps = new ArrayList<>();
        boolean inTour = false;
        boolean inBlock = false;
        String command = null;
        List<String> shown = new ArrayList<>();
        for (String line : readme) {
            if (line.startsWith("## ")) {
                inTour = line.equals("## A short tour");
                continue;
            }
            if (!inTour) {
                continue;
            }
            if (line.startsWith("```")) {
                if (inBlock && command != null) {
                    steps.add(new Step(command, List.copyOf(shown)));
                }
                inBlock = !inBlock;
                command = null;
                shown.clear();
                continue;
            }
            if (!inBlock) {
                continue;
            }
            if (line.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(command, List.copyOf(shown)));
                }
                command = line.substring(2);
                shown.clear();
            } else if (command != null) {
                shown.add(line);
            }
        }
        return steps;
    }
}
