package io.judo.matcher.confirm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The literal-prefix shortcut of {@link BoundedRegex}: hand-checked prefixes, and every search it shortcuts reports
 * what java.util.regex's own search over every start reports.
 */
class RegexPrefixProperties {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String prefix(String expression, boolean caseless) {
        return BoundedRegex.compile(expression, caseless, false, false, false).prefixText();
    }

    @Example
    void prefixesOfRealRulesExpressions() {
        assertEquals("\\[Uu]0", prefix("\\x5Cu0[a-d](\\x5Cu0|0)[a-d]", true)); // ET 2012970
        assertNull(prefix("\\sDELETE\\s[^\\n]{100}", true)); // ET 2103007 starts with a class
        assertEquals("[Gg][Ee][Tt] /", prefix("GET /[a-z]+", true));
        assertEquals("GET /", prefix("GET /[a-z]+", false));
        assertEquals("foo.bar\\x0d\\x0a", prefix("foo\\.bar\\r\\n", false));
        assertEquals("a", prefix("ab?c", false)); // b is optional
        assertEquals("ab", prefix("abc{2}", false));
        assertEquals("a", prefix("a(b|c)", false)); // alternation inside a group is fine
        assertEquals("abc", prefix("(ab)c", false)); // through a group
        assertEquals("[Aa][Bb][Cc]", prefix("(?i)abc", false)); // an inline flag sets the case of what follows
        assertEquals("a[Bb]", prefix("a(?i)b", false));
    }

    @Example
    void noPrefixWhereTheShortcutCouldChangeAMatch() {
        assertNull(prefix("abc|def", false)); // a match may start with def
        assertNull(prefix("^abc", false));
        assertNull(prefix("abc$|^x", false));
        assertNull(prefix("abc\\b", false));
        assertNull(prefix("ab(?<=b)c", false));
        assertNull(prefix("\\Gabc", false));
        assertNull(prefix("\\Qa|b\\E", false)); // the automata's parser does not read \Q
        assertNull(prefix("a*b", false));
        assertNull(prefix("\\d+", false));
        assertEquals("ab", prefix("ab[^|]c", false)); // | in a class
        assertNull(BoundedRegex.compile("abc", false, false, false, true).prefixText()); // x: spaces are not literal
    }

    @Example
    void theHeapSprayRuleStillMatchesWhereItShould() {
        BoundedRegex re = BoundedRegex.compile("\\x5Cu0[a-d](\\x5Cu0|0)[a-d]", true, true, false, false);
        byte[] in = bytes("var s = '\\u0x \\U0b\\u0C'; \\u0a0b");
        long r = re.find(in, 0, in.length, false, 1_000_000);
        assertEquals(re.findEverywhere(in, 0, 0, in.length, false, 1_000_000), r);
        assertEquals("\\U0b\\u0C", new String(in, BoundedRegex.start(r), BoundedRegex.end(r) - BoundedRegex.start(r),
                StandardCharsets.ISO_8859_1));
    }

    private static final String[] HEADS = {"a", "b", "A", "ab", "\\x41", "\\.", "a ", "ba", "\\n"};
    private static final String[] TAILS = {"a", "b", ".", "[ab]", "[^a]", "(a|b)", "(ab|b)", "a?", "b*", "[ab]+",
        "a{1,2}", "$", "(?=a)", "(?!b)", "\\b", "B", "\\s", ".*", "(a)\\1", "|b", "|^a", "\\.", "(?i)b", "(?-i)A"};

    @Property(tries = 3000)
    void shortcutFindsWhatEveryStartFinds(@ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder pattern = new StringBuilder(HEADS[random.nextInt(HEADS.length)]);
        for (int n = random.nextInt(4); n > 0; n--) {
            pattern.append(TAILS[random.nextInt(TAILS.length)]);
        }
        boolean caseless = random.nextBoolean();
        boolean dotall = random.nextBoolean();
        boolean multiline = random.nextBoolean();
        BoundedRegex re = BoundedRegex.compile(pattern.toString(), caseless, dotall, multiline, false);
        String alphabet = "abAB. \n";
        byte[] in = new byte[random.nextInt(40)];
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        }
        int base = in.length == 0 ? 0 : random.nextInt(in.length + 1);
        int limit = in.length - base == 0 ? 0 : random.nextInt(in.length - base + 1);
        int from = random.nextInt(limit + 1);
        boolean anchorAtFrom = random.nextBoolean();
        long expected = re.findEverywhere(in, base, from, limit, anchorAtFrom, Long.MAX_VALUE);
        long actual = re.find(in, base, from, limit, anchorAtFrom, Long.MAX_VALUE);
        assertEquals(expected, actual, () -> "/" + pattern + "/ caseless=" + caseless + " over '"
                + new String(in, StandardCharsets.ISO_8859_1) + "' base " + base + " from " + from + " limit " + limit
                + " anchored " + anchorAtFrom);
    }
}
