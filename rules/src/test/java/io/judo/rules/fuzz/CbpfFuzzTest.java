package io.judo.rules.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.rules.SyntaxError;
import io.judo.rules.cbpf.CbpfImporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Classic BPF for the importer, two ways: arbitrary text (as {@code tcpdump -ddd} prints) and well-formed lines of
 * arbitrary instructions, so that the translator, not only the line parser, sees the fuzzer's input. Each imports to a
 * program the verifier accepts or fails with a {@link SyntaxError}. Every build fuzzes this for 10 s (rules/pom.xml);
 * docs/TESTING.md has the long run.
 */
class CbpfFuzzTest {
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void classicProgramsImportToVerifiedProgramsOrFail(FuzzedDataProvider data) {
        String text;
        if (data.consumeBoolean()) {
            text = data.consumeRemainingAsString();
        } else {
            List<String> lines = new ArrayList<>();
            int n = data.consumeInt(1, 64);
            for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
                lines.add(data.consumeInt(0, 0xffff) + " " + data.consumeInt(0, 255) + " " + data.consumeInt(0, 255)
                        + " " + data.consumeLong(0, 0xffffffffL));
            }
            lines.add(0, Integer.toString(lines.size()));
            text = String.join("\n", lines);
        }
        try {
            Outcomes.verifies(CbpfImporter.importText(text), "cbpf import");
        } catch (SyntaxError e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new IllegalStateException("syntax error without a message", e);
            }
        }
    }
}
