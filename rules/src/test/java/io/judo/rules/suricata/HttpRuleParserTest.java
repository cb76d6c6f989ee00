package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import io.judo.rules.ir.Bsize;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Inspection;
import io.judo.rules.ir.Pcre;
import io.judo.rules.ir.UintTest;
import io.judo.vm.Buffer;
import io.judo.vm.Transform;
import io.judo.vm.interp.Helpers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP keywords: which buffer each keyword form sends its content to; the rule's hook, direction and bodies. */
class HttpRuleParserTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static SuricataRule parse(String options) {
        return PARSER.parse("alert http any any -> any any (" + options + " sid:1;)", "t.rules", 1);
    }

    /** The inspections as "buffer[; transform...]=item,item", items as content text, pcre, or bsize. */
    private static String shape(SuricataRule r) {
        StringBuilder sb = new StringBuilder();
        for (Inspection i : r.inspections()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(i.describe()).append('=');
            for (int k = 0; k < i.items().size(); k++) {
                Inspect item = i.items().get(k);
                sb.append(k == 0 ? "" : ",").append(item instanceof Content c
                        ? new String(c.bytes(), StandardCharsets.ISO_8859_1) + (c.relative() ? "(rel)" : "")
                        : item instanceof Pcre p ? "/" + p.expression() + "/" : item instanceof Bsize ? "bsize"
                        : item.getClass().getSimpleName());
            }
        }
        return sb.toString();
    }

    @Test
    void everyStickyBufferKeywordNamesItsBuffer() {
        for (Buffer b : Buffer.values()) {
            if (b.sticky()) {
                assertEquals(b.text() + "=x", shape(parse(b.text() + "; content:\"x\";")), b.text());
            }
        }
        Map<String, Buffer> older = Map.of("file_data", Buffer.FILE_DATA, "http_accept", Buffer.HTTP_ACCEPT,
                "http_header_names", Buffer.HTTP_HEADER_NAMES, "http_request_line", Buffer.HTTP_REQUEST_LINE,
                "http_content_len", Buffer.HTTP_CONTENT_LEN, "http_start", Buffer.HTTP_START);
        older.forEach((k, b) -> assertEquals(b.text() + "=x", shape(parse(k + "; content:\"x\";")), k));
    }

    @Test
    void contentModifiersMoveTheirContent() {
        Map<String, Buffer> modifiers = Map.ofEntries(Map.entry("http_uri", Buffer.HTTP_URI),
                Map.entry("http_raw_uri", Buffer.HTTP_URI_RAW), Map.entry("http_header", Buffer.HTTP_HEADER),
                Map.entry("http_raw_header", Buffer.HTTP_HEADER_RAW), Map.entry("http_method", Buffer.HTTP_METHOD),
                Map.entry("http_cookie", Buffer.HTTP_COOKIE), Map.entry("http_raw_cookie", Buffer.HTTP_COOKIE),
                Map.entry("http_user_agent", Buffer.HTTP_USER_AGENT), Map.entry("http_host", Buffer.HTTP_HOST),
                Map.entry("http_raw_host", Buffer.HTTP_HOST_RAW), Map.entry("http_stat_code", Buffer.HTTP_STAT_CODE),
                Map.entry("http_stat_msg", Buffer.HTTP_STAT_MSG), Map.entry("http_client_body",
                        Buffer.HTTP_REQUEST_BODY), Map.entry("http_server_body", Buffer.FILE_DATA));
        modifiers.forEach((k, b) -> assertEquals(b.text() + "=x", shape(parse("content:\"x\"; " + k + ";")), k));
        // modifiers before and after the buffer modifier apply to the same content, relative within its buffer
        SuricataRule r = parse("content:\"GET\"; http_method; content:\"/a\"; http_uri; depth:2; content:\"b\"; "
                + "distance:0; http_uri; nocase; content:\"raw\";");
        // inspections come in the order their buffers were first used: GET was in the packet data at first
        assertEquals("pkt_data=raw http.method=GET http.uri=/a,b(rel)", shape(r));
        Content b = (Content) r.inspections().get(2).items().get(1);
        assertTrue(b.nocase());
        assertEquals(2, ((Content) r.inspections().get(2).items().get(0)).depth());
    }

    @Test
    void snortModifiersTakeAContentOutOfFileData() {
        assertEquals("file.data=a http.header=b",
                shape(parse("file_data; content:\"a\"; content:\"b\"; http_header;")));
    }

    @Test
    void pcreModifiersNameBuffers() {
        Map<Character, Buffer> flags = Map.ofEntries(Map.entry('U', Buffer.HTTP_URI), Map.entry('I',
                Buffer.HTTP_URI_RAW), Map.entry('P', Buffer.HTTP_REQUEST_BODY), Map.entry('Q', Buffer.FILE_DATA),
                Map.entry('H', Buffer.HTTP_HEADER), Map.entry('D', Buffer.HTTP_HEADER_RAW),
                Map.entry('M', Buffer.HTTP_METHOD), Map.entry('C', Buffer.HTTP_COOKIE),
                Map.entry('K', Buffer.HTTP_COOKIE), Map.entry('S', Buffer.HTTP_STAT_CODE),
                Map.entry('Y', Buffer.HTTP_STAT_MSG), Map.entry('V', Buffer.HTTP_USER_AGENT),
                Map.entry('W', Buffer.HTTP_HOST), Map.entry('Z', Buffer.HTTP_HOST_RAW));
        flags.forEach((f, b) -> assertEquals(b.text() + "=/x/", shape(parse("pcre:\"/x/i" + f + "\";")), "" + f));
        // the modifier may repeat the sticky buffer in force
        assertEquals("http.uri=a,/b/", shape(parse("http.uri; content:\"a\"; pcre:\"/b/UR\";")));
    }

    @Test
    void aRelativeKeywordWithoutABufferFollowsTheLastMatch() {
        assertEquals("http.uri=a,/b/,DataAt", shape(parse("content:\"a\"; http_uri; pcre:\"/b/R\"; "
                + "isdataat:1,relative;")));
        assertEquals("pkt_data=/b/ http.uri=a", shape(parse("content:\"a\"; http_uri; pcre:\"/b/\";")));
    }

    @Test
    void namingABufferAgainContinuesItsChainAndTransformsMakeAnotherOne() {
        assertEquals("http.uri=a,b(rel) http.host=h", shape(parse("http.uri; content:\"a\"; http.host; content:\"h\"; "
                + "http.uri; content:\"b\"; distance:0;")));
        SuricataRule r = parse("http.uri; content:\"a\"; http.uri; to_lowercase; url_decode; content:\"b\"; pkt_data; "
                + "content:\"c\";");
        assertEquals("http.uri=a http.uri; to_lowercase; url_decode=b pkt_data=c", shape(r));
        assertEquals(List.of(Transform.TO_LOWERCASE, Transform.URL_DECODE), r.inspections().get(1).transforms());
    }

    @Test
    void uricontentAndUrilen() {
        assertEquals("http.uri=/x", shape(parse("uricontent:\"/x\";")));
        SuricataRule norm = parse("urilen:>10;");
        assertEquals("http.uri=bsize", shape(norm));
        assertEquals(UintTest.Op.GT, ((Bsize) norm.inspections().get(0).items().get(0)).test().op());
        assertEquals("http.uri.raw=bsize", shape(parse("urilen:5<>9,raw;")));
        assertEquals("http.uri=bsize", shape(parse("urilen:5, norm;")));
        assertEquals("http.header=x,bsize", shape(parse("http.header; content:\"x\"; bsize:>3;")));
    }

    @Test
    void theHeaderProtocolAndAppLayerProtocol() {
        SuricataRule r = parse("flow:established,to_server; http.uri; content:\"/\";");
        assertTrue(r.http());
        assertEquals(SuricataRule.Proto.TCP, r.proto());
        assertTrue(r.transactionInspected());
        assertTrue(PARSER.parse("alert http1 any any -> any any (sid:1;)", "t", 1).http());
        assertTrue(parse("").transactionInspected(), "an http rule with no packet data runs per transaction");
        assertFalse(parse("content:\"x\";").transactionInspected(), "packet data only: the stream hook");
        assertEquals(List.of(new SuricataRule.AppProto(Helpers.APP_PROTO_HTTP, true),
                new SuricataRule.AppProto(Helpers.APP_PROTO_FAILED, false)),
                parse("app-layer-protocol:!http; app-layer-protocol:failed;").appProtos());
        assertEquals(List.of("INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST"),
                parse("app-layer-event:http.invalid_transfer_encoding_value_in_request;").appEvents());
        assertEquals("app-layer-event applayer_mismatch_protocol_both_directions", assertThrows(
                UnsupportedKeyword.class, () -> parse("app-layer-event:applayer_mismatch_protocol_both_directions;"))
                .keyword());
        assertThrows(RuleError.class, () -> parse("app-layer-event:http.Bad-Name;"));
        UnsupportedKeyword u = assertThrows(UnsupportedKeyword.class, () -> parse("app-layer-protocol:imap;"));
        assertEquals("app-layer-protocol imap", u.keyword());
        assertThrows(UnsupportedKeyword.class, () -> parse("http.uri; pcrexform:\"x(.*)\"; content:\"a\";"));
    }

    @Test
    void directionAndBodiesOfTheHttpHook() {
        assertEquals(new CompiledRuleSet.TxRule(0, false, false),
                RuleSetCompiler.txRule(parse("http.uri; content:\"a\";")));
        assertEquals(new CompiledRuleSet.TxRule(0, true, false),
                RuleSetCompiler.txRule(parse("http.uri; content:\"a\"; file.data; content:\"b\";")),
                "a request buffer makes file.data the request's body");
        assertEquals(new CompiledRuleSet.TxRule(1, false, true),
                RuleSetCompiler.txRule(parse("flow:to_client; http.uri; content:\"a\"; file.data; content:\"b\";")));
        assertEquals(new CompiledRuleSet.TxRule(-1, true, true), RuleSetCompiler.txRule(parse("file.data; "
                + "content:\"b\";")));
        assertEquals(new CompiledRuleSet.TxRule(0, true, false), RuleSetCompiler.txRule(parse("flow:to_server; "
                + "file_data; content:\"b\"; http.request_body; content:\"c\";")));
        assertEquals(new CompiledRuleSet.TxRule(1, false, false),
                RuleSetCompiler.txRule(parse("http.stat_code; content:\"200\";")));
    }

    @Test
    void theFastPatternIsChosenAsSuricataChoosesIt() {
        java.util.function.Function<String, String> fast = options -> {
            RuleSetCompiler.FastPattern f = RuleSetCompiler.httpFastPattern(parse(options), Map.of());
            return f == null ? null : Buffer.of(f.buffer()).text() + ":"
                    + new String(f.content().bytes(), StandardCharsets.ISO_8859_1);
        };
        assertEquals("http.uri:/a", fast.apply("http.method; content:\"POSTXX\"; http.uri; content:\"/a\";"),
                "an HTTP buffer before the method, whatever the length");
        assertEquals("http.uri:/abc", fast.apply("http.uri; content:\"/a\"; http.host; content:\"hh\"; "
                + "http.uri; content:\"/abc\";"), "the longest");
        assertEquals("http.host:ab", fast.apply("http.uri; content:\"aa\"; http.host; content:\"ab\";"),
                "the same length: the higher pattern strength");
        assertEquals("http.method:GET", fast.apply("http.method; content:\"GET\"; fast_pattern; http.uri; "
                + "content:\"/long/path\";"), "fast_pattern decides");
        assertEquals("stream:secret", fast.apply("content:\"secret\"; fast_pattern; http.uri; content:\"/a\";"),
                "a fast pattern in the packet data is looked for in the stream window");
        assertNull(fast.apply("http.uri; content:!\"/a\";"), "negated only: runs on every transaction");
        assertEquals(3 + 3 + 4 + 3 + 3 + 1 + 3, RuleSetCompiler.patternStrength("ET OPEN".getBytes(
                StandardCharsets.ISO_8859_1)), "letters 3, a space 4, a repeat 1");
        assertEquals(6 + 4 + 1, RuleSetCompiler.patternStrength(new byte[] {(byte) 0x90, 0, 0}), "other bytes 6");
    }

    @Test
    void mistakesSuricataRefusesAreErrors() {
        assertThrows(RuleError.class, () -> parse("content:\"a\"; to_lowercase;"));
        // Suricata refuses this one too, but ET Open ships such a rule (sid 2044076): skipped by name, not failed
        assertThrows(UnsupportedKeyword.class, () -> parse("http.uri; content:\"a\"; to_lowercase;"));
        assertThrows(RuleError.class, () -> parse("content:\"a\"; http.uri;"));
        assertThrows(RuleError.class, () -> parse("content:\"a\"; http_uri; http_header;"));
        assertThrows(RuleError.class, () -> parse("http.host; pcre:\"/x/U\";"));
        assertThrows(RuleError.class, () -> parse("http.uri; content:\"a\"; replace:\"b\";"));
        assertThrows(RuleError.class, () -> parse("pcre:\"/x/UH\";"));
        assertThrows(RuleError.class, () -> parse("http.uri: x; content:\"a\";"));
    }

    @Test
    void pcreSpellingsJavaRejectsAreRewritten() {
        assertEquals("(?<j0>\\d+)x\\k<j0>", PcreSpelling.normalize("(?P<num_value>\\d+)x(?P=num_value)"));
        assertEquals("\\x00[a-z]\\012", PcreSpelling.normalize("\\0[a-z]\\012"));
        assertEquals("[\\x22\\x02]", PcreSpelling.normalize("[\\x22\\x2]"));
        // a quote inside a pcre does not end the option (Suricata splits at the ';')
        assertEquals("/a\"b/", "/" + ((Pcre) parse("pcre:\"/a\"b/\";").inspections().get(0).items().get(0))
                .expression() + "/");
    }
}
