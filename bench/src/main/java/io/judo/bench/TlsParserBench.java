package io.judo.bench;

import io.judo.applayer.Slice;
import io.judo.applayer.tls.TlsBuffer;
import io.judo.applayer.tls.TlsConfig;
import io.judo.applayer.tls.TlsEvent;
import io.judo.applayer.tls.TlsListener;
import io.judo.applayer.tls.TlsParser;
import io.judo.applayer.tls.TlsSession;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The TLS parser alone (issue 19's targets: ClientHello with JA3 and JA4 at 1 M/s per core; certificate parsing
 * measured). The ClientHello is a real one, from the JDK's own TLS stack (SSLEngine, TLS 1.3 and 1.2 offered, SNI,
 * ALPN h2 and http/1.1, about 500 bytes); the certificates are real ones from the JDK's trust store. One parser, reset
 * between connections (the steady state of a parser pool); the listener fills sni, ja3.hash and ja4.hash. Run with
 * {@code -prof gc} to see the allocation per operation:
 * {@code java -jar bench/target/benchmarks.jar TlsParserBench -f 1 -wi 3 -i 5 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class TlsParserBench {
    /** Distinct clients cycled by {@link #clientHelloJa3Ja4Distinct}: more than the fingerprint memo holds. */
    static final int DISTINCT = 4096;

    private byte[] clientHello;
    private byte[][] distinct;
    private int next;
    private byte[] oneCertificate;
    private byte[][] distinctCertificates;
    private byte[] chainOfThree;
    private TlsParser withFingerprints;
    private TlsParser withoutFingerprints;
    private long seen;

    private final TlsListener listener = new TlsListener() {
        private final Slice s = new Slice();

        @Override
        public void clientHello(TlsSession t) {
            if (t.fill(TlsBuffer.SNI, 0, 0, s)) {
                seen += s.length;
            }
            t.fill(TlsBuffer.JA3_HASH, 0, 0, s);
            t.fill(TlsBuffer.JA4_HASH, 0, 0, s);
        }

        @Override
        public void certificates(TlsSession t, int dir) {
            if (t.fill(TlsBuffer.CERT_SUBJECT, dir, 0, s)) {
                seen += s.length;
            }
        }

        @Override
        public void event(TlsSession t, int dir, TlsEvent e) {
        }
    };

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("www.example.com", 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName("www.example.com")));
        params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        engine.setSSLParameters(params);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        clientHello = new byte[out.remaining()];
        out.get(clientHello);
        // variants that differ in their first cipher suite: each is a different client to the fingerprints
        int sid = clientHello[5 + 4 + 2 + 32] & 0xff;
        int firstCipher = 5 + 4 + 2 + 32 + 1 + sid + 2;
        distinct = new byte[DISTINCT][];
        for (int i = 0; i < DISTINCT; i++) {
            distinct[i] = clientHello.clone();
            distinct[i][firstCipher] = (byte) (0x40 + (i >> 8));
            distinct[i][firstCipher + 1] = (byte) i;
        }

        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security",
            "cacerts"))) {
            ks.load(in, null);
        }
        List<String> aliases = Collections.list(ks.aliases());
        Collections.sort(aliases);
        List<byte[]> ders = new ArrayList<>();
        for (String a : aliases.subList(0, 3)) {
            ders.add(ks.getCertificate(a).getEncoded());
        }
        oneCertificate = certificateRecord(ders.subList(0, 1));
        // variants differing in the signature's last bytes (not verified when parsing): the JDK keeps a cache of
        // 750 decoded certificates by encoding, which these defeat
        distinctCertificates = new byte[DISTINCT][];
        for (int i = 0; i < DISTINCT; i++) {
            byte[] v = oneCertificate.clone();
            v[v.length - 1] = (byte) i;
            v[v.length - 2] = (byte) (i >> 8);
            distinctCertificates[i] = v;
        }
        chainOfThree = certificateRecord(ders);
        withFingerprints = new TlsParser(TlsConfig.defaults(), listener);
        withoutFingerprints = new TlsParser(TlsConfig.defaults().withFingerprints(false), listener);
    }

    private static byte[] certificateRecord(List<byte[]> ders) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (byte[] d : ders) {
            list.write(d.length >> 16);
            list.write(d.length >> 8);
            list.write(d.length);
            list.writeBytes(d);
        }
        int body = list.size() + 3;
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        int rec = body + 4;
        r.writeBytes(new byte[] {22, 3, 3, (byte) (rec >> 8), (byte) rec, 11, (byte) (body >> 16), (byte) (body >> 8),
            (byte) body, (byte) (list.size() >> 16), (byte) (list.size() >> 8), (byte) list.size()});
        r.writeBytes(list.toByteArray());
        return r.toByteArray();
    }

    /**
     * A real ClientHello, again and again, parsed with JA3 and JA4 and three buffers filled: the client repeats, so
     * the fingerprints come from the per-thread memo (what a client software seen before costs).
     */
    @Benchmark
    public long clientHelloJa3Ja4() {
        withFingerprints.reset();
        withFingerprints.data(0, clientHello, 0, clientHello.length);
        return seen;
    }

    /**
     * {@link #DISTINCT} different ClientHellos in turn: the fingerprints are computed every time (the memo of
     * repeated clients never hits), the cost of a stream of distinct clients.
     */
    @Benchmark
    public long clientHelloJa3Ja4Distinct() {
        byte[] ch = distinct[next++ & (DISTINCT - 1)];
        withFingerprints.reset();
        withFingerprints.data(0, ch, 0, ch.length);
        return seen;
    }

    /** The same ClientHello without fingerprints: what parsing alone costs. */
    @Benchmark
    public long clientHelloParseOnly() {
        withoutFingerprints.reset();
        withoutFingerprints.data(0, clientHello, 0, clientHello.length);
        return seen;
    }

    /**
     * A Certificate message of one real certificate, decoded by the JDK (subject, issuer, serial, SHA-1, validity),
     * the same one each time (the JDK's certificate cache serves its decoding: a server seen before).
     */
    @Benchmark
    public long certificateParse() {
        withFingerprints.reset();
        withFingerprints.data(1, oneCertificate, 0, oneCertificate.length);
        return seen;
    }

    /** {@link #DISTINCT} different certificates in turn: the JDK decodes each (its cache holds 750). */
    @Benchmark
    public long certificateParseDistinct() {
        byte[] c = distinctCertificates[next++ & (DISTINCT - 1)];
        withFingerprints.reset();
        withFingerprints.data(1, c, 0, c.length);
        return seen;
    }

    /** A chain of three: the first is decoded eagerly (Suricata's cert0), the others when asked, here all. */
    @Benchmark
    public long chainOfThreeAllDecoded() {
        withFingerprints.reset();
        withFingerprints.data(1, chainOfThree, 0, chainOfThree.length);
        TlsSession s = withFingerprints.session();
        for (int i = 0; i < s.certificateCount(1); i++) {
            seen += s.certificate(1, i).notAfter();
        }
        return seen;
    }
}
