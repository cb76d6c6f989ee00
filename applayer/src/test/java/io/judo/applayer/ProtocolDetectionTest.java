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
        ProtocolDetection imap = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(imap, 1, "* OK IMAP4rev1 ready\r\n"));
        assertEquals(AppProto.FAILED, offer(imap, 0, "a1 LOGIN me secret\r\n"));

        ProtocolDetection tls = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(tls, 0, "\u0016\u0003\u0001\u0002\u0000"));
        assertEquals(AppProto.FAILED, offer(tls, 0, "x".repeat(ProtocolDetection.FAIL_AFTER)));

        ProtocolDetection noTarget = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(noTarget, 0, "GET  "));
        assertEquals(AppProto.FAILED, offer(noTarget, 1, "RFB 003.008\n"));
    }

    @Test
    void smtpByTheClientsFirstCommandAfterTheGreeting() {
        ProtocolDetection d = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(d, 1, "220 mail.example ESMTP\r\n"), "FTP greets with 220 too");
        String ehlo = "ehlo client.example\r\n"; // any case, as smtplib sends it
        for (int i = 0; i < 4; i++) {
            assertEquals(AppProto.UNKNOWN, offer(d, 0, ehlo.substring(i, i + 1)), "after " + (i + 1) + " bytes");
        }
        assertEquals(AppProto.SMTP, offer(d, 0, ehlo.substring(4)));
        assertEquals(AppProto.SMTP, offer(new ProtocolDetection(), 0, "HELO x\r\n"), "picked up without a greeting");
    }

    @Test
    void ftpNeedsTheReplyCodeAndAnFtpCommand() {
        ProtocolDetection d = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(d, 1, "220-Welcome\r\n220 ready\r\n"));
        assertEquals(AppProto.FTP, offer(d, 0, "USER anonymous\r\n"));
        ProtocolDetection tlsFirst = new ProtocolDetection();
        offer(tlsFirst, 1, "220 (vsFTPd 3.0.3)\r\n");
        assertEquals(AppProto.FTP, offer(tlsFirst, 0, "AUTH TLS\r\n"));
        // POP3's client also says USER, but its server greets with +OK
        ProtocolDetection pop3 = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(pop3, 1, "+OK POP3 ready\r\n"));
        assertEquals(AppProto.FAILED, offer(pop3, 0, "USER me\r\n"));
        // a greeting and then a client that speaks no protocol known here
        ProtocolDetection other = new ProtocolDetection();
        offer(other, 1, "220 ready\r\n");
        assertEquals(AppProto.FAILED, offer(other, 0, "HELLO THERE\r\n"));
    }

    @Test
    void sshByItsIdentificationStringInEitherDirection() {
        ProtocolDetection client = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(client, 0, "SSH"));
        assertEquals(AppProto.SSH, offer(client, 0, "-2.0-OpenSSH_9.2p1\r\n"));
        assertEquals(AppProto.SSH, offer(new ProtocolDetection(), 1, "SSH-1.99-dropbear\r\n"));
        ProtocolDetection lower = new ProtocolDetection(); // the identification string is case-sensitive
        assertEquals(AppProto.UNKNOWN, offer(lower, 0, "ssh-2.0-x\r\n"));
        assertEquals(AppProto.FAILED, offer(lower, 1, "nope\r\n"));
    }

    @Test
    void lowerCaseMethodIsNotHttp() {
        ProtocolDetection d = new ProtocolDetection();
        assertEquals(AppProto.UNKNOWN, offer(d, 0, "get / HTTP/1.1\r\n"));
        assertEquals(AppProto.FAILED, offer(d, 1, "nope"));
    }

    private static byte[] dnsQuery(int flags) {
        // length 29, id, flags, one question "example.com" A IN
        return new byte[] {0, 29, 0x12, 0x34, (byte) (flags >> 8), (byte) flags, 0, 1, 0, 0, 0, 0, 0, 0,
            7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
    }

    @Test
    void dnsOverTcpByItsLengthAndHeader() {
        byte[] q = dnsQuery(0x0100);
        ProtocolDetection d = new ProtocolDetection();
        for (int i = 0; i < 15; i++) {
            assertEquals(AppProto.UNKNOWN, d.offer(0, q, i, 1), "after " + (i + 1) + " bytes");
        }
        assertEquals(AppProto.DNS, d.offer(0, q, 15, 1));

        ProtocolDetection response = new ProtocolDetection();
        byte[] r = dnsQuery(0x8180);
        assertEquals(AppProto.DNS, response.offer(1, r, 0, r.length), "a flow picked up at the response");
    }

    @Test
    void dnsHeadersThatDoNotFitTheDirectionAreNotDns() {
        assertEquals(2, ProtocolDetection.judgeDns(1, dnsQuery(0x0100), 0, 16), "QR clear towards the client");
        assertEquals(2, ProtocolDetection.judgeDns(0, dnsQuery(0x8180), 0, 16), "QR set towards the server");
        assertEquals(2, ProtocolDetection.judgeDns(0, dnsQuery(0x0140), 0, 16), "Z set");
        assertEquals(2, ProtocolDetection.judgeDns(0, dnsQuery(0x1800), 0, 16), "opcode 3");
        assertEquals(2, ProtocolDetection.judgeDns(0, new byte[] {0, 5}, 0, 2), "shorter than a header");
        assertEquals(2, ProtocolDetection.judgeDns(0, "EHLO me\r\n".getBytes(StandardCharsets.US_ASCII), 0, 9),
            "decided on the flags alone");
        ProtocolDetection tls = new ProtocolDetection();
        byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, 1, 2, 3, 4, 5};
        assertEquals(AppProto.TLS, tls.offer(0, hello, 0, hello.length), "a TLS ClientHello is TLS, not DNS");
    }

    @Test
    void tlsByItsRecordHeaderAndFirstHandshakeMessageInEitherDirection() {
        byte[] clientHello = {0x16, 0x03, 0x01, 0x00, (byte) 0xc4, 0x01, 0x00, 0x00, (byte) 0xc0, 0x03, 0x03};
        ProtocolDetection bytewise = new ProtocolDetection();
        for (int i = 0; i < 5; i++) {
            assertEquals(AppProto.UNKNOWN, bytewise.offer(0, clientHello, i, 1), "byte " + i + " decides nothing");
        }
        assertEquals(AppProto.TLS, bytewise.offer(0, clientHello, 5, 1), "the handshake type decides");

        byte[] serverHello = {0x16, 0x03, 0x03, 0x00, 0x5a, 0x02, 0x00, 0x00, 0x56, 0x03, 0x03};
        assertEquals(AppProto.TLS, new ProtocolDetection().offer(1, serverHello, 0, serverHello.length),
            "a flow picked up at the ServerHello");
        byte[] sslv2 = {(byte) 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};
        assertEquals(AppProto.TLS, new ProtocolDetection().offer(0, sslv2, 0, sslv2.length),
            "an SSLv2-compatible ClientHello offering TLS 1.0");

        ProtocolDetection finished = new ProtocolDetection(); // a handshake record that starts with no hello
        byte[] notHello = {0x16, 0x03, 0x03, 0x00, 0x28, 0x14, 0x00, 0x00, 0x0c};
        assertEquals(AppProto.UNKNOWN, finished.offer(0, notHello, 0, notHello.length));
        assertEquals(AppProto.FAILED, finished.offer(1, "220 ftp ready\r\n".getBytes(StandardCharsets.US_ASCII), 0,
            15));
        byte[] version5 = {0x16, 0x03, 0x05, 0x00, 0x28, 0x01};
        assertEquals(io.judo.applayer.tls.TlsProbe.NOT_TLS, io.judo.applayer.tls.TlsProbe.detect(version5, 0, 6),
            "version 3.5 is no TLS");
    }
}
