package io.judo.applayer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtocolDetectionTest {
    private static AppProto offer(ProtocolDetection d, int dir, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return d.offer(dir, b, 0, b.length);
    }

    @Test
    void requestLineByteByByte() {
        ProtocolDetection d = new ProtocolDetection();
        String req = "\r\nPROPFIND /dav HTTP/1.1\r\n";
        for (int i = 0; i < "\r\nPROPFIND /".length() - 1; i++) {
            assertEquals(AppProto.UNKNOWN, offer(d, 0, req.substring(i, i + 1)), "after " + (i + 1) + " bytes");
        }
        assertEquals(AppProto.HTTP, offer(d, 0, "/"));
    }

    @Test
    void statusLineAloneIsEnoughForAMidstreamFlow() {
        ProtocolDetection d = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(d, 1, "HTTP/1"));
        assertEquals(AppProto.HTTP, offer(d, 1, ".1 200 OK\r\n"));
    }

    @Test
    void otherProtocolsFail() {
        ProtocolDetection smtp = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(smtp, 1, "220 mail.example ESMTP\r\n"));
        assertEquals(AppProto.FAILED, offer(smtp, 0, "EHLO me\r\n"));

        ProtocolDetection tls = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(tls, 0, "\u0016\u0003\u0001\u0002\u0000"));
        assertEquals(AppProto.FAILED, offer(tls, 0, "x".repeat(ProtocolDetection.FAIL_AFTER)));

        ProtocolDetection noTarget = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(noTarget, 0, "GET  "));
        assertEquals(AppProto.FAILED, offer(noTarget, 1, "SSH-2.0-OpenSSH\r\n"));
    }

    @Test
    void lowerCaseMethodIsNotHttp() {
        ProtocolDetection d = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(d, 0, "get / HTTP/1.1\r\n"));
        assertEquals(AppProto.FAILED, offer(d, 1, "nope"));
    }
}
