package io.judo.bench;

import io.judo.applayer.Slice;
import io.judo.applayer.ssh.SshBuffer;
import io.judo.applayer.ssh.SshConfig;
import io.judo.applayer.ssh.SshEvent;
import io.judo.applayer.ssh.SshListener;
import io.judo.applayer.ssh.SshParser;
import io.judo.applayer.ssh.SshSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
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
 * The SSH parser alone. The client's bytes are a real OpenSSH 9.2p1 client's (Debian 12) identification string and
 * first KEXINIT (1,600 bytes, recorded from {@code ssh} on loopback into {@code openssh-client-kexinit.b64}); the
 * server's are OpenSSH 9.2's banner and a KEXINIT with the name-lists its sshd offers by default (no sshd was at hand
 * to record). One parser, reset between connections (the steady state of a parser pool); the listener reads
 * ssh.software and the hassh hash of each side, as detection would. Run with {@code -prof gc} to see the allocation
 * per operation: {@code java -jar bench/target/benchmarks.jar SshParserBench -f 1 -wi 3 -i 5 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class SshParserBench {
    /** TCP segment size of the split handshake: a loopback capture's flights come whole, a WAN's in such pieces. */
    static final int SEGMENT = 536;

    private byte[] client;
    private byte[] server;
    private byte[] newKeys;
    private SshParser withHassh;
    private SshParser withoutHassh;
    private long seen;

    private final SshListener listener = new SshListener() {
        private final Slice s = new Slice();

        @Override
        public void banner(SshSession t, int dir) {
            if (t.fill(SshBuffer.SOFTWARE, dir, s)) {
                seen += s.length;
            }
        }

        @Override
        public void kexinit(SshSession t, int dir) {
            if (t.fill(dir == 0 ? SshBuffer.HASSH : SshBuffer.HASSH_SERVER, dir, s)) {
                seen += s.length;
            }
        }

        @Override
        public void event(SshSession t, int dir, SshEvent e) {
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        client = clientBannerAndKexinit();
        ByteArrayOutputStream srv = new ByteArrayOutputStream();
        srv.writeBytes("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6\r\n".getBytes(StandardCharsets.US_ASCII));
        srv.writeBytes(kexinit(new String[] {
            "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
                + "ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
                + "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,"
                + "kex-strict-s-v00@openssh.com",
            "rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519",
            CIPHERS, CIPHERS, MACS, MACS, "none,zlib@openssh.com", "none,zlib@openssh.com", "", ""}));
        server = srv.toByteArray();
        newKeys = packet(new byte[] {21});
        withHassh = new SshParser(SshConfig.defaults(), listener);
        withoutHassh = new SshParser(SshConfig.defaults().withHassh(false), listener);
    }

    private static final String CIPHERS = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
            + "aes128-gcm@openssh.com,aes256-gcm@openssh.com";
    private static final String MACS = "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
            + "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,"
            + "hmac-sha2-256,hmac-sha2-512,hmac-sha1";

    private static byte[] clientBannerAndKexinit() {
        try (InputStream in = SshParserBench.class.getResourceAsStream("openssh-client-kexinit.b64")) {
            return Base64.getMimeDecoder().decode(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A KEXINIT packet: code 20, a 16-byte cookie, ten name-lists, first_kex_packet_follows, reserved. */
    private static byte[] kexinit(String[] lists) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(20);
        p.writeBytes(new byte[16]);
        for (String l : lists) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            u32(p, b.length);
            p.writeBytes(b);
        }
        p.write(0);
        u32(p, 0);
        return packet(p.toByteArray());
    }

    /** RFC 4253 binary packet framing before encryption: length, padding length, payload, 4 to 255 padding bytes. */
    private static byte[] packet(byte[] payload) {
        int padding = 8 - (payload.length + 5) % 8;
        if (padding < 4) {
            padding += 8;
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u32(o, 1 + payload.length + padding);
        o.write(padding);
        o.writeBytes(payload);
        o.writeBytes(new byte[padding]);
        return o.toByteArray();
    }

    private static void u32(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    /** The client's banner and KEXINIT in one piece, the hassh computed (MD5 of the client's lists). */
    @Benchmark
    public long clientBannerKexinitHassh() {
        withHassh.reset();
        withHassh.data(0, client, 0, client.length);
        return seen;
    }

    /** The same without hassh: the banner read and the KEXINIT skipped by its length, what parsing alone costs. */
    @Benchmark
    public long clientBannerKexinitParseOnly() {
        withoutHassh.reset();
        withoutHassh.data(0, client, 0, client.length);
        return seen;
    }

    /**
     * A whole connection's clear part as the engine feeds it: both banners and KEXINITs in {@link #SEGMENT}-byte
     * pieces, alternating directions, then NEWKEYS each way (the session is finished), both hasshes computed.
     */
    @Benchmark
    public long handshakeInSegments() {
        withHassh.reset();
        int c = 0;
        int s = 0;
        while (c < client.length || s < server.length) {
            if (s < server.length) {
                int n = Math.min(SEGMENT, server.length - s);
                withHassh.data(1, server, s, n);
                s += n;
            }
            if (c < client.length) {
                int n = Math.min(SEGMENT, client.length - c);
                withHassh.data(0, client, c, n);
                c += n;
            }
        }
        withHassh.data(1, newKeys, 0, newKeys.length);
        withHassh.data(0, newKeys, 0, newKeys.length);
        return withHassh.session().finished() ? seen : -seen;
    }
}
