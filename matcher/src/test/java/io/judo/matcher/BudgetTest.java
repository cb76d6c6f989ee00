package io.judo.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.dfa.DfaDatabase;
import io.judo.matcher.regex.RegexParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Budgets: no pattern can hang the compiler or backtrack without limit. */
class BudgetTest {
    /**
     * A counted repeat after an unanchored prefix needs exponentially many DFA states; without the subset-construction
     * budget brics's determinization never finished on it. The timeout only guards against that hang.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void dfaHostilePatternGoesToTheConfirmStage() {
        List<Pattern> patterns = List.of(new Pattern(1, "User-Agent: [^\\r\\n]{200}", Set.of()),
                new Pattern(2, "GET /[a-z]+\\.php", Set.of()));
        DfaDatabase db = DfaDatabase.compile(patterns);
        assertEquals(1, db.confirmCount());
        String ua = "User-Agent: " + "z".repeat(200);
        byte[] input = ("GET /a.php " + ua + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(new Oracle.Hit(2, 10), new Oracle.Hit(1, 11 + ua.length())), Engines.block(db, input));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void catastrophicBacktrackingStopsAtTheStepBudget() {
        DfaDatabase db = DfaDatabase.compile(List.of(new Pattern(1, "(a+)+\\1b", Set.of())));
        byte[] input = "a".repeat(5000).getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(Engines.block(db, input).isEmpty());
    }

    /**
     * Large counted repeats compile (to a DFA or into the confirm stage) or are refused with a MatcherException,
     * quickly. {@code .{666}..\0} is RegexFuzzTest's timeout: the subset construction stepped all 256 byte values
     * through sets of hundreds of NFA states, 5 s here before the fix. {@code ..?{633}.} was the next one: brics
     * builds a repeat of an optional item with quadratically many transitions (minutes for {@code (a?){2000}}).
     * The bound is generous: behaviour, not a benchmark.
     */
    @Test
    void largeCountedRepeatsCompileOrAreRefusedQuickly() {
        for (String text : List.of(".{666}..\0", "a{1000}b", "(ab){500}", "[^x]{2000}", "a{0,3000}b",
                "(a{1000}){1000}", "(a{65535}){65535}x", "x.{0,65535}y", "..?{633}.", "(a?){2000}b", "(a|b?){3000}c",
                "a?".repeat(2000) + "b")) {
            for (int budget : new int[] {500, DfaDatabase.DEFAULT_STATE_BUDGET}) {
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                    try {
                        DfaDatabase.compile(List.of(new Pattern(3, text, Set.of())), budget);
                    } catch (MatcherException e) {
                        assertEquals(3, e.patternId(), e.getMessage());
                    }
                }, text + " with a state budget of " + budget);
            }
        }
        // beyond PCRE's 65535 the parser refuses the count, naming its column
        MatcherException tooMany = assertThrows(MatcherException.class,
                () -> DfaDatabase.compile(List.of(new Pattern(4, "ab{65536}", Set.of()))));
        assertEquals(4, tooMany.patternId());
        assertEquals(3, tooMany.column());
        // and a large repeat still matches, wherever it runs
        DfaDatabase db = DfaDatabase.compile(List.of(new Pattern(5, "a{1000}b", Set.of())));
        byte[] input = ("a".repeat(1000) + "b").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(new Oracle.Hit(5, 1001)), Engines.block(db, input));
    }

    @Test
    void syntaxErrorsNameTheColumn() {
        MatcherException e = assertThrows(MatcherException.class, () -> RegexParser.parse("ab[cd", 4, false, false,
                false));
        assertEquals(4, e.patternId());
        assertEquals(3, e.column());
        assertThrows(MatcherException.class, () -> RegexParser.parse("a{3,1}", 1, false, false, false));
        assertThrows(MatcherException.class, () -> RegexParser.parse("*a", 1, false, false, false));
        assertThrows(MatcherException.class, () -> RegexParser.parse("\\q", 1, false, false, false));
        // a group name cut off right after "(?P" (found by RegexFuzzTest: was a StringIndexOutOfBoundsException)
        assertThrows(MatcherException.class, () -> RegexParser.parse("(?P", 1, false, false, false));
        // and a backslash ending the pattern inside a class (found by RegexFuzzTest, the same exception)
        assertThrows(MatcherException.class, () -> RegexParser.parse("[a\\", 1, false, false, false));
        assertThrows(MatcherException.class, () -> RegexParser.parse("a\\", 1, false, false, false));
        MatcherException empty = assertThrows(MatcherException.class,
                () -> DfaDatabase.compile(List.of(new Pattern(9, "a*", Set.of()))));
        assertTrue(empty.getMessage().contains("empty string"), empty.getMessage());
    }
}
