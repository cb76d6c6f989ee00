package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.Buffer;
import io.judo.vm.interp.Helpers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTP-hook programs run over transaction buffers: every inspection must hold, each over its own buffer. */
class HttpHookTest {
    private static final Map<Buffer, String> GET = Map.of(Buffer.HTTP_METHOD, "GET", Buffer.HTTP_URI,
            "/Admin/login.php?x=1", Buffer.HTTP_HOST, "example.com", Buffer.HTTP_USER_AGENT, "curl/8.0",
            Buffer.HTTP_HEADER, "Host: example.com\r\nUser-Agent: curl/8.0\r\n");

    @Test
    void aStickyBufferChainRunsOverThatBuffer() {
        HttpHookRunner run = new HttpHookRunner("""
                alert http any any -> any any (msg:"uri"; http.uri; content:"/admin/"; nocase; depth:7; sid:1;)
                alert http any any -> any any (msg:"uri, not at the start"; http.uri; content:"login"; depth:5; sid:2;)
                alert http any any -> any any (msg:"host"; http.host; content:"example.com"; bsize:11; sid:3;)
                alert http any any -> any any (msg:"no cookie"; http.cookie; content:"a"; sid:4;)
                """);
        assertEquals(List.of(1L, 3L), run.run(0, GET));
    }

    @Test
    void everyInspectionMustHold() {
        HttpHookRunner run = new HttpHookRunner("""
                alert http any any -> any any (msg:"both"; http.method; content:"GET"; http.uri; content:".php"; sid:1;)
                alert http any any -> any any (msg:"legacy"; content:"GET"; http_method; content:".php"; http_uri; sid:2;)
                alert http any any -> any any (msg:"method fails"; content:"POST"; http_method; content:".php"; http_uri; sid:3;)
                alert http any any -> any any (msg:"relative in uri"; http.uri; content:"login"; content:"x="; distance:0; http.user_agent; content:"curl"; startswith; sid:4;)
                """);
        assertEquals(List.of(1L, 2L, 4L), run.run(0, GET));
    }

    @Test
    void transformsRunOnADerivedBuffer() {
        HttpHookRunner run = new HttpHookRunner("""
                alert http any any -> any any (msg:"lower"; http.uri; to_lowercase; content:"/admin/"; sid:1;)
                alert http any any -> any any (msg:"case kept"; http.uri; content:"/admin/"; sid:2;)
                alert http any any -> any any (msg:"md5"; http.method; to_md5; content:"|7528035a93ee69cedb1dbddb2f0bfcc8|"; sid:3;)
                alert http any any -> any any (msg:"dot"; http.host; dotprefix; content:".example.com"; endswith; sid:4;)
                """);
        assertEquals(List.of(1L, 3L, 4L), run.run(0, GET));
        assertEquals(3, run.set().derivedBuffers().size());
        assertEquals(Buffer.values().length, run.set().derivedBuffers().get(0).id());
    }

    @Test
    void pcreModifiersAndUrilenPickTheirBuffers() {
        HttpHookRunner run = new HttpHookRunner("""
                alert http any any -> any any (msg:"pcre U"; pcre:"/\\.php\\?x=\\d$/U"; sid:1;)
                alert http any any -> any any (msg:"pcre V"; pcre:"/^curl\\//V"; sid:2;)
                alert http any any -> any any (msg:"urilen"; urilen:20; sid:3;)
                alert http any any -> any any (msg:"urilen range"; urilen:1<>5; sid:4;)
                alert http any any -> any any (msg:"uricontent"; uricontent:"login"; sid:5;)
                """);
        assertEquals(List.of(1L, 2L, 3L, 5L), run.run(0, GET));
    }

    @Test
    void aResponseBufferMakesTheRuleRunToTheClient() {
        HttpHookRunner run = new HttpHookRunner("""
                alert http any any -> any any (msg:"status"; http.stat_code; content:"200"; sid:1;)
                alert http any any -> any any (msg:"header, both ways"; http.header; content:"Server"; sid:2;)
                alert http any any -> any any (msg:"request side to the client"; flow:to_client; http.uri; content:"/a"; http.stat_code; content:"200"; sid:3;)
                """);
        Map<Buffer, String> response = Map.of(Buffer.HTTP_STAT_CODE, "200", Buffer.HTTP_HEADER, "Server: x\r\n",
                Buffer.HTTP_URI, "/a");
        assertEquals(List.of(2L), run.run(0, response), "to the server only the both-ways rule runs");
        assertEquals(List.of(1L, 2L, 3L), run.run(1, response));
        CompiledRuleSet.HookCode code = run.set().hook(CompiledRuleSet.Hook.HTTP);
        assertEquals(1, code.txRules()[0].direction());
        assertEquals(-1, code.txRules()[1].direction());
    }

    @Test
    void packetDataOfAnHttpRuleIsTheStreamWindow() {
        HttpHookRunner run = new HttpHookRunner("""
                alert http any any -> any any (msg:"raw and uri"; content:"secret"; http.uri; content:"/a"; sid:1;)
                alert http any any -> any any (msg:"raw only"; content:"secret"; sid:2;)
                """);
        assertEquals(List.of(1L), run.run(0, Map.of(Buffer.HTTP_URI, "/a", Buffer.STREAM, "GET /a?secret")));
        assertEquals(List.of(), run.run(0, Map.of(Buffer.HTTP_URI, "/a")), "without a stream window it fails");
        assertEquals(-1, run.set().hook(CompiledRuleSet.Hook.HTTP).regionOfRule()[1], "raw only: the stream hook");
        assertTrue(run.set().hook(CompiledRuleSet.Hook.STREAM).regionOfRule()[1] >= 0);
    }

    @Test
    void appLayerProtocolIsTestedThroughItsHelper() {
        HttpHookRunner run = new HttpHookRunner("""
                alert http any any -> any any (msg:"not http"; app-layer-protocol:!http; http.uri; content:"/"; sid:1;)
                alert http any any -> any any (msg:"failed"; app-layer-protocol:failed; http.uri; content:"/"; sid:2;)
                alert http any any -> any any (msg:"http"; app-layer-protocol:http; http.uri; content:"/"; sid:3;)
                """);
        assertEquals(List.of(3L), run.run(0, GET));
        assertEquals(List.of(1L, 2L), run.appProto(Helpers.APP_PROTO_FAILED).run(0, GET));
    }

    @Test
    void aZeroByteStringReadTakesTheWholeBuffer() {
        HttpHookRunner run = new HttpHookRunner("""
                alert http any any -> any any (msg:"big"; http.content_len; byte_test:0,>,4000,0,string,dec; sid:1;)
                alert http any any -> any any (msg:"zero"; http.content_len; byte_test:0,=,0,0,string,dec; sid:2;)
                """);
        assertEquals(List.of(1L), run.run(0, Map.of(Buffer.HTTP_CONTENT_LEN, "123456")));
        assertEquals(List.of(2L), run.run(0, Map.of(Buffer.HTTP_CONTENT_LEN, "0")));
        assertEquals(List.of(), run.run(0, Map.of(Buffer.HTTP_CONTENT_LEN, "")), "no digit: no number");
        assertEquals(List.of(1L), run.run(0, Map.of(Buffer.HTTP_CONTENT_LEN, "4001 trailing")));
    }

    @Test
    void appLayerEventsAreTestedOnTheTransaction() {
        HttpHookRunner run = new HttpHookRunner("""
                alert http any any -> any any (msg:"te"; app-layer-event:http.invalid_transfer_encoding_value_in_request; sid:1;)
                alert tcp any any -> any any (msg:"te, tcp"; app-layer-event:http.request_field_too_long; http.uri; content:"/"; sid:2;)
                """);
        assertEquals(List.of(), run.run(0, GET));
        assertEquals(List.of(1L), run.events("INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST").run(0, GET));
        assertEquals(List.of(2L), run.events("REQUEST_FIELD_TOO_LONG").run(0, GET));
    }
}
