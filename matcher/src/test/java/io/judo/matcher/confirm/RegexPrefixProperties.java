package io.judo.matcher.confirm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Example
    void prefixesOfRealRulesExpressions() {
        assertArrayEquals(bytes("\\u0"), RegexPrefix.of("\\x5Cu0[a-d](\\x5Cu0|0)[a-d]", true)); // ET 2012970
        assertNull(RegexPrefix.of("\\sDELETE\\s[^\\n]{100}", true)); // ET 2103007 starts with a class
        assertArrayEquals(bytes("get /"), RegexPrefix.of("GET /[a-z]+", true));
        assertArrayEquals(bytes("GET /"), RegexPrefix.of("GET /[a-z]+", false));
        assertArrayEquals(bytes("foo.bar\r\n"), RegexPrefix.of("foo\\.bar\\r\\n", false));
        assertArrayEquals(bytes("a"), RegexPrefix.of("ab?c", false)); // b is optional
        assertArrayEquals(bytes("ab"), RegexPrefix.of("abc{2}", false));
        assertArrayEquals(bytes("a"), RegexPrefix.of("a(b|c)", false)); // alternation inside a group is fine
    }

    @Example
    void noPrefixWhereTheShortcutCouldChangeAMatch() {
        assertNull(RegexPrefix.of("abc|def", false)); // a match may start with def
        assertNull(RegexPrefix.of("^abc", false));
        assertNull(RegexPrefix.of("abc$|^x", false));
        assertNull(RegexPrefix.of("abc\\b", false));
        assertNull(RegexPrefix.of("ab(?<=b)c", false));
        assertNull(RegexPrefix.of("\\Gabc", false));
        assertNull(RegexPrefix.of("\\Qa|b\\E", false));
        assertNull(RegexPrefix.of("(?i)abc", false));
        assertNull(RegexPrefix.of("a*b", false));
        assertNull(RegexPrefix.of("\\d+", false));
        assertTrue(BoundedRegex.compile("ab[^|]c", false, false, false, false).hasPrefix()); // | in a class
        assertTrue(!BoundedRegex.compile("abc", false, false, false, true).hasPrefix()); // x: spaces are not literal
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
