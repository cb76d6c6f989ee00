package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import io.judo.rules.ir.Base64Decode;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Inspection;
import io.judo.rules.ir.Pcre;
import io.judo.vm.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code base64_decode} and {@code base64_data} as Suricata reads them: every option form, where the decode goes,
 * the decoded list as a sticky buffer, and the forms refused (errors naming the keyword) or skipped by name.
 */
class Base64RuleParserTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static SuricataRule parse(String options) {
        return PARSER.parse("alert tcp any any -> any any (" + options + " sid:1;)", "t.rules", 1);
    }

    /** The decode at the end of the packet chain, as {@code bytes,offset,relative:data contents}. */
    private static String decode(String options) {
        List<Inspect> chain = parse(options).chain();
        Base64Decode d = assertInstanceOf(Base64Decode.class, chain.get(chain.size() - 1));
        StringBuilder sb = new StringBuilder(d.bytes() + "," + d.offset() + "," + d.relative() + ":");
        for (Inspect i : d.data()) {
            sb.append(i instanceof Content c ? new String(c.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)
                    : i.getClass().getSimpleName()).append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void everyOptionForm() {
        String data = " base64_data; content:\"x\";";
        assertEquals("65535,0,false:x", decode("base64_decode;" + data),
                "no value: everything, up to Suricata's 65535 bytes");
        assertEquals("30,0,true:x", decode("content:\"a\"; base64_decode:bytes 30, offset 0, relative;" + data));
        assertEquals("65535,0,true:x", decode("base64_decode:offset 0,relative;" + data));
        assertEquals("65535,7,false:x", decode("base64_decode: offset 7;" + data));
        assertEquals("65535,0,true:x", decode("base64_decode:relative;" + data));
        assertEquals("1,2,false:x", decode("base64_decode:bytes 1 offset 2;" + data),
                "commas are optional, as in Suricata's regex");
        assertEquals("65535,0,false:x", decode("base64_decode:bytes 0;" + data),
                "bytes 0 is the default, as Suricata treats it");
        assertEquals("65535,4294967295,false:x", decode("base64_decode:offset 4294967295;" + data));
    }

    @Test
    void base64DataIsAStickyBufferOverTheDecodedBytes() {
        List<Inspect> chain = parse("content:\"<b64>\"; base64_decode:relative; base64_data; content:\"|78 9f|\"; "
                + "startswith; content:\"IPM\"; distance:0; nocase; pcre:\"/Task/R\";").chain();
        assertEquals(2, chain.size(), "the content, then the decode");
        Base64Decode d = (Base64Decode) chain.get(1);
        assertEquals(3, d.data().size());
        Content first = (Content) d.data().get(0);
        assertTrue(first.startsWith());
        Content second = (Content) d.data().get(1);
        assertTrue(second.nocase() && second.distance() == 0, "modifiers apply to the decoded data's contents");
        assertTrue(((Pcre) d.data().get(2)).relative());
    }

    @Test
    void theDecodeGoesToTheStickyBufferInForce() {
        SuricataRule r = PARSER.parse("alert http any any -> any any (flow:to_server; http.method; content:\"POST\"; "
                + "http.request_body; content:\"<m:Data>\"; base64_decode:bytes 300, offset 0, relative; "
                + "base64_data; content:\"<!DOCTYPE\"; content:\"SYSTEM\"; distance:0; sid:2;)", "t.rules", 1);
        Inspection body = r.inspections().stream().filter(i -> i.buffer() == Buffer.HTTP_REQUEST_BODY).findFirst()
                .orElseThrow();
        assertEquals(2, body.items().size());
        Base64Decode d = (Base64Decode) body.items().get(1);
        assertEquals(300, d.bytes());
        assertEquals(2, d.data().size());
        assertTrue(r.chain().isEmpty(), "nothing on the packet data");
    }

    @Test
    void withoutAStickyBufferTheDecodeFollowsTheLastContent() {
        SuricataRule r = PARSER.parse("alert http any any -> any any (flow:to_server; content:\"q=\"; http_uri; "
                + "base64_decode:relative; base64_data; content:\"cmd\"; sid:3;)", "t.rules", 1);
        Inspection uri = r.inspections().get(0);
        assertEquals(Buffer.HTTP_URI, uri.buffer());
        assertInstanceOf(Base64Decode.class, uri.items().get(1));
    }

    @Test
    void badOptionsAreErrorsNamingTheKeyword() {
        for (String bad : new String[] {"", " ", "bytes", "bytes x", "bytes -1", "bytes 65536", "byts 1",
                "offset", "offset 4294967296", "relatve", "bytes 1, offst 2", "offset 2, bytes 1",
                "relative, offset 1", "bytes 1, bytes 2", "relative relative", "bytes 1, offset 2, relative, x"}) {
            RuleError e = assertThrows(RuleError.class,
                    () -> parse("base64_decode:" + bad + "; base64_data; content:\"x\";"), bad);
            assertTrue(e.getMessage().contains("base64_decode"), e.getMessage());
        }
    }

    @Test
    void base64DataNeedsADecodeAndTakesNoValueNorTransforms() {
        for (String bad : new String[] {"base64_data; content:\"x\";",
                "base64_decode; base64_data:1; content:\"x\";",
                "base64_decode; base64_data; to_lowercase; content:\"x\";",
                "base64_decode; base64_data; content:\"x\"; http_uri;",
                "base64_decode; base64_data; content:\"x\"; replace:\"y\";",
                "base64_decode; base64_data; pcre:\"/x/U\";"}) {
            RuleError e = assertThrows(RuleError.class, () -> parse(bad), bad);
            assertTrue(e.getMessage().contains("base64"), e.getMessage());
        }
    }

    @Test
    void formsSuricataNeverMatchesOrSharesAreSkippedByName() {
        assertEquals("base64_decode without base64_data",
                assertThrows(UnsupportedKeyword.class, () -> parse("content:\"a\"; base64_decode;")).keyword());
        assertEquals("base64_decode without base64_data",
                assertThrows(UnsupportedKeyword.class, () -> parse("base64_decode; base64_data;")).keyword());
        assertEquals("base64_decode twice", assertThrows(UnsupportedKeyword.class,
                () -> parse("base64_decode; base64_data; content:\"x\"; base64_decode;")).keyword());
        assertEquals("keyword after base64_decode in its buffer", assertThrows(UnsupportedKeyword.class,
                () -> parse("base64_decode; content:\"a\"; base64_data; content:\"x\";")).keyword());
        assertEquals("keyword after base64_decode in its buffer", assertThrows(UnsupportedKeyword.class,
                () -> parse("base64_decode; base64_data; content:\"x\"; pkt_data; content:\"y\";")).keyword());
    }
}
