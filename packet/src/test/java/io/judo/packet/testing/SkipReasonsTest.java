package io.judo.packet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkipReasonsTest {
    @Test
    void printsEverySkippedTestWithItsReason() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SkipReasons listener = new SkipReasons(new PrintStream(out, true, StandardCharsets.UTF_8));
        // Without auto-registration, so the build's own SkipReasons does not print the sample's skips too.
        LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        LauncherFactory.create(config).execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(SkipReasonsSample.class)).build(), listener);

        String printed = out.toString(StandardCharsets.UTF_8).replace("\r", "");
        assertEquals("""
                [SKIPPED] SkipReasonsSample.conditional: System property [judo.no.such.property] does not exist
                [SKIPPED] SkipReasonsSample.needsATool: frobnicate is not installed
                """, printed.lines().sorted().map(l -> l + "\n").reduce("", String::concat));
    }
}
