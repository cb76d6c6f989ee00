package io.judo.rules.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.rules.RuleError;
import io.judo.rules.judo.JudoCompiler;
import io.judo.rules.judo.JudoParser;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary text as a judo policy: every bad line becomes a located {@link RuleError}, and the policy of the good
 * lines compiles (the compiler verifies its own output). Anything else thrown is a finding. Every build fuzzes this
 * for 10 s (rules/pom.xml); docs/TESTING.md has the long run.
 */
class JudoPolicyFuzzTest {
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void policiesCompileOrFailWithALocation(FuzzedDataProvider data) {
        // a String parameter may be null under Jazzer's mutator; the provider's never is
        String text = data.consumeRemainingAsString();
        JudoParser.Result r = JudoParser.parse(text, "fuzz.judo");
        for (RuleError e : r.errors()) {
            Outcomes.located(e);
        }
        JudoCompiler.compile(r.policy(), true);
        JudoCompiler.compile(r.policy(), false);
    }
}
