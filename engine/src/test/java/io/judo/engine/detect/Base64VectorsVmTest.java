package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.rules.suricata.Classifications;
import io.judo.rules.suricata.RuleParser;
import io.judo.rules.suricata.Variables;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked {@code base64_decode} / {@code base64_data} vectors on the chain compiler's code, in the interpreter
 * and the JIT ({@link ChainHarness} asserts they agree). The encoded payloads come from java.util.Base64, an
 * independent encoder; where the expected outcome depends on Suricata's decoder rules (the stop at a space, padding
 * inside the input) the vector says which rule.
 */
class Base64VectorsVmTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean matches(String options, String payload) {
        try {
            ChainHarness h = new ChainHarness(PARSER.parse("alert tcp any any -> any any (" + options + " sid:1;)",
                    "t.rules", 1).chain());
            return h.matches(payload.getBytes(StandardCharsets.ISO_8859_1));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void check(boolean expected, String options, String payload) {
        assertEquals(expected, matches(options, payload), () -> options + " on " + payload);
    }

    @Test
    void fromTheStartAnOffsetOrThePreviousMatch() {
        String hello = b64("Hello World"); // SGVsbG8gV29ybGQ=
        check(true, "base64_decode; base64_data; content:\"Hello World\";", hello);
        check(true, "base64_decode:offset 4; base64_data; content:\"foo\"; startswith;", "abcd" + b64("foobar"));
        check(false, "base64_decode:offset 3; base64_data; content:\"foo\"; startswith;", "abcd" + b64("foobar"));
        check(false, "base64_decode:offset 10; base64_data; content:\"f\";", "abcd" + b64("f"));
        check(true, "content:\"data=\"; base64_decode:relative; base64_data; content:\"World\";",
                "GET /?data=" + hello + "&x=1");
        check(true, "content:\"key:\"; base64_decode:offset 1, relative; base64_data; content:\"World\";",
                "key: " + hello);
        check(false, "content:\"key:\"; base64_decode:relative; base64_data; content:\"World\";", "key: " + hello);
        check(true, "base64_decode:relative; base64_data; content:\"foo\"; startswith;", b64("foo"),
                "relative with nothing matched before: from the buffer's start");
        check(false, "content:\"data=\"; base64_decode:relative; base64_data; content:\"x\";", "data=",
                "nothing left after the match: nothing decodes");
    }

    private static void check(boolean expected, String options, String payload, String why) {
        assertEquals(expected, matches(options, payload), () -> why + ": " + options + " on " + payload);
    }

    @Test
    void bytesLimitsTheInputRead() {
        String nine = b64("foobarbaz"); // Zm9vYmFyYmF6
        check(true, "base64_decode:bytes 8; base64_data; content:\"bar\"; endswith;", nine, "8 characters: foobar");
        check(false, "base64_decode:bytes 8; base64_data; content:\"baz\";", nine);
        check(true, "base64_decode:bytes 12; base64_data; content:\"baz\";", nine);
        check(true, "base64_decode:bytes 6; base64_data; content:\"foob\"; endswith;", nine,
                "6 characters: Zm9vYm, the cut group completed to Ym==");
    }

    @Test
    void invalidCharactersAndPadding() {
        check(true, "base64_decode; base64_data; content:\"foo\"; endswith;", "Zm9v YmFy", "stops at the space");
        check(false, "base64_decode; base64_data; content:\"bar\";", "Zm9v YmFy");
        check(true, "base64_decode; base64_data; content:\"ffoo\"; startswith; endswith;", "Zg==Zm9v",
                "padding ends its group only");
        check(false, "base64_decode; base64_data; content:\"f\";", "=m9vZm9v", "'=' first: nothing decodes");
        check(false, "base64_decode; base64_data; content:!\"x\";", "!!!!",
                "nothing decoded: base64_decode fails, even for a negated content");
    }

    @Test
    void modifiersCountInTheDecodedBytes() {
        String hello = "xx=" + b64("Hello World");
        String rule = "content:\"xx=\"; base64_decode:relative; base64_data; ";
        check(false, rule + "content:\"World\"; depth:10;", hello);
        check(true, rule + "content:\"World\"; depth:11;", hello);
        check(true, rule + "content:\"Hello\"; content:\"World\"; distance:1;", hello);
        check(false, rule + "content:\"Hello\"; content:\"World\"; distance:2;", hello);
        check(true, rule + "content:\"World\"; offset:6;", hello);
        check(false, rule + "content:\"xx=\";", hello, "the outer bytes are not in base64_data");
        check(true, rule + "pcre:\"/^Hel+o\\sW/\";", hello);
        check(false, rule + "pcre:\"/^World/\";", hello);
        check(true, rule + "content:\"Hello\"; pcre:\"/^\\sWorld/R\";", hello);
        check(true, rule + "isdataat:10; isdataat:!11;", hello);
        check(true, "base64_decode; base64_data; byte_test:2,=,16,0; content:\"abc\"; distance:2;",
                b64("\u0000\u0010abc"));
    }

    @Test
    void aFailingDecodedChainRetriesOnlyTheRetriableItemsBeforeIt() {
        String good = b64("secret");
        // the content right before the decode is not searched again (Suricata: no relative keyword follows it)
        check(false, "content:\"a=\"; base64_decode:relative; base64_data; content:\"secret\";", "a=!!! a=" + good);
        // an earlier content with a relative content after it is, and the decode runs again from the new match
        check(true, "content:\"x\"; content:\"a=\"; distance:0; within:2; base64_decode:relative; base64_data; "
                + "content:\"secret\";", "xa=!!! xa=" + good);
        // a decoded content that fails is searched again inside the decoded bytes
        check(true, "base64_decode; base64_data; content:\"e\"; content:\"t\"; distance:0; within:1;", good);
    }
}
