package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real main() in a child JVM: what a user's terminal receives, including output ending without newline. */
class LauncherTest {
    @TempDir
    Path dir;

    private static String run(String... args) throws Exception {
        List<String> cmd = ChildJudo.command();
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void disassemblyReachesStdout() throws Exception {
        Path src = dir.resolve("p.s");
        Files.writeString(src, "    mov r0, 1\n    ret pass, 7\n");
        assertEquals("    mov r0, 1\n    ret pass, 7\n", run("disasm", src.toString()));
    }
}
