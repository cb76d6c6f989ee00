package io.judo.applayer.tls;

import static io.judo.applayer.tls.Hellos.cat;
import static io.judo.applayer.tls.Hellos.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.applayer.TestSupport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Splitting must not matter: a TLS 1.2 conversation (ClientHello with GREASE, ServerHello, a chain of real
 * certificates from the JDK's trust store, key exchange, ChangeCipherSpec, encrypted records) parses to the same
 * session whether it arrives whole, cut at every byte, or re-framed into records of random sizes and fed in random
 * segments. And no input makes the parser throw.
 */
class TlsSplitProperties {
    /** One generated conversation: client bytes and server bytes, each as handshake payload plus the rest. */
    record Conversation(byte[] clientHandshake, byte[] clientTail, byte[] serverHandshake, byte[] serverTail) {
        byte[] client(Random rnd) {
            return cat(frame(clientHandshake, rnd), clientTail);
        }

        byte[] server(Random rnd) {
            return cat(frame(serverHandshake, rnd), serverTail);
        }
    }

    /** Handshake bytes as records of random sizes (64 bytes to 16 KiB), or of the largest size when rnd is null. */
    static byte[] frame(byte[] hs, Random rnd) {
        if (rnd == null) {
            return Hellos.records(22, hs, 1 << 14);
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int at = 0;
        while (at < hs.length) {
            int n = Math.min(hs.length - at, 64 + rnd.nextInt(rnd.nextBoolean() ? 200 : 16384 - 64));
            o.writeBytes(record(22, java.util.Arrays.copyOfRange(hs, at, at + n)));
            at += n;
        }
        return o.toByteArray();
    }

    static Conversation conversation(Random rnd) throws Exception {
        List<byte[]> jdk = Certs.jdk();
        Hellos.Client c = new Hellos.Client();
        c.ciphers = new int[] {0x1a1a, 0xc02f, 0xc030, 0x009c, 0x002f};
        c.ext(0x2a2a, new byte[0]).sni("host" + rnd.nextInt(1000) + ".example").groups(0x3a3a, 29, 23, 24).formats(0)
            .sigalgs(0x0804, 0x0403, 0x0401)
            .alpn("h2".getBytes(StandardCharsets.US_ASCII), "http/1.1".getBytes(StandardCharsets.US_ASCII))
            .ext(0x0017, new byte[0]).ext(0xff01, new byte[] {0});
        int n = 1 + rnd.nextInt(3);
        byte[][] chain = new byte[n][];
        for (int i = 0; i < n; i++) {
            chain[i] = jdk.get(rnd.nextInt(jdk.size()));
        }
        byte[] server = cat(Hellos.serverHello(0x0303, 0xc02f, 0xff01, 0x0017), Hellos.certificate(chain),
            Hellos.handshake(12, new byte[40 + rnd.nextInt(300)]), Hellos.handshake(14, new byte[0]));
        byte[] clientTail = cat(record(20, new byte[] {1}), record(22, new byte[40]), record(23, new byte[200]));
        byte[] serverTail = cat(record(20, new byte[] {1}), record(22, new byte[40]),
            record(23, new byte[1000 + rnd.nextInt(3000)]), record(21, new byte[26]));
        return new Conversation(cat(c.message(), Hellos.handshake(16, new byte[70])), clientTail, server, serverTail);
    }

    static String parseWhole(byte[] client, byte[] server) {
        Recorder r = new Recorder();
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        p.data(0, client, 0, client.length);
        p.data(1, server, 0, server.length);
        return r.summary(p.session());
    }

    static void feed(TlsParser p, int dir, byte[] b, Random rnd) {
        TestSupport.cut(b.length, rnd, 4, 3, 1500, (at, n) -> p.data(dir, b, at, n));
    }

    @Property(tries = 150)
    void randomRecordBoundariesAndSegmentsParseTheSame(@ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        Conversation c = conversation(rnd);
        String want = parseWhole(c.client(null), c.server(null));
        Recorder r = new Recorder();
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        byte[] client = c.client(rnd);
        byte[] server = c.server(rnd);
        // the client's first flight, then the server's, then the rest of the client's: as on the wire
        int firstFlight = client.length - c.clientTail().length;
        byte[] head = java.util.Arrays.copyOf(client, firstFlight);
        feed(p, 0, head, rnd);
        feed(p, 1, server, rnd);
        feed(p, 0, c.clientTail(), rnd);
        assertEquals(want, r.summary(p.session()), "seed " + seed);
    }

    @Test
    void everySplitPointParsesTheSame() throws Exception {
        Conversation c = conversation(new Random(7));
        byte[] client = c.client(null);
        byte[] server = c.server(null);
        String want = parseWhole(client, server);
        assertEquals(true, want.contains("ja4=t12d0407h2_"), want);
        TestSupport.assertEverySplitPoint(want, client, server, input -> {
            Recorder r = new Recorder();
            TlsParser p = new TlsParser(TlsConfig.defaults(), r);
            input.accept(p::data);
            return r.summary(p.session());
        });
    }

    @Property(tries = 400)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 600) byte[] junk, @ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        Conversation c = conversation(rnd);
        byte[] server = c.server(rnd);
        // mutate a real conversation (finds deeper states than random bytes) and also prefix pure junk
        for (int i = 0; i < 1 + rnd.nextInt(8); i++) {
            server[rnd.nextInt(server.length)] = (byte) rnd.nextInt(256);
        }
        for (byte[] b : new byte[][] {server, junk, cat(new byte[] {22, 3, 3}, junk)}) {
            for (int dir = 0; dir < 2; dir++) {
                Recorder r = new Recorder();
                TlsParser p = new TlsParser(TlsConfig.defaults(), r);
                feed(p, dir, b, rnd);
                p.gap(dir, 5);
                p.end(dir);
                TlsSession s = p.session();
                for (int i = 0; i < s.certificateCount(dir); i++) {
                    s.certificate(dir, i).subject();
                }
                r.summary(s);
            }
        }
    }
}
