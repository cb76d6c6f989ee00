package io.judo.rules.judo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Golden fixtures for the judo language: policy text to program listing (including the lines the issue requires
 * verbatim) and bad lines to diagnostics. Regenerate with -Djudo.golden.update=true and review the diff.
 */
class JudoGoldenTest {
    private static String read(String name) throws Exception {
        try (InputStream in = JudoGoldenTest.class.getResourceAsStream("/golden/judo/" + name)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void pin(String name, String actual) throws Exception {
        if (Boolean.getBoolean("judo.golden.update")) {
            Files.writeString(Path.of("src/test/resources/golden/judo/" + name), actual);
        }
        assertEquals(read(name), actual);
    }

    @Test
    void policyListingIsPinned() throws Exception {
        JudoParser.Result r = JudoParser.parse(read("policy.judo"), "policy.judo");
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        assertEquals(8, r.policy().rules().size());
        pin("policy.listing", JudoCompiler.compile(r.policy()).listing());
    }

    @Test
    void diagnosticsArePinned() throws Exception {
        JudoParser.Result r = JudoParser.parse(read("diagnostics.judo"), "diagnostics.judo");
        StringBuilder sb = new StringBuilder();
        for (RuleError e : r.errors()) {
            sb.append(e.display()).append('\n');
        }
        sb.append("rules ").append(r.policy().rules().size()).append('\n');
        pin("diagnostics.txt", sb.toString());
    }
}
