package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code judo inline}'s bad input: one clear line and exit status 2, never a stack trace (no root needed). */
class InlineCommandTest {
    @TempDir
    Path dir;

    private Run inline(String... args) {
        Run r = Run.judo(args);
        assertEquals(Judo.EXIT_BAD_INPUT, r.status(), r.out() + r.err());
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), r.err());
        return r;
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Path policy = Files.writeString(dir.resolve("p.judo"), "pass all\n");
        assertTrue(inline("inline", "--rules", policy.toString(), "judonosuch0", "judonosuch1").err()
                .contains("no interface named 'judonosuch0'"));
        assertTrue(inline("inline", "--rules", policy.toString(), "lo", "lo").err()
                .contains("must be different interfaces"));
        assertTrue(inline("inline", "lo", "judonosuch1").err().contains("needs --rules"));
        assertTrue(inline("inline", "--rules", policy.toString(), "--mtu", "100", "lo", "judonosuch1").err()
                .contains("--mtu: between 576 and 65535"));
        assertTrue(inline("inline", "--rules", policy.toString(), "--workers", "0", "lo", "judonosuch1").err()
                .contains("--workers: between 1 and 256, got 0"));
        assertTrue(inline("inline", "--rules", policy.toString(), "--workers", "257", "lo", "judonosuch1").err()
                .contains("--workers: between 1 and 256, got 257"));
        assertTrue(inline("inline", "--rules", policy.toString(), "--workers", "2", "judonosuch0", "judonosuch1")
                .err().contains("no interface named 'judonosuch0'"));
        Path broken = Files.writeString(dir.resolve("b.judo"), "pass frobnicate\n");
        assertTrue(inline("inline", "--rules", broken.toString(), "lo", "judonosuch1").err().contains("b.judo:1"));
    }
}
