package io.judo.packet.build;

import java.util.List;
import java.util.SplittableRandom;

/**
 * TLS records and handshake messages as RFC 5246 and RFC 8446 lay them out, for generated handshakes. What a passive
 * observer cannot read (key shares, signatures, encrypted records) is random bytes of the right length; everything a
 * dissector parses (versions, suites, extensions, certificates) is well formed.
 */
final class TlsMessages {
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;

    static final int TLS10 = 0x0301;
    static final int TLS12 = 0x0303;
    static final int TLS13 = 0x0304;

    static final int X25519 = 0x001d;
    static final int SECP256R1 = 0x0017;
    static final int SECP384R1 = 0x0018;

    /** The largest plaintext a record carries (RFC 8446 5.1). */
    static final int MAX_FRAGMENT = 16384;

    /** "DOWNGRD" and 01: the end of a TLS 1.3-capable server's random when it picks TLS 1.2 (RFC 8446 4.1.3). */
    private static final byte[] DOWNGRADE_TO_12 = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};

    private TlsMessages() {
    }

    /** A client's offer: what its ClientHello lists. */
    record Offer(String sni, int[] suites, int[] groups, List<String> alpn, boolean tls13, byte[] sessionId) {
    }

    /** One record of {@code type} around {@code body} (at most {@link #MAX_FRAGMENT} plus expansion). */
    static void record(WireBuffer out, int type, int version, byte[] body) {
        out.u8(type).u16(version).u16(body.length).bytes(body);
    }

    /** A handshake message: type, 24-bit length, body. */
    static byte[] handshake(int type, WireBuffer body) {
        return new WireBuffer(body.size() + 4).u8(type).u24(body.size()).bytes(body.toByteArray()).toByteArray();
    }

    private static void extension(WireBuffer b, int type, byte[] data) {
        b.u16(type).u16(data.length).bytes(data);
    }

    private static byte[] list16(int... values) {
        WireBuffer w = new WireBuffer();
        int mark = w.begin(2);
        return w.u16s(values).end(mark).toByteArray();
    }

    private static byte[] alpnList(List<String> protocols) {
        WireBuffer w = new WireBuffer();
        int list = w.begin(2);
        for (String p : protocols) {
            int one = w.begin(1);
            w.ascii(p).end(one);
        }
        return w.end(list).toByteArray();
    }

    /**
     * A ClientHello as a current browser or library sends it: server_name, extended_master_secret,
     * renegotiation_info, supported_groups, ec_point_formats, session_ticket, ALPN, status_request,
     * signature_algorithms and, when the client offers TLS 1.3, key_share, psk_key_exchange_modes and
     * supported_versions.
     */
    static byte[] clientHello(SplittableRandom random, Offer offer) {
        WireBuffer b = new WireBuffer(512);
        b.u16(TLS12).bytes(RandomText.bytes(random, 32));
        int sid = b.begin(1);
        b.bytes(offer.sessionId()).end(sid);
        int suites = b.begin(2);
        b.u16s(offer.suites()).end(suites);
        b.u8(1).u8(0); // compression: null only
        int exts = b.begin(2);
        WireBuffer name = new WireBuffer();
        int list = name.begin(2);
        int host = name.u8(0).begin(2);
        name.ascii(offer.sni()).end(host).end(list);
        extension(b, 0x0000, name.toByteArray());
        extension(b, 0x0017, new byte[0]);
        extension(b, 0xff01, new byte[] {0});
        extension(b, 0x000a, list16(offer.groups()));
        extension(b, 0x000b, new byte[] {1, 0});
        extension(b, 0x0023, new byte[0]);
        if (!offer.alpn().isEmpty()) {
            extension(b, 0x0010, alpnList(offer.alpn()));
        }
        extension(b, 0x0005, new byte[] {1, 0, 0, 0, 0});
        extension(b, 0x000d, list16(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601));
        if (offer.tls13()) {
            WireBuffer shares = new WireBuffer();
            int all = shares.begin(2);
            int key = shares.u16(offer.groups()[0]).begin(2);
            shares.bytes(RandomText.bytes(random, keyShareLength(offer.groups()[0]))).end(key).end(all);
            extension(b, 0x0033, shares.toByteArray());
            extension(b, 0x002d, new byte[] {1, 1});
            extension(b, 0x002b, new byte[] {4, 0x03, 0x04, 0x03, 0x03});
        }
        b.end(exts);
        return handshake(1, b);
    }

    /** Bytes of a key share for {@code group}: x25519's 32, an uncompressed P-256 or P-384 point. */
    static int keyShareLength(int group) {
        return group == X25519 ? 32 : group == SECP256R1 ? 65 : 97;
    }

    /**
     * The ServerHello picking {@code suite}. For TLS 1.3: supported_versions and key_share, the client's session id
     * echoed. For TLS 1.2: renegotiation_info, ec_point_formats, extended_master_secret, the chosen ALPN protocol
     * (null for none), and the downgrade sentinel when the client offered 1.3.
     */
    static byte[] serverHello(SplittableRandom random, Offer offer, int suite, boolean tls13, String alpn) {
        WireBuffer b = new WireBuffer(128);
        byte[] serverRandom = RandomText.bytes(random, 32);
        if (!tls13 && offer.tls13()) {
            System.arraycopy(DOWNGRADE_TO_12, 0, serverRandom, 24, 8);
        }
        b.u16(TLS12).bytes(serverRandom);
        int sid = b.begin(1);
        b.bytes(tls13 ? offer.sessionId() : RandomText.bytes(random, 32)).end(sid);
        b.u16(suite).u8(0);
        int exts = b.begin(2);
        if (tls13) {
            extension(b, 0x002b, new byte[] {0x03, 0x04});
            WireBuffer share = new WireBuffer();
            int key = share.u16(offer.groups()[0]).begin(2);
            share.bytes(RandomText.bytes(random, keyShareLength(offer.groups()[0]))).end(key);
            extension(b, 0x0033, share.toByteArray());
        } else {
            extension(b, 0xff01, new byte[] {0});
            extension(b, 0x000b, new byte[] {1, 0});
            extension(b, 0x0017, new byte[0]);
            if (alpn != null) {
                extension(b, 0x0010, alpnList(List.of(alpn)));
            }
        }
        b.end(exts);
        return handshake(2, b);
    }

    /** A Certificate message (TLS 1.2) carrying {@code chain}, leaf first. */
    static byte[] certificate(List<byte[]> chain) {
        WireBuffer b = new WireBuffer(4096);
        int list = b.begin(3);
        for (byte[] der : chain) {
            int one = b.begin(3);
            b.bytes(der).end(one);
        }
        return handshake(11, b.end(list));
    }

    /**
     * ServerKeyExchange for ECDHE over x25519, signed with RSA-PSS (a 256-byte signature, as an RSA 2048 key makes) or
     * ECDSA P-256 (a DER signature of about 71 bytes).
     */
    static byte[] serverKeyExchange(SplittableRandom random, boolean ecdsa) {
        WireBuffer b = new WireBuffer(384);
        b.u8(3).u16(X25519);
        int point = b.begin(1);
        b.bytes(RandomText.bytes(random, 32)).end(point);
        b.u16(ecdsa ? 0x0403 : 0x0804);
        int sig = b.begin(2);
        if (ecdsa) {
            b.bytes(ecdsaSignature(random));
        } else {
            b.bytes(RandomText.bytes(random, 256));
        }
        b.end(sig);
        return handshake(12, b);
    }

    /** An ECDSA signature's DER shape, SEQUENCE of two INTEGERs, with random values. */
    private static byte[] ecdsaSignature(SplittableRandom random) {
        WireBuffer b = new WireBuffer(80);
        b.u8(0x30);
        int seq = b.begin(1);
        for (int i = 0; i < 2; i++) {
            byte[] v = RandomText.bytes(random, 32);
            v[0] &= 0x7f; // positive without a leading zero byte
            b.u8(0x02).u8(v.length).bytes(v);
        }
        return b.end(seq).toByteArray();
    }

    static byte[] serverHelloDone() {
        return handshake(14, new WireBuffer(0));
    }

    /** ClientKeyExchange for ECDHE over x25519: the client's point. */
    static byte[] clientKeyExchange(SplittableRandom random) {
        WireBuffer b = new WireBuffer(40);
        int point = b.begin(1);
        b.bytes(RandomText.bytes(random, 32)).end(point);
        return handshake(16, b);
    }

    /** NewSessionTicket (TLS 1.2, RFC 5077): lifetime hint and an opaque ticket. */
    static byte[] newSessionTicket(SplittableRandom random) {
        WireBuffer b = new WireBuffer(256);
        b.u32(7200);
        int ticket = b.begin(2);
        b.bytes(RandomText.bytes(random, 160 + random.nextInt(64))).end(ticket);
        return handshake(4, b);
    }

    /**
     * Appends {@code plaintext} bytes of application data as encrypted records of {@code type}: full-sized records,
     * each grown by the AEAD's expansion ({@code overhead}: 24 for TLS 1.2's AES-GCM, explicit nonce and tag; 17 for
     * TLS 1.3, inner content type and tag).
     */
    static void encrypted(WireBuffer out, SplittableRandom random, int type, int plaintext, int overhead) {
        for (int left = plaintext; left > 0;) {
            int n = Math.min(left, MAX_FRAGMENT);
            record(out, type, TLS12, RandomText.bytes(random, n + overhead));
            left -= n;
        }
    }
}
