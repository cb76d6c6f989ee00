package io.judo.rules.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import io.judo.rules.suricata.Classifications;
import io.judo.rules.suricata.RuleParser;
import io.judo.rules.suricata.UnsupportedKeyword;
import io.judo.rules.suricata.Variables;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked vectors for the byte keywords: each form of Suricata's documentation examples parsed into the IR (a few
 * asserts per keyword) and evaluated by {@link ReferenceChain} on a payload built by hand, with the expected outcome
 * worked out in a comment. The engine's {@code ByteKeywordVectorsVmTest} runs every vector again on the compiled VM
 * code (interpreter and JIT) by overriding {@link #evaluate}.
 */
public class ByteKeywordVectorsTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static List<Inspect> chain(String options) {
        return PARSER.parse("alert tcp any any -> any any (" + options + " sid:1;)", "vectors.rules", 1).chain();
    }

    private static RuleError error(String options) {
        return assertThrows(RuleError.class, () -> chain(options));
    }

    /** Bytes from hex pairs ("00 01 ff") and quoted text ("'Alice'"), concatenated. */
    private static byte[] bytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '\'') {
                int end = spec.indexOf('\'', i + 1);
                out.writeBytes(spec.substring(i + 1, end).getBytes(StandardCharsets.ISO_8859_1));
                i = end + 1;
            } else {
                out.write(Integer.parseInt(spec.substring(i, i + 2), 16));
                i += 2;
            }
        }
        return out.toByteArray();
    }

    private boolean matches(String options, String payload) {
        return evaluate(chain(options), bytes(payload));
    }

    /** Whether the chain matches the payload: here the reference evaluator's answer. */
    protected boolean evaluate(List<Inspect> chain, byte[] payload) {
        return ReferenceChain.matches(chain, payload);
    }

    // ---- byte_test ----

    @Test
    void byteTestEqualsDocumentedExample() {
        List<Inspect> c = chain("content:\"|00 01 00 02|\"; byte_test:2,=,0x01,0;");
        ByteTest t = assertInstanceOf(ByteTest.class, c.get(1));
        assertEquals(2, t.read().nbytes());
        assertEquals("=", t.operator());
        assertFalse(t.negated());
        assertEquals(Value.of(1), t.value());
        assertEquals(Value.of(0), t.read().offset());
        assertFalse(t.read().relative());
        assertFalse(t.read().littleEndian());
        assertTrue(t.read().binary());
        // bytes 0x00 0x01 big endian = 1, = 1 -> match
        assertTrue(matches("content:\"|00 01 00 02|\"; byte_test:2,=,0x01,0;", "00 01 00 02"));
        // bytes 0x00 0x02 = 2, not 1 -> no match
        assertFalse(matches("content:\"|00 01 00 02|\"; byte_test:2,=,0x01,0;", "00 02 00 01 00 02"));
    }

    @Test
    void byteTestRelativeDocumentedExample() {
        String rule = "content:\"|00 01 00 02|\"; byte_test:2,=,0x03,2,relative;";
        assertTrue(((ByteTest) chain(rule).get(1)).read().relative());
        // content ends at 4; 2 bytes at 4+2 = 6: 0x00 0x03 = 3 -> match
        assertTrue(matches(rule, "00 01 00 02 ff ff 00 03"));
        // 0x00 0x04 = 4 -> no match
        assertFalse(matches(rule, "00 01 00 02 ff ff 00 04"));
    }

    @Test
    void byteTestNegationInBothSpellings() {
        ByteTest bang = (ByteTest) chain("content:\"|00 01 00 02|\"; byte_test:2,!=,0x06,0;").get(1);
        assertEquals("=", bang.operator());
        assertTrue(bang.negated());
        ByteTest snort = (ByteTest) chain("byte_test:1,!,5,0;").get(0);
        assertEquals("=", snort.operator());
        assertTrue(snort.negated());
        ByteTest notLess = (ByteTest) chain("byte_test:1,!<,5,0;").get(0);
        assertEquals("<", notLess.operator());
        assertTrue(notLess.negated());
        // bytes 0..1 = 0x0001 = 1, != 6 -> match
        assertTrue(matches("content:\"|00 01 00 02|\"; byte_test:2,!=,0x06,0;", "00 01 00 02"));
        // bytes 0..1 = 0x0006 = 6: = 6, negated -> no match
        assertFalse(matches("content:\"|00 01 00 02|\"; byte_test:2,!=,0x06,0;", "00 06 00 01 00 02"));
        // byte 0 = 5, '!' alone means not equal -> no match; 4 -> match
        assertFalse(matches("byte_test:1,!,5,0;", "05"));
        assertTrue(matches("byte_test:1,!,5,0;", "04"));
        // 7 is not < 5, negated -> match
        assertTrue(matches("byte_test:1,!<,5,0;", "07"));
    }

    @Test
    void byteTestLargeValuesDocumentedExample() {
        String rule = "content:\"|00 01 00 02|\"; byte_test:2,>,1000,1,relative;";
        // content ends at 4, read at 5: 0x03 0xe9 = 1001 > 1000 -> match
        assertTrue(matches(rule, "00 01 00 02 aa 03 e9"));
        // 0x03 0xe8 = 1000, not > 1000 -> no match
        assertFalse(matches(rule, "00 01 00 02 aa 03 e8"));
    }

    @Test
    void byteTestLowestBitDocumentedExample() {
        String rule = "content:\"|00 01 00 02|\"; byte_test:2,&,0x01,12,relative;";
        assertEquals("&", ((ByteTest) chain(rule).get(1)).operator());
        // read at 4+12 = 16: 0x00 0x01 & 1 = 1 -> match
        assertTrue(matches(rule, "00 01 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00 01"));
        // 0x00 0x02 & 1 = 0 -> no match
        assertFalse(matches(rule, "00 01 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00 02"));
    }

    @Test
    void byteTestCompareToStringDocumentedExample() {
        String rule = "content:\"foobar\"; byte_test:4,=,1337,1,relative,string,dec;";
        ByteTest t = (ByteTest) chain(rule).get(1);
        assertEquals(10, t.read().base());
        assertFalse(t.read().binary());
        // "foobar" ends at 6; 4 bytes at 7: "1337" decimal = 1337 -> match
        assertTrue(matches(rule, "'foobar 1337'"));
        // "1338" -> no match
        assertFalse(matches(rule, "'foobar 1338'"));
    }

    @Test
    void byteTestStringHexAndOct() {
        ByteTest hex = (ByteTest) chain("byte_test:2,=,255,0,string,hex;").get(0);
        assertEquals(16, hex.read().base());
        // "ff" hex = 255 -> match, in either case
        assertTrue(matches("byte_test:2,=,255,0,string,hex;", "'ff'"));
        assertTrue(matches("byte_test:2,=,255,0,string,hex;", "'FF'"));
        // "010" octal = 8 -> match; "9" is no octal digit -> read fails, no match
        assertEquals(8, ((ByteTest) chain("byte_test:3,=,8,0,string,oct;").get(0)).read().base());
        assertTrue(matches("byte_test:3,=,8,0,string,oct;", "'010'"));
        assertFalse(matches("byte_test:1,=,9,0,string,oct;", "'9'"));
        // 'string' alone reads decimal: "42" -> 42
        assertEquals(10, ((ByteTest) chain("byte_test:2,=,42,0,string;").get(0)).read().base());
        assertTrue(matches("byte_test:2,=,42,0,string;", "'42'"));
        // digits stop at the first non-digit: "4x" -> 4
        assertTrue(matches("byte_test:2,=,4,0,string,dec;", "'4x'"));
    }

    @Test
    void byteTestNonDigitStringNeverMatches() {
        // "ab" has no decimal digit: the read fails, so neither = nor != matches
        assertFalse(matches("byte_test:2,=,0,0,string,dec;", "'ab'"));
        assertFalse(matches("byte_test:2,!=,0,0,string,dec;", "'ab'"));
    }

    @Test
    void byteTestLittleEndian() {
        ByteTest t = (ByteTest) chain("byte_test:2,=,16,0,little;").get(0);
        assertTrue(t.read().littleEndian());
        // bytes 0x10 0x00 little endian = 16 -> match; big endian it is 4096
        assertTrue(matches("byte_test:2,=,16,0,little;", "10 00"));
        assertFalse(matches("byte_test:2,=,16,0,big;", "10 00"));
        assertTrue(matches("byte_test:2,=,4096,0,big;", "10 00"));
        // 4 bytes 0x01 0x02 0x03 0x04 little endian = 0x04030201
        assertTrue(matches("byte_test:4,=,0x04030201,0,little;", "01 02 03 04"));
    }

    @Test
    void byteTestBitmaskShiftsByTrailingZeros() {
        ByteTest t = (ByteTest) chain("byte_test:2,=,3,0,bitmask 0x0f00;").get(0);
        assertEquals(0x0f00, t.read().bitmask());
        // 0x0345 & 0x0f00 = 0x0300, >> 8 trailing zeros = 3 -> match
        assertTrue(matches("byte_test:2,=,3,0,bitmask 0x0f00;", "03 45"));
        // 0x0445 -> 4 -> no match
        assertFalse(matches("byte_test:2,=,3,0,bitmask 0x0f00;", "04 45"));
    }

    @Test
    void byteTestRemainingOperators() {
        // byte 0 = 0x05
        assertTrue(matches("byte_test:1,<,6,0;", "05"));   // 5 < 6
        assertFalse(matches("byte_test:1,<,5,0;", "05"));  // 5 < 5 is false
        assertTrue(matches("byte_test:1,<=,5,0;", "05"));  // 5 <= 5
        assertTrue(matches("byte_test:1,>=,5,0;", "05"));  // 5 >= 5
        assertFalse(matches("byte_test:1,>=,6,0;", "05")); // 5 >= 6 is false
        // ^: 0xff ^ 0xff = 0 -> no match; 0xfe ^ 0xff = 1 -> match
        assertFalse(matches("byte_test:1,^,0xff,0;", "ff"));
        assertTrue(matches("byte_test:1,^,0xff,0;", "fe"));
        // 8 bytes, unsigned: 0xffffffffffffffff > 1
        assertTrue(matches("byte_test:8,>,1,0;", "ff ff ff ff ff ff ff ff"));
    }

    @Test
    void byteTestPastTheEndNeverMatches() {
        // 4 bytes from 0 on a 3-byte payload: no match, negated or not
        assertFalse(matches("byte_test:4,=,0,0;", "00 00 00"));
        assertFalse(matches("byte_test:4,!=,0,0;", "00 00 00"));
        // relative: "ab" ends at 2, 2 bytes at 2+1 = 3..4 past the 4-byte end
        assertFalse(matches("content:\"ab\"; byte_test:2,>,0,1,relative;", "'ab' 01 02"));
        // a negative relative offset reads before the match: "ab" ends at 2, 1 byte at 0 = 'a' (0x61)
        ByteTest t = (ByteTest) chain("content:\"ab\"; byte_test:1,=,0x61,-2,relative;").get(1);
        assertEquals(Value.of(-2), t.read().offset());
        assertTrue(matches("content:\"ab\"; byte_test:1,=,0x61,-2,relative;", "'ab'"));
    }

    @Test
    void byteTestMalformedValues() {
        assertTrue(error("byte_test:9,=,0,0;").getMessage().contains("from 1 to 8"));
        assertTrue(error("byte_test:11,=,0,0,string,dec;").getMessage().contains("from 1 to 10"));
        RuleError op = error("byte_test:1,~,0,0;");
        assertTrue(op.getMessage().contains("unknown operator"));
        assertEquals(43, op.column()); // "alert tcp any any -> any any (byte_test:1," is 42 characters
        assertTrue(error("byte_test:1,=,x,0;").getMessage().contains("no earlier byte_extract"));
        assertTrue(error("byte_test:1,=,0,0,hex;").getMessage().contains("needs 'string'"));
        assertTrue(error("byte_test:2,=,0,0,string,dec,little;").getMessage().contains("string"));
        assertTrue(error("byte_test:1,=,0,-1;").getMessage().contains("relative"));
        assertTrue(error("byte_test:1,=,0;").getMessage().contains("needs"));
        assertTrue(error("byte_test:1,=,0,0,bogus;").getMessage().contains("unknown option"));
        // the column is that of the part, also after a space following the ':'
        assertEquals(44, error("byte_test: 1,~,0,0;").column());
    }

    @Test
    void dceIsUnsupportedAndNamed() {
        UnsupportedKeyword u = assertThrows(UnsupportedKeyword.class, () -> chain("byte_test:2,=,0,0,dce;"));
        assertEquals("byte_test dce", u.keyword());
        UnsupportedKeyword m = assertThrows(UnsupportedKeyword.class,
                () -> chain("byte_math:bytes 2,offset 0,oper +,rvalue 1,result r,endian dce;"));
        assertEquals("byte_math dce", m.keyword());
        assertEquals("byte_jump dce", assertThrows(UnsupportedKeyword.class,
                () -> chain("byte_jump:2,0,dce;")).keyword());
    }

    // ---- byte_math ----

    @Test
    void byteMathDocumentedExample() {
        String rule = "content:\"|00 04 93 F3|\"; content:\"|00 00 00 07|\"; distance:4; within:4; "
                + "byte_math:bytes 4, offset 0, oper +, rvalue 248, result var, relative;";
        ByteMath m = (ByteMath) chain(rule).get(2);
        assertEquals(4, m.read().nbytes());
        assertEquals("+", m.operator());
        assertEquals(Value.of(248), m.rvalue());
        assertEquals("var", m.name());
        assertEquals(0, m.variable());
        assertTrue(m.read().relative());
        String payload = "00 04 93 f3 aa aa aa aa 00 00 00 07 00 00 00 08 00 00 01 00";
        // the read at 12..15 succeeds -> match
        assertTrue(matches(rule, payload));
        // var = 8 + 248 = 256 = 0x00000100, the 4 bytes at 16 -> match
        assertTrue(matches(rule + " byte_test:4,=,var,16;", payload));
        assertFalse(matches(rule + " byte_test:4,=,var,12;", payload)); // those hold 8
    }

    @Test
    void byteMathWithByteExtractDocumentedExample() {
        String rule = "byte_extract: 1, 0, extracted_val, relative; "
                + "byte_math: bytes 1, offset 1, oper +, rvalue extracted_val, result var; byte_test: 2, =, var, 13;";
        List<Inspect> c = chain(rule);
        ByteMath m = (ByteMath) c.get(1);
        assertEquals(Value.variable(0), m.rvalue());
        assertEquals(1, m.variable());
        assertEquals(Value.variable(1), ((ByteTest) c.get(2)).value());
        // extracted_val = byte 0 = 5; var = byte 1 (7) + 5 = 12; bytes 13..14 = 0x000c = 12 -> match
        String payload = "05 07 00 00 00 00 00 00 00 00 00 00 00 00 0c";
        assertTrue(matches(rule, payload));
        // byte 0 = 6: var = 13 -> no match
        assertFalse(matches(rule, "06 07 00 00 00 00 00 00 00 00 00 00 00 00 0c"));
    }

    @Test
    void byteMathEachOperator() {
        // byte 0 = 12 (0x0c); result compared by byte_test against byte 1
        assertTrue(matches("byte_math:bytes 1,offset 0,oper -,rvalue 2,result r; byte_test:1,=,r,1;", "0c 0a"));
        assertTrue(matches("byte_math:bytes 1,offset 0,oper *,rvalue 3,result r; byte_test:1,=,r,1;", "0c 24"));
        assertTrue(matches("byte_math:bytes 1,offset 0,oper /,rvalue 5,result r; byte_test:1,=,r,1;", "0c 02"));
        assertTrue(matches("byte_math:bytes 1,offset 0,oper <<,rvalue 2,result r; byte_test:1,=,r,1;", "0c 30"));
        assertTrue(matches("byte_math:bytes 1,offset 0,oper >>,rvalue 2,result r; byte_test:1,=,r,1;", "0c 03"));
        assertEquals("<<", ((ByteMath) chain("byte_math:bytes 1,offset 0,oper <<,rvalue 2,result r;").get(0))
                .operator());
        // 12 / 0 never matches (documented); here the divisor comes from a variable that extracted 0
        assertFalse(matches("byte_extract:1,1,z; byte_math:bytes 1,offset 0,oper /,rvalue z,result r;", "0c 00"));
        assertFalse(matches("byte_math:bytes 1,offset 0,oper /,rvalue 0,result r;", "0c"));
    }

    @Test
    void byteMathNamedOptions() {
        ByteMath m = (ByteMath) chain("byte_math:bytes 2,offset 1,oper *,rvalue 3,result r,string dec;").get(0);
        assertEquals(10, m.read().base());
        assertEquals(Value.of(1), m.read().offset());
        // "12" at 1 = 12, * 3 = 36 = 0x24 at byte 3
        assertTrue(matches("byte_math:bytes 2,offset 1,oper *,rvalue 3,result r,string dec; byte_test:1,=,r,3;",
                "'x12' 24"));
        // little endian 0x01 0x00 = 1, + 1 = 2
        assertTrue(((ByteMath) chain("byte_math:bytes 2,offset 0,oper +,rvalue 1,result r,endian little;").get(0))
                .read().littleEndian());
        assertTrue(matches("byte_math:bytes 2,offset 0,oper +,rvalue 1,result r,endian little; "
                + "byte_test:1,=,r,2;", "01 00 02"));
        // bitmask 0xf0 on 0xab = 0xa0 >> 4 = 10, + 0 = 10
        assertTrue(matches("byte_math:bytes 1,offset 0,oper +,rvalue 0,result r,bitmask 0xf0; byte_test:1,=,r,1;",
                "ab 0a"));
        // relative: "ab" ends at 2, byte at 2+0 = 3, + 1 = 4
        assertTrue(matches("content:\"ab\"; byte_math:bytes 1,offset 0,oper +,rvalue 1,result r,relative; "
                + "byte_test:1,=,r,3;", "'ab' 03 04"));
        assertTrue(error("byte_math:bytes 5,offset 0,oper +,rvalue 1,result r;").getMessage()
                .contains("from 1 to 4"));
        assertTrue(error("byte_math:bytes 1,offset 0,oper %,rvalue 1,result r;").getMessage()
                .contains("unknown operator"));
        assertTrue(error("byte_math:bytes 1,offset 0,oper +,rvalue 1;").getMessage().contains("result"));
    }

    // ---- byte_jump ----

    @Test
    void byteJumpDocumentedExample() {
        String rule = "content:\"Alice\"; byte_jump:2,0; content:\"Bob\";";
        ByteJump j = (ByteJump) chain(rule).get(1);
        assertEquals(2, j.read().nbytes());
        assertEquals(1, j.multiplier());
        assertFalse(j.align() || j.fromBeginning() || j.fromEnd());
        assertEquals(0, j.postOffset());
        // bytes 0..1 = 5: the cursor moves to 2 + 5 = 7, where "Bob" starts
        assertTrue(matches(rule, "00 05 'AliceBob'"));
        assertTrue(matches("content:\"Alice\"; byte_jump:2,0; content:\"Bob\"; distance:0; within:3;",
                "00 05 'AliceBob'"));
        // 4: the cursor is 6, "Bob" does not start within 3 of it
        assertFalse(matches("content:\"Alice\"; byte_jump:2,0; content:\"Bob\"; distance:0; within:3;",
                "00 04 'AliceBob'"));
    }

    @Test
    void byteJumpMultipleJumpsDocumentedExample() {
        String rule = "byte_jump:2,0; byte_jump:2,0,relative; content:\"foobar\"; distance:0; within:6;";
        // first: bytes 0..1 = 2, cursor 2 + 2 = 4; second: bytes 4..5 = 1, cursor 6 + 1 = 7; "foobar" at 7
        assertTrue(matches(rule, "00 02 58 58 00 01 59 'foobar'"));
        assertFalse(matches(rule, "00 02 58 58 00 02 59 'foobar'"));
    }

    @Test
    void byteJumpFromEndDocumentedExample() {
        // (the documentation's example lacks the ';' between distance:0 and within:4)
        String rule = "byte_jump:0,0, from_end, post_offset -8; content:\"|6c 33 33 74|\"; distance:0; within:4;";
        ByteJump j = (ByteJump) chain(rule).get(0);
        assertEquals(0, j.read().nbytes());
        assertTrue(j.fromEnd());
        assertEquals(-8, j.postOffset());
        // 12 bytes: cursor 12 - 8 = 4, "l33t" at 4 -> match
        assertTrue(matches(rule, "'xxxxl33tyyyy'"));
        assertFalse(matches(rule, "'xxxl33tyyyyy'"));
    }

    @Test
    void byteJumpMultiplierAlignFromBeginningPostOffset() {
        ByteJump m = (ByteJump) chain("byte_jump:1,0,multiplier 2;").get(0);
        assertEquals(2, m.multiplier());
        // 3 * 2 = 6, cursor 1 + 6 = 7: 'Z' at 7
        assertTrue(matches("byte_jump:1,0,multiplier 2; content:\"Z\"; distance:0; within:1;", "03 'abcdefZ'"));
        // align: 5 rounds up to 8, cursor 1 + 8 = 9
        assertTrue(((ByteJump) chain("byte_jump:1,0,align;").get(0)).align());
        assertTrue(matches("byte_jump:1,0,align; content:\"Z\"; distance:0; within:1;", "05 'abcdefghZ'"));
        // from_beginning: byte 1 = 4, cursor 0 + 4 = 4
        assertTrue(((ByteJump) chain("byte_jump:1,1,from_beginning;").get(0)).fromBeginning());
        assertTrue(matches("byte_jump:1,1,from_beginning; content:\"Z\"; distance:0; within:1;", "61 04 62 63 'Z'"));
        // post_offset 2: 1 + 1 + 2 = 4
        assertEquals(2, ((ByteJump) chain("byte_jump:1,0,post_offset 2;").get(0)).postOffset());
        assertTrue(matches("byte_jump:1,0,post_offset 2; content:\"Z\"; distance:0; within:1;", "01 61 62 63 'Z'"));
        // bitmask 0x00f0 on 0x0030 = 3: cursor 2 + 3 = 5
        assertTrue(matches("byte_jump:2,0,bitmask 0x00f0; content:\"Z\"; distance:0; within:1;", "00 30 61 62 63 'Z'"));
        // string: "04" decimal = 4, cursor 2 + 4 = 6
        assertTrue(matches("byte_jump:2,0,string,dec; content:\"Z\"; distance:0; within:1;", "'04abcdZ'"));
        // little endian 0x02 0x00 = 2, cursor 2 + 2 = 4
        assertTrue(matches("byte_jump:2,0,little; content:\"Z\"; distance:0; within:1;", "02 00 61 62 'Z'"));
        assertTrue(error("byte_jump:1,0,from_beginning,from_end;").getMessage().contains("exclude"));
        assertTrue(error("byte_jump:1,0,align 4;").getMessage().contains("no value"));
    }

    @Test
    void byteJumpOutsideTheBufferFails() {
        // 0x10 = 16: cursor 1 + 16 = 17 beyond 4 bytes -> no match
        assertFalse(matches("byte_jump:1,0;", "10 00 00 00"));
        // exactly to the end is fine: 1 + 3 = 4
        assertTrue(matches("byte_jump:1,0;", "03 00 00 00"));
        // post_offset -5 before the start -> no match
        assertFalse(matches("byte_jump:1,0,post_offset -5;", "01 00 00 00"));
    }

    // ---- byte_extract ----

    @Test
    void byteExtractFeedsDistanceDocumentedExample() {
        String rule = "content:\"Alice\"; byte_extract:2,0,size; content:\"Bob\"; distance:size; within:3;";
        List<Inspect> c = chain(rule);
        ByteExtract e = (ByteExtract) c.get(1);
        assertEquals("size", e.name());
        assertEquals(0, e.variable());
        assertEquals(1, e.multiplier());
        assertEquals(0, e.align());
        Content bob = (Content) c.get(2);
        assertEquals(new ContentVariables(-1, -1, 0, -1), bob.variables());
        assertEquals(3, bob.within());
        assertTrue(bob.relative());
        assertNull(((Content) c.get(0)).variables());
        // size = 5; byte_extract leaves the cursor at 2 (after the bytes read): "Bob" within [7, 10)
        assertTrue(matches(rule, "00 05 'AliceBob'"));
        // size = 4: window [6, 9) holds "eBo" -> no match
        assertFalse(matches(rule, "00 04 'AliceBob'"));
    }

    @Test
    void byteExtractFeedsWithinDocumentedExample() {
        String rule = "content:\"|00 FF|\"; byte_extract:1,0,len,relative; content:\"|5c 00|\"; distance:2; within:len;";
        Content c = (Content) chain(rule).get(2);
        assertEquals(new ContentVariables(-1, -1, -1, 0), c.variables());
        assertEquals(2, c.distance());
        // len = 5 (byte 2), cursor 3; window [3 + 2, 5 + 5) = [5, 10) holds 5c 00 at 5 -> match
        assertTrue(matches(rule, "00 ff 05 aa bb 5c 00"));
        // len = 1: within 1 cannot hold 2 bytes -> no match
        assertFalse(matches(rule, "00 ff 01 aa bb 5c 00"));
    }

    @Test
    void byteExtractComparedByByteTestDocumentedExample() {
        String rule = "content:\"|00 FF|\"; byte_extract:2,0,cmp_ver,relative; content:\"FooBar\"; distance:0; "
                + "byte_test:2,=,cmp_ver,0;";
        assertEquals(Value.variable(0), ((ByteTest) chain(rule).get(3)).value());
        // cmp_ver = bytes 4..5 = 7; bytes 0..1 = 7 -> match
        assertTrue(matches(rule, "00 07 00 ff 00 07 'FooBar'"));
        // bytes 0..1 = 8 -> no match
        assertFalse(matches(rule, "00 08 00 ff 00 07 'FooBar'"));
    }

    @Test
    void byteExtractMultiplierAlignStringAndUses() {
        ByteExtract e = (ByteExtract) chain("byte_extract:1,0,n,multiplier 3,align 4;").get(0);
        assertEquals(3, e.multiplier());
        assertEquals(4, e.align());
        // 3 * 3 = 9, aligned to 4 = 12: isdataat:12 needs 13 bytes
        String rule = "byte_extract:1,0,n,multiplier 3,align 4; isdataat:n;";
        assertEquals(Value.variable(0), ((DataAt) chain(rule).get(1)).at());
        assertTrue(matches(rule, "03 00 00 00 00 00 00 00 00 00 00 00 00"));
        assertFalse(matches(rule, "03 00 00 00 00 00 00 00 00 00 00 00"));
        // string: "3" -> a 3-byte relative read offset: cursor 1, byte_test at 1 + 3 = 4
        assertTrue(matches("byte_extract:1,0,off,string,dec; byte_test:1,=,0x5a,off,relative;", "'3abcZ'"));
        // byte_jump offset from a variable: off = 2, read byte 2 (= 1), cursor 3 + 1 = 4
        assertTrue(matches("byte_extract:1,0,off; byte_jump:1,off; content:\"Z\"; distance:0; within:1;",
                "02 61 01 62 'Z'"));
        // content offset and depth from variables: o = 3, d = 2: "Z" in [3, 5)
        Content c = (Content) chain("byte_extract:1,0,o; byte_extract:1,1,d; content:\"Z\"; offset:o; depth:d;")
                .get(2);
        assertEquals(new ContentVariables(0, 1, -1, -1), c.variables());
        assertTrue(matches("byte_extract:1,0,o; byte_extract:1,1,d; content:\"Z\"; offset:o; depth:d;",
                "03 02 61 61 'Z'"));
        assertFalse(matches("byte_extract:1,0,o; byte_extract:1,1,d; content:\"Z\"; offset:o; depth:d;",
                "03 01 61 61 'Z'"));
        // a past-the-end read fails
        assertFalse(matches("byte_extract:4,0,n;", "00 00"));
        assertTrue(error("byte_extract:1,0,n; byte_extract:1,1,n;").getMessage().contains("already defined"));
        assertTrue(error("byte_extract:1,0,n,align 3;").getMessage().contains("2 or 4"));
        assertTrue(error("byte_extract:1,0,9n;").getMessage().contains("variable name"));
    }

    // ---- bsize ----

    @Test
    void bsizeEachDocumentedForm() {
        assertEquals(new UintTest(UintTest.Op.EQ, 10, 0), ((Bsize) chain("content:\"google.com\"; bsize:10;").get(1))
                .test());
        assertEquals(UintTest.Op.EQ, ((Bsize) chain("bsize:=10;").get(0)).test().op());
        assertEquals(UintTest.Op.RANGE, ((Bsize) chain("bsize:8<>20;").get(0)).test().op());
        assertEquals(UintTest.Op.NE, ((Bsize) chain("bsize:!=10;").get(0)).test().op());
        String p = "'google.com'"; // 10 bytes
        assertTrue(matches("content:\"google.com\"; bsize:10;", p));
        assertTrue(matches("content:\"google.com\"; bsize:=10;", p));
        assertFalse(matches("content:\"google.com\"; bsize:11;", p));
        assertTrue(matches("content:\"google.com\"; bsize:<25;", p));
        assertFalse(matches("content:\"google.com\"; bsize:<10;", p));
        assertTrue(matches("content:\"google.com\"; bsize:<=20;", p));
        assertTrue(matches("content:\"google.com\"; bsize:<=10;", p));
        assertTrue(matches("content:\"google.com\"; bsize:>8;", p));
        assertFalse(matches("content:\"google.com\"; bsize:>10;", p));
        assertTrue(matches("content:\"google.com\"; bsize:>=8;", p));
        assertTrue(matches("content:\"google.com\"; bsize:>=10;", p));
        assertTrue(matches("content:\"google.com\"; bsize:8<>20;", p));
        assertFalse(matches("content:\"google.com\"; bsize:10<>20;", p)); // exclusive
        assertFalse(matches("content:\"google.com\"; bsize:!10;", p));
        assertTrue(matches("content:\"short\"; bsize:<10;", "'short'"));
        assertTrue(matches("content:\"longer string\"; bsize:>10;", "'longer string'"));
        assertTrue(matches("content:\"middle\"; bsize:6<>15;", "'middle.'"));
        assertFalse(matches("content:\"middle\"; bsize:6<>15;", "'middle'")); // 6 is not > 6
        // the integer keywords' hex form: 0x0a = 10
        assertTrue(matches("content:\"google.com\"; bsize:=0x0a;", p));
        assertTrue(matches("content:\"google.com\"; bsize:!=0x14;", p));
        assertTrue(error("bsize:abc;").getMessage().contains("bsize"));
        assertEquals("bsize form", assertThrows(UnsupportedKeyword.class, () -> chain("bsize:&0xc0=0x80;"))
                .keyword());
    }

    @Test
    void isdataatConstantStillParses() {
        DataAt d = (DataAt) chain("isdataat:!5,relative;").get(0);
        assertEquals(Value.of(5), d.at());
        assertTrue(d.negated());
        assertTrue(d.relative());
        assertTrue(error("isdataat:len;").getMessage().contains("no earlier byte_extract"));
    }
}
