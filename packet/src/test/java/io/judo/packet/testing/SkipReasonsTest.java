package io.judo.packet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkipReasonsTest {
    /** Run only by the test below, through its own launcher (Surefire leaves nested classes alone). */
    static class Sample {
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

    @Test
    void printsEverySkippedTestWithItsReason() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SkipReasons listener = new SkipReasons(new PrintStream(out, true, StandardCharsets.UTF_8));
        // Without auto-registration, so the build's own SkipReasons does not print the sample's skips too.
        LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        LauncherFactory.create(config).execute(
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Sample.class)).build(), listener);

        String printed = out.toString(StandardCharsets.UTF_8).replace("\r", "");
        assertEquals("""
                [SKIPPED] SkipReasonsTest$Sample.conditional: System property [judo.no.such.property] does not exist
                [SKIPPED] SkipReasonsTest$Sample.needsATool: frobnicate is not installed
                """, printed.lines().sorted().map(l -> l + "\n").reduce("", String::concat));
    }
}
