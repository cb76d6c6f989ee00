package io.judo.rules.judo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A bare {@code match} (no tests, no options) is valid and does nothing; found by JudoPolicyFuzzTest. */
class BareMatchTest {
    @Test
    void compilesWithAndWithoutTheOptimizer() {
        JudoParser.Result r = JudoParser.parse("match\npass\n", "bare.judo");
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertEquals(2, r.policy().rules().size());
        assertTrue(JudoCompiler.compile(r.policy(), false).listing().contains("ret"));
        assertTrue(JudoCompiler.compile(r.policy(), true).listing().contains("ret"));
    }
}
