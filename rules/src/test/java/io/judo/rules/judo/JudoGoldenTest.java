package io.judo.rules.judo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.Golden;
import io.judo.rules.RuleError;
import org.junit.jupiter.api.Test;

/**
 * Golden fixtures for the judo language: policy text to program listing (including the lines the issue requires
 * verbatim) and bad lines to diagnostics. Regenerate with -Djudo.golden.update=true and review the diff.
 */
class JudoGoldenTest {
    private static String read(String name) {
        return Golden.read("judo/" + name);
    }

    private static void pin(String name, String actual) {
        Golden.pin("judo/" + name, actual);
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
