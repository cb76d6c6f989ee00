package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link Base64}: RFC 4648 vectors, Suricata's stop and padding rules by hand, and java.util.Base64 as the oracle
 * on well-formed input followed by a stop byte.
 */
class Base64Test {
    private static String decode(String in) {
        byte[] b = in.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[Base64.maxOutput(b.length)];
        int n = Base64.decode(b, 0, b.length, out);
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void rfc4648Vectors() {
        assertEquals("", decode(""));
        assertEquals("f", decode("Zg=="));
        assertEquals("fo", decode("Zm8="));
        assertEquals("foo", decode("Zm9v"));
        assertEquals("foob", decode("Zm9vYg=="));
        assertEquals("fooba", decode("Zm9vYmE="));
        assertEquals("foobar", decode("Zm9vYmFy"));
    }

    @Test
    void stopsAtTheFirstByteOutsideTheAlphabet() {
        assertEquals("f", decode("Zm 9v Ym Fy"), "a space ends it: Zm completes to Zm== (Suricata's own vector)");
        assertEquals("f", decode("Zm$9vYm.Fy"));
        assertEquals("foo", decode("Zm9v\r\nYmFy"));
        assertEquals("foo", decode("Zm9v-_"), "the URL-safe alphabet is not base64 here");
        assertEquals("", decode("<Zm9v"), "a stop byte first: nothing");
    }

    @Test
    void paddingCountsPerGroupAndDoesNotEndTheInput() {
        assertEquals("ffoo", decode("Zg==Zm9v"));
        assertEquals("f", decode("Zm=v"), "a third '=' makes one byte whatever follows it");
        assertEquals("", decode("=m9v"), "'=' first: the whole decode fails");
        assertEquals("", decode("Zm9vZ=Zm"), "'=' second in a later group: the earlier groups are lost too");
        assertEquals("", decode("===="));
    }

    @Test
    void aShortLastGroupIsCompletedWhenTheOutputHasRoom() {
        assertEquals("f", decode("Zg"), "two characters: one byte");
        assertEquals("fo", decode("Zm8"), "three: two bytes");
        assertEquals("foo", decode("Zm9vZ"), "one character at the end: no room, dropped");
        assertEquals("", decode("Zm9vZ!"), "one character before a stop byte: Z=== is invalid, nothing");
        assertEquals("foof", decode("Zm9vZg<"));
    }

    @Test
    void decodesASliceIntoTheStartOfTheOutput() {
        byte[] in = "xxSGVsbG8gV29ybGQ=yy".getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[Base64.maxOutput(16)];
        int n = Base64.decode(in, 2, 16, out);
        assertEquals("Hello World", new String(out, 0, n, StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 2000)
    void wellFormedInputIsWhatJavaDecodes(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] data = new byte[r.nextInt(60)];
        r.nextBytes(data);
        byte[] encoded = java.util.Base64.getEncoder().encode(data);
        byte[] in = Arrays.copyOf(encoded, encoded.length + 1 + r.nextInt(3));
        byte[] tail = {'\r', '\n', '<', ' ', '"', '-'};
        for (int i = encoded.length; i < in.length; i++) {
            in[i] = tail[r.nextInt(tail.length)];
        }
        byte[] out = new byte[Base64.maxOutput(in.length)];
        int n = Base64.decode(in, 0, in.length, out);
        assertArrayEquals(data, Arrays.copyOf(out, n), () -> "seed " + seed);
    }
}
