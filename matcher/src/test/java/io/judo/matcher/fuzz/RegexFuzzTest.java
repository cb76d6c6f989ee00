package io.judo.matcher.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.matcher.MatcherException;
import io.judo.matcher.Pattern;
import io.judo.matcher.PatternFlag;
import io.judo.matcher.dfa.DfaDatabase;
import io.judo.matcher.regex.RegexNode;
import io.judo.matcher.regex.RegexParser;
import io.judo.matcher.regex.RequiredLiteral;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary text as a PCRE-subset pattern with arbitrary flags: the parser either gives a tree, from which the
 * required literal and the DFA database build (or the database refuses the pattern with a {@link MatcherException}),
 * or a {@link MatcherException} whose column lies in the pattern. Anything else thrown is a finding. Every build
 * fuzzes this for 10 s (matcher/pom.xml); docs/TESTING.md has the long run.
 */
class RegexFuzzTest {
    /** Small, so that the fuzzer reaches the too-big split and fallback paths. */
    private static final int STATE_BUDGET = 500;

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void patternsParseAndCompileOrFailWithAColumn(FuzzedDataProvider data) {
        boolean caseless = data.consumeBoolean();
        boolean dotall = data.consumeBoolean();
        boolean multiline = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        RegexNode tree;
        try {
            tree = RegexParser.parse(text, 7, caseless, dotall, multiline);
        } catch (MatcherException e) {
            if (e.patternId() != 7 || e.column() < 1 || e.column() > text.length() + 1) {
                throw new IllegalStateException("error at column " + e.column() + " of " + text.length(), e);
            }
            return;
        }
        RequiredLiteral.of(tree, 1);
        Set<PatternFlag> flags = EnumSet.noneOf(PatternFlag.class);
        if (caseless) {
            flags.add(PatternFlag.CASELESS);
        }
        if (dotall) {
            flags.add(PatternFlag.DOTALL);
        }
        if (multiline) {
            flags.add(PatternFlag.MULTILINE);
        }
        try {
            DfaDatabase.compile(List.of(new Pattern(7, text, flags)), STATE_BUDGET);
        } catch (MatcherException e) {
            // the database refuses some parsed patterns (one that matches the empty string), naming the pattern
            if (e.patternId() != 7) {
                throw new IllegalStateException("compile error for pattern " + e.patternId(), e);
            }
        }
    }
}
