package io.judo.rules.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.rules.RuleError;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.Variables;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary text as a Suricata rules file: the loader turns every bad line into a located {@link RuleError} (or a
 * skip), and whatever it accepts compiles to verified programs. Anything else thrown is a finding. Every build fuzzes
 * this for 10 s (rules/pom.xml); docs/TESTING.md has the long run.
 */
class SuricataRuleFuzzTest {
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void rulesLoadAndCompileOrFailWithALocation(FuzzedDataProvider data) {
        boolean strict = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, strict).load(text, "fuzz.rules");
        for (RuleError e : loader.errors()) {
            Outcomes.located(e);
        }
        RuleSetCompiler.compile(loader.rules());
    }
}
