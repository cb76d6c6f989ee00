package io.judo.packet.build;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * TLS connections as a passive observer sees them. TLS 1.2: the hellos, the server's real certificate chain, ECDHE
 * key exchange, ChangeCipherSpec and encrypted Finished, then application data records and a close_notify alert.
 * TLS 1.3: the hellos with key shares, the compatibility ChangeCipherSpec, then only encrypted records (the server's
 * certificate is among them). Clients vary in what they offer (TLS 1.3 or not, groups, ALPN); servers answer from
 * what they support; request and response sizes vary from a few hundred bytes to megabytes.
 */
final class TlsSessions {
    private static final int[] SUITES_13 = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
        0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    private static final int[] SUITES_12 = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
        0x009d, 0x002f, 0x0035, 0x000a};
    private static final int[] RSA_PICKS = {0xc02f, 0xc030, 0xcca8};
    private static final int[] ECDSA_PICKS = {0xc02b, 0xc02c, 0xcca9};
    private static final String SERVER_NET = "198.51.100";
    /** AEAD expansion of a record: TLS 1.2 AES-GCM (explicit nonce and tag), TLS 1.3 (content type and tag). */
    private static final int OVERHEAD_12 = 24;
    private static final int OVERHEAD_13 = 17;

    private final SplittableRandom random;
    private final Endpoints endpoints;
    private final Consumer<String> names;
    private long handshakes;

    TlsSessions(SplittableRandom random, Endpoints endpoints, Consumer<String> names) {
        this.random = random;
        this.endpoints = endpoints;
        this.names = names;
    }

    /** Handshakes (ClientHellos) written so far. */
    long handshakes() {
        return handshakes;
    }

    /** One connection negotiating TLS 1.3 or 1.2, from {@code start}. */
    TcpConversation session(long start, boolean tls13) {
        int index = random.nextInt(CertificateChains.all().size());
        CertificateChains.Chain chain = CertificateChains.all().get(index);
        String sni = chain.names().get(random.nextInt(chain.names().size()));
        boolean mail = sni.startsWith("smtp.") || sni.startsWith("imap.");
        int port = sni.startsWith("smtp.") ? 465 : sni.startsWith("imap.") ? 993 : 443;
        boolean v6 = endpoints.oneIn(5);
        TcpConversation c = endpoints.connect(endpoints.client(v6), Endpoints.server(SERVER_NET, index, v6), port,
                start, 100_000L + random.nextInt(2_000_000));
        c.handshake();
        boolean offers13 = tls13 || random.nextBoolean();
        int[] groups = random.nextInt(4) == 0 ? new int[] {TlsMessages.SECP256R1, TlsMessages.X25519,
            TlsMessages.SECP384R1} : new int[] {TlsMessages.X25519, TlsMessages.SECP256R1, TlsMessages.SECP384R1};
        List<String> alpn = mail ? List.of() : random.nextInt(4) == 0 ? List.of("http/1.1") : List.of("h2", "http/1.1");
        TlsMessages.Offer offer = new TlsMessages.Offer(sni, offers13 ? SUITES_13 : SUITES_12, groups, alpn, offers13,
                offers13 ? RandomText.bytes(random, 32) : new byte[0]);
        handshakes++;
        names.accept(sni);
        WireBuffer hello = new WireBuffer(600);
        TlsMessages.record(hello, TlsMessages.HANDSHAKE, TlsMessages.TLS10, TlsMessages.clientHello(random, offer));
        c.clientSends(hello.toByteArray());
        String chosen = alpn.isEmpty() ? null : alpn.get(0);
        if (tls13) {
            handshake13(c, offer, chosen);
        } else {
            handshake12(c, offer, chain, chosen);
        }
        int exchanges = 1 + random.nextInt(random.nextInt(4) == 0 ? 10 : 3);
        int overhead = tls13 ? OVERHEAD_13 : OVERHEAD_12;
        for (int i = 0; i < exchanges; i++) {
            WireBuffer request = new WireBuffer(2048);
            TlsMessages.encrypted(request, random, TlsMessages.APPLICATION_DATA, 80 + random.nextInt(1400), overhead);
            c.clock(c.clock() + random.nextInt(50_000_000), 100_000L + random.nextInt(1_000_000));
            c.clientSends(request.toByteArray());
            WireBuffer response = new WireBuffer(16_384);
            TlsMessages.encrypted(response, random, TlsMessages.APPLICATION_DATA, responseSize(), overhead);
            c.serverSends(response.toByteArray());
        }
        WireBuffer bye = new WireBuffer(64);
        // close_notify: an encrypted alert in 1.2, an application_data record hiding it in 1.3
        TlsMessages.record(bye, tls13 ? TlsMessages.APPLICATION_DATA : TlsMessages.ALERT, TlsMessages.TLS12,
                RandomText.bytes(random, 2 + overhead));
        c.clientSends(bye.toByteArray());
        c.close();
        return c;
    }

    private void handshake12(TcpConversation c, TlsMessages.Offer offer, CertificateChains.Chain chain, String alpn) {
        int[] picks = chain.ecdsa() ? ECDSA_PICKS : RSA_PICKS;
        int suite = picks[random.nextInt(picks.length)];
        List<byte[]> certificates = chain.certificates();
        if (random.nextInt(10) == 0) {
            certificates = new java.util.ArrayList<>(certificates);
            certificates.add(CertificateChains.root());
        }
        byte[][] flight = {TlsMessages.serverHello(random, offer, suite, false, alpn),
            TlsMessages.certificate(certificates), TlsMessages.serverKeyExchange(random, chain.ecdsa()),
            TlsMessages.serverHelloDone()};
        WireBuffer server = new WireBuffer(4096);
        if (random.nextBoolean()) {
            // the whole flight in one record, as many servers write it
            WireBuffer all = new WireBuffer(4096);
            for (byte[] m : flight) {
                all.bytes(m);
            }
            TlsMessages.record(server, TlsMessages.HANDSHAKE, TlsMessages.TLS12, all.toByteArray());
        } else {
            for (byte[] m : flight) {
                TlsMessages.record(server, TlsMessages.HANDSHAKE, TlsMessages.TLS12, m);
            }
        }
        c.serverSends(server.toByteArray());
        WireBuffer client = new WireBuffer(128);
        TlsMessages.record(client, TlsMessages.HANDSHAKE, TlsMessages.TLS12, TlsMessages.clientKeyExchange(random));
        TlsMessages.record(client, TlsMessages.CHANGE_CIPHER_SPEC, TlsMessages.TLS12, new byte[] {1});
        finished(client, OVERHEAD_12);
        c.clientSends(client.toByteArray());
        WireBuffer done = new WireBuffer(512);
        if (random.nextBoolean()) {
            TlsMessages.record(done, TlsMessages.HANDSHAKE, TlsMessages.TLS12, TlsMessages.newSessionTicket(random));
        }
        TlsMessages.record(done, TlsMessages.CHANGE_CIPHER_SPEC, TlsMessages.TLS12, new byte[] {1});
        finished(done, OVERHEAD_12);
        c.serverSends(done.toByteArray());
    }

    /** An encrypted Finished: 16 bytes of verify data (1.2) or a 32-byte MAC (1.3), plus the AEAD's expansion. */
    private void finished(WireBuffer out, int overhead) {
        boolean tls13 = overhead == OVERHEAD_13;
        TlsMessages.record(out, tls13 ? TlsMessages.APPLICATION_DATA : TlsMessages.HANDSHAKE, TlsMessages.TLS12,
                RandomText.bytes(random, (tls13 ? 36 : 16) + overhead));
    }

    private void handshake13(TcpConversation c, TlsMessages.Offer offer, String alpn) {
        int suite = random.nextInt(10) < 7 ? 0x1301 : random.nextBoolean() ? 0x1302 : 0x1303;
        WireBuffer server = new WireBuffer(6000);
        TlsMessages.record(server, TlsMessages.HANDSHAKE, TlsMessages.TLS12,
                TlsMessages.serverHello(random, offer, suite, true, alpn));
        TlsMessages.record(server, TlsMessages.CHANGE_CIPHER_SPEC, TlsMessages.TLS12, new byte[] {1});
        // EncryptedExtensions, Certificate, CertificateVerify and Finished: one or a few encrypted records
        int encrypted = 1800 + random.nextInt(3000);
        if (random.nextBoolean()) {
            TlsMessages.record(server, TlsMessages.APPLICATION_DATA, TlsMessages.TLS12,
                    RandomText.bytes(random, 40 + OVERHEAD_13));
            encrypted -= 40;
        }
        TlsMessages.encrypted(server, random, TlsMessages.APPLICATION_DATA, encrypted, OVERHEAD_13);
        c.serverSends(server.toByteArray());
        WireBuffer client = new WireBuffer(128);
        TlsMessages.record(client, TlsMessages.CHANGE_CIPHER_SPEC, TlsMessages.TLS12, new byte[] {1});
        finished(client, OVERHEAD_13);
        c.clientSends(client.toByteArray());
    }

    /** Plaintext bytes of one response: mostly small, a quarter tens of kilobytes, a few megabytes. */
    private int responseSize() {
        int k = random.nextInt(100);
        return k < 70 ? 300 + random.nextInt(20_000) : k < 95 ? 20_000 + random.nextInt(180_000)
                : 200_000 + random.nextInt(1_800_000);
    }
}
