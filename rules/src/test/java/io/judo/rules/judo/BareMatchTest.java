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

    /** A quick rule that cannot fail decides everything: what follows it is left out, with or without the optimizer. */
    @Test
    void rulesAfterAnUnconditionalQuickRuleAreLeftOut() {
        for (String text : new String[] {"pass quick\nblock all\n", "block quick\npass proto tcp\nmatch\n",
            "pass quick"}) {
            JudoParser.Result r = JudoParser.parse(text, "quick.judo");
            assertTrue(r.errors().isEmpty(), r.errors().toString());
            for (boolean optimize : new boolean[] {false, true}) {
                String listing = JudoCompiler.compile(r.policy(), optimize).listing();
                assertTrue(listing.contains("ret"), listing);
            }
        }
    }
}
