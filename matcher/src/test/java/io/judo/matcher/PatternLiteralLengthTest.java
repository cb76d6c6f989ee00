package io.judo.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** {@link Pattern#literalLength()}: the byte length of what {@link Pattern#literal} writes, -1 for any other regex. */
class PatternLiteralLengthTest {
    @Property
    void aLiteralsLengthIsItsByteCount(@ForAll byte[] bytes) {
        assertEquals(bytes.length, Pattern.literal(0, bytes, Set.of()).literalLength());
    }

    @Test
    void handWrittenExpressions() {
        assertEquals(9, Pattern.literal(0, "GET /a b_".getBytes(StandardCharsets.US_ASCII), Set.of()).literalLength());
        assertEquals(2, new Pattern(0, "\\x0d\\x0A", Set.of()).literalLength());
        assertEquals(-1, new Pattern(0, "a.b", Set.of()).literalLength());
        assertEquals(-1, new Pattern(0, "ab+", Set.of()).literalLength());
        assertEquals(-1, new Pattern(0, "\\x0", Set.of()).literalLength(), "a cut escape");
        assertEquals(-1, new Pattern(0, "\\d", Set.of()).literalLength());
    }
}
