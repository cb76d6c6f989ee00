package io.judo.packet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs peer tools (tshark, tcpdump, editcap) used as test oracles. Where a tool is missing the test is skipped with
 * the reason printed, except under CI ({@code CI=true}), where .ci/run installs the tools and a missing one is a
 * failure: a CI that silently skipped every oracle would prove nothing.
 */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** Skips (or fails under CI) when the tool is not on the PATH. */
    public static void require(String tool) {
        boolean present = which(tool) != null;
        if (!present) {
            String reason = tool + " is not installed (apt-get install " + (tool.equals("editcap") ? "tshark" : tool)
                    + ")";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(reason + "; .ci/run must install it");
            }
            Assumptions.assumeTrue(false, reason);
        }
    }

    private static Path which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs a command, returns its stdout; fails the test on a non-zero exit. stderr is discarded unless it fails. */
    public static String run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    public static String run(List<String> command) throws IOException, InterruptedException {
        Path errFile = Files.createTempFile("judo-tool", ".err");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectError(errFile.toFile()).start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            }
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                Assertions.fail("timed out: " + command);
            }
            if (p.exitValue() != 0) {
                Assertions.fail(command + " exited " + p.exitValue() + ": " + Files.readString(errFile));
            }
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(errFile);
        }
    }
}
