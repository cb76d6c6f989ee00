package io.judo.packet.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Tests that skip, run only by {@link SkipReasonsTest} through its own launcher: the class name matches none of
 * Surefire's includes, so the build itself never runs (or reports) them.
 */
class SkipReasonsSample {
    @Test
    void needsATool() {
        Assumptions.assumeTrue(false, "frobnicate is not installed");
    }

    @Test
    @EnabledIfSystemProperty(named = "judo.no.such.property", matches = "yes")
    void conditional() {
    }

    @Test
    void passes() {
    }
}
