package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Each transform against vectors checked by hand (digests: the published test vectors of RFC 1321 and FIPS 180). */
class TransformTest {
    private static byte[] run(Transform t, String input) {
        return run(t, input.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Applies {@code t} to the input placed inside a larger array, so offsets are exercised too. */
    private static byte[] run(Transform t, byte[] input) {
        byte[] in = new byte[input.length + 6];
        System.arraycopy(input, 0, in, 3, input.length);
        byte[] out = new byte[t.maxOutput(input.length)];
        int n = t.apply(in, 3, input.length, out);
        assertTrue(n <= t.maxOutput(input.length), t + " wrote more than its bound");
        return java.util.Arrays.copyOf(out, n);
    }

    private static String text(Transform t, String input) {
        return new String(run(t, input), StandardCharsets.ISO_8859_1);
    }

    private static String hex(Transform t, String input) {
        return HexFormat.of().formatHex(run(t, input));
    }

    @Test
    void dotprefixPrependsADot() {
        assertEquals(".example.com", text(Transform.DOTPREFIX, "example.com"));
        assertEquals(".", text(Transform.DOTPREFIX, ""));
    }

    @Test
    void whitespaceIsStrippedOrCompressedToTheFirstByteOfEachRun() {
        assertEquals("abc", text(Transform.STRIP_WHITESPACE, " a\tb \r\n\u000b\fc "));
        assertEquals(" A B C D ", text(Transform.COMPRESS_WHITESPACE, " A B C D "));
        assertEquals("a\tb c\r", text(Transform.COMPRESS_WHITESPACE, "a\t \tb c\r\n"));
    }

    @Test
    void caseChangesAreAsciiOnly() {
        assertEquals("get /index.html \u00c9", text(Transform.TO_LOWERCASE, "GET /Index.HTML \u00c9"));
        assertEquals("GET /INDEX.HTML \u00e9", text(Transform.TO_UPPERCASE, "get /index.html \u00e9"));
    }

    @Test
    void digestsAreTheRawDigestBytes() {
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", hex(Transform.TO_MD5, ""));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", hex(Transform.TO_MD5, "abc"));
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", hex(Transform.TO_SHA1, "abc"));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                hex(Transform.TO_SHA256, "abc"));
        // the same instance again: the per-thread digest was reset by the previous digest
        assertEquals("900150983cd24fb0d6963f7d28e17f72", hex(Transform.TO_MD5, "abc"));
    }

    @Test
    void urlDecodeDecodesPercentEscapesAndPlus() {
        assertEquals("A/ ", text(Transform.URL_DECODE, "%41%2f+"));
        // Suricata's own vector: bad and cut escapes stay
        assertEquals("Suricata is 'awesome!'%00%ZZ%4",
                text(Transform.URL_DECODE, "Suricata%20is+%27%61wesome%21%27%25%30%30%ZZ%4"));
        assertEquals("%", text(Transform.URL_DECODE, "%"));
    }

    @Test
    void headerLowercaseChangesNamesOnly() {
        assertEquals("host: Example.COM\r\nx-a: B:C\r\n",
                text(Transform.HEADER_LOWERCASE, "Host: Example.COM\r\nX-A: B:C\r\n"));
    }

    @Test
    void stripPseudoHeadersDropsTheLinesStartingWithAColon() {
        assertEquals("user-agent: x\r\nhost: h\r\n",
                text(Transform.STRIP_PSEUDO_HEADERS, ":method: GET\r\nuser-agent: x\r\n:path: /\r\nhost: h\r\n"));
        assertEquals("a: b", text(Transform.STRIP_PSEUDO_HEADERS, ":x: y\na: b"));
    }

    @Test
    void keywordsNameTheTransforms() {
        for (Transform t : Transform.values()) {
            assertSame(t, Transform.named(t.keyword()));
        }
        assertNull(Transform.named("xor"));
    }
}
