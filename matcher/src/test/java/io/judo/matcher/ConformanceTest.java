package io.judo.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.judo.matcher.dfa.DfaDatabase;
import io.judo.matcher.hyperscan.HyperscanDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance corpus: patterns times inputs, expected results from the {@link Oracle}. Every backend must give
 * exactly the oracle's (pattern, end offset) pairs, in one block and streamed at every split point.
 */
class ConformanceTest {
    static final String[][] CORPUS = {
        // pattern, flags, input[, the pattern in java.util.regex syntax for the oracle where PCRE's differs]
        {"attack", "", "xx ATTACK attack GET /index.php attackattack"},
        {"evil\\.example\\.com", "i", "EVIL.Example.COM evilxexample.com evil.example.com"},
        {"GET /[a-z]+\\.php", "", "GET /index.php GET /a.php GET /.php GET /Ab.php"},
        {"begin.*end", "s", "begin\nmiddle\nend begin end"},
        {"begin.*end", "", "begin\nmiddle\nend begin end"},
        {"\\d{3}-\\d{4}", "", "555-1234 666-77777 12-3456"},
        {"a+", "", "baaab aa a"},
        {"(ab|cd)+e", "", "abcde abe cdcde ae"},
        {"^GET ", "", "GET / GET /"},
        {"^GET ", "m", "GET /\nGET /x\n GET"},
        {"end$", "", "the end\nno end"},
        {"end$", "", "the end\nno end\n"},
        {"end\\z", "", "the end\nno end\n"},
        {"[^a-z]{2}", "", "ab12cd!?e"},
        {"\\x00\\x01|\\xff", "", "\u0000\u0001 \u00ff\u00fe"},
        {"[[:digit:]][[:alpha:]]", "", "1a 22 b3 4Z", "\\p{Digit}\\p{Alpha}"},
        {"colou?r", "", "color colour colouur"},
        {"x{2,3}", "", "x xx xxx xxxx"},
        {"(?i)judo", "", "JUDO judo JuDo"},
        {"a(?i:b)c", "", "abc aBc ABC abC"},
        {"\\s\\S\\w\\W", "", " a_!\tb1 "},
        {"\\bword\\b", "", "a word, words, sword word"},
        {"(a)\\1", "", "aa ab aab"},
        {"foo(?=bar)", "", "foobar foobaz"},
        {"[\\]x-]+", "", "a]x-b"},
        {"a.c", "", "abc a\nc axc"},
        {"\\.\\*\\+", "", ".*+ .+*"},
        {"(?:ab){2}", "", "ababab abab"},
    };

    static Set<PatternFlag> flags(String f) {
        Set<PatternFlag> s = EnumSet.noneOf(PatternFlag.class);
        for (char c : f.toCharArray()) {
            switch (c) {
                case 'i': s.add(PatternFlag.CASELESS); break;
                case 's': s.add(PatternFlag.DOTALL); break;
                case 'm': s.add(PatternFlag.MULTILINE); break;
                case '1': s.add(PatternFlag.SINGLEMATCH); break;
                default: throw new IllegalArgumentException(f);
            }
        }
        return s;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String[] c : CORPUS) {
            out.add(Arguments.of(c[0], c[1], c[2], c.length > 3 ? c[3] : c[0]));
        }
        return out.stream();
    }

    /** Every backend this machine has; Hyperscan's absence is printed (and fails under CI, where it must load). */
    static List<PatternDatabase> engines(List<Pattern> patterns) {
        List<PatternDatabase> dbs = new ArrayList<>();
        dbs.add(DfaDatabase.compile(patterns));
        String why = HyperscanDatabase.unavailableReason();
        if (why == null) {
            dbs.add(HyperscanDatabase.compile(patterns));
        } else if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("Hyperscan must load on CI (x86-64 Linux): " + why);
        } else {
            System.err.println("SKIPPED Hyperscan: " + why);
        }
        return dbs;
    }

    @ParameterizedTest(name = "/{0}/{1} on \"{2}\"")
    @MethodSource("cases")
    void everyEngineAgreesWithTheOracle(String expr, String f, String text, String javaExpr) {
        List<Pattern> patterns = List.of(new Pattern(7, expr, flags(f)));
        byte[] input = text.getBytes(StandardCharsets.ISO_8859_1);
        List<Oracle.Hit> expected = Oracle.matches(List.of(new Pattern(7, javaExpr, flags(f))), input);
        boolean leftmostOnly = List.of("\\bword\\b", "(a)\\1", "foo(?=bar)").contains(expr);
        for (PatternDatabase db : engines(patterns)) {
            if (leftmostOnly && db.confirmCount() > 0) {
                // The confirm stage reports leftmost-first matches; on these inputs that is every match.
                assertEquals(expected, Engines.block(db, input), db.engine() + " (confirm stage)");
                continue;
            }
            assertEquals(expected, Engines.block(db, input), db.engine() + " block");
            for (int cut = 0; cut <= input.length; cut++) {
                assertEquals(expected, Engines.stream(db, input, cut), db.engine() + " stream cut at " + cut);
            }
            assertEquals(expected, Engines.stream(db, input, everyByte(input.length)), db.engine() + " byte by byte");
        }
        assertFalse(expected.isEmpty() && text.isEmpty());
    }

    static int[] everyByte(int n) {
        int[] cuts = new int[Math.max(0, n - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }
}
