package io.judo.applayer.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds SSH wire bytes for tests: banners, binary packets (RFC 4253 section 6) and KEXINIT payloads. */
final class SshWire {
    private SshWire() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /**
     * One binary packet: packet_length, padding_length, the message code, its body and the padding (zeros; in
     * clear there is no MAC).
     */
    static byte[] packet(int code, byte[] body, int padding) {
        int packetLength = 1 + 1 + body.length + padding;
        ByteBuffer b = ByteBuffer.allocate(4 + packetLength);
        b.putInt(packetLength).put((byte) padding).put((byte) code).put(body).put(new byte[padding]);
        return b.array();
    }

    /** A KEXINIT body (after its code): a cookie, the ten name-lists given, first_kex_packet_follows, reserved. */
    static byte[] kexinit(String... lists) {
        if (lists.length != 10) {
            throw new IllegalArgumentException("ten name-lists");
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < 16; i++) {
            o.write(0x40 + i); // the cookie: random on the wire, any bytes here
        }
        for (String l : lists) {
            byte[] a = ascii(l);
            o.writeBytes(ByteBuffer.allocate(4).putInt(a.length).array());
            o.writeBytes(a);
        }
        o.write(0);
        o.writeBytes(new byte[4]);
        return o.toByteArray();
    }

    /** A KEXINIT with the four lists hassh reads for both sides, and plausible others. */
    static byte[] kexinit(String kex, String enc, String mac, String cmp) {
        return kexinit(kex, "ssh-ed25519,rsa-sha2-512", enc, enc, mac, mac, cmp, cmp, "", "");
    }
}
