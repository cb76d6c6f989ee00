package io.judo.applayer.ssh;

import static io.judo.applayer.TestSupport.run;
import static io.judo.applayer.TestSupport.works;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.judo.applayer.TestSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real stacks as the oracle: a real OpenSSH sshd on loopback (its own ed25519 host key, non-default cipher and MAC
 * lists so its hasshServer is not the distribution's) and the OpenSSH client in four configurations (defaults; other
 * ciphers, MACs, compression and one kex; a DH group kex; a cipher the server refuses, so the key exchange fails after
 * both KEXINITs and no NEWKEYS comes). The client connects through a relay in this test that records both
 * directions' bytes as they were read; tcpdump captures the relay-to-sshd side for tshark. The parser, fed the
 * recorded pieces and then random pieces, must agree with tshark's ssh.protocol (proto and software as the banner
 * splits), ssh.kex.hassh / hasshserver and their _algorithms strings, and with where tshark sees NEWKEYS; and raise
 * no event on real traffic. Authentication fails (user nobody, BatchMode): the handshake is all that is needed.
 */
class SshOracleTest {
    @TempDir
    Path dir;

    private static final String SSHD = "/usr/sbin/sshd";

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts a daemon and waits until a line of its output contains ready; the output is then drained. */
    private static Process start(String ready, List<String> log, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CountDownLatch up = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (log) {
                        log.add(line);
                    }
                    if (line.contains(ready)) {
                        up.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        if (!up.await(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not start: " + log);
        }
        return p;
    }

    /** One connection's two directions as the relay read them. */
    record Conn(String name, List<byte[]> client, List<byte[]> server) {
    }

    private static Thread pump(Socket from, Socket to, List<byte[]> record) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    record.add(Arrays.copyOf(buf, n));
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                // a side closed abruptly: what was read is recorded
            }
        });
        t.start();
        return t;
    }

    /** Runs the ssh client through a recording relay to sshd. */
    private Conn connect(String name, int sshdPort, String... options) throws Exception {
        List<byte[]> client = new ArrayList<>();
        List<byte[]> server = new ArrayList<>();
        try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> cmd = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o",
                "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-F", "/dev/null", "-p",
                "" + relay.getLocalPort()));
            cmd.addAll(List.of(options));
            cmd.addAll(List.of("nobody@127.0.0.1", "true"));
            Process ssh = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            relay.setSoTimeout(30_000);
            try (Socket c = relay.accept(); Socket s = new Socket(InetAddress.getLoopbackAddress(), sshdPort)) {
                Thread up = pump(c, s, client);
                Thread down = pump(s, c, server);
                String out = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(ssh.waitFor(60, TimeUnit.SECONDS), name);
                up.join(30_000);
                down.join(30_000);
                assertTrue(!client.isEmpty() && !server.isEmpty(), name + ": " + out);
            } finally {
                ssh.destroyForcibly();
            }
        }
        return new Conn(name, client, server);
    }

    private static SshSession parse(List<byte[]> client, List<byte[]> server, Recorder r) {
        SshParser p = new SshParser(SshConfig.defaults(), r);
        for (byte[] b : client) {
            p.data(0, b, 0, b.length);
        }
        for (byte[] b : server) {
            p.data(1, b, 0, b.length);
        }
        p.end(0);
        p.end(1);
        return p.session();
    }

    private static List<byte[]> recut(List<byte[]> pieces, Random rnd) {
        byte[] all = SshWire.cat(pieces.toArray(new byte[0][]));
        List<byte[]> r = new ArrayList<>();
        TestSupport.cut(all.length, rnd, 2, 7, 1500, (at, n) -> r.add(Arrays.copyOfRange(all, at, at + n)));
        return r;
    }

    /** tshark's view of one direction of one TCP stream. */
    static final class Seen {
        String protocol = "";
        String hassh = "";
        String algorithms = "";
        boolean newKeys;
    }

    @Test
    void realOpensshHandshakesMatchTshark() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(SSHD)), "openssh-server (" + SSHD + ") is not installed");
        assumeTrue(works("ssh", "-V"), "the OpenSSH client is not installed");
        assumeTrue(works("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("hostkey").toString()),
            "ssh-keygen");
        assumeTrue(works("tshark", "-v"), "tshark is not installed");
        assumeTrue(works("tcpdump", "--version"), "tcpdump is not installed");
        Path privsep = Path.of("/run/sshd"); // sshd refuses to start without its privilege separation directory
        if (!Files.isDirectory(privsep)) {
            try {
                Files.createDirectories(privsep);
            } catch (IOException e) {
                assumeTrue(false, "sshd needs " + privsep + " and it cannot be made: " + e);
            }
        }
        int port = freePort();
        Path pcap = dir.resolve("ssh.pcap");
        List<String> sshdLog = new ArrayList<>();
        List<String> dumpLog = new ArrayList<>();
        List<Conn> conns = new ArrayList<>();
        Process sshd = start("Server listening", sshdLog, SSHD, "-D", "-e", "-f", "/dev/null", "-p", "" + port,
            "-o", "ListenAddress=127.0.0.1", "-o", "PidFile=none", "-h", dir.resolve("hostkey").toString(),
            "-o", "Ciphers=aes256-gcm@openssh.com,aes128-ctr,chacha20-poly1305@openssh.com",
            "-o", "MACs=hmac-sha2-512-etm@openssh.com,hmac-sha2-256", "-o", "Compression=no");
        try {
            // --immediate-mode: without it packets wait in the kernel's ring for a block timeout, and those still
            // there when tcpdump is stopped are never written
            Process dump = start("listening on", dumpLog, "tcpdump", "-i", "lo", "-U", "--immediate-mode", "-Z",
                "root", "-w", pcap.toString(), "tcp port " + port);
            try {
                conns.add(connect("defaults", port));
                conns.add(connect("ciphers-macs-zlib", port, "-o", "Ciphers=aes128-ctr,aes256-gcm@openssh.com",
                    "-o", "MACs=hmac-sha2-256", "-o", "Compression=yes", "-o", "KexAlgorithms=curve25519-sha256"));
                conns.add(connect("dh-group14", port, "-o", "KexAlgorithms=diffie-hellman-group14-sha256", "-o",
                    "HostKeyAlgorithms=ssh-ed25519"));
                conns.add(connect("no-common-cipher", port, "-o", "Ciphers=aes192-cbc"));
                Thread.sleep(500); // the last packets' way through tcpdump's buffer
            } finally {
                dump.destroy();
                dump.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            sshd.destroy();
            sshd.waitFor(30, TimeUnit.SECONDS);
        }

        // stream -> direction (0 client, 1 server) -> what tshark saw
        Map<Integer, Seen[]> seen = new HashMap<>();
        String out = run("tshark", "-r", pcap.toString(), "-d", "tcp.port==" + port + ",ssh", "-Y", "ssh", "-T",
            "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-e", "tcp.stream", "-e", "tcp.srcport", "-e",
            "ssh.protocol", "-e", "ssh.kex.hassh", "-e", "ssh.kex.hasshserver", "-e", "ssh.kex.hassh_algorithms", "-e",
            "ssh.kex.hasshserver_algorithms", "-e", "ssh.message_code");
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length < 8) {
                continue;
            }
            Seen[] s = seen.computeIfAbsent(Integer.parseInt(f[0]), k -> new Seen[] {new Seen(), new Seen()});
            int d = Integer.parseInt(f[1]) == port ? 1 : 0;
            if (!f[2].isEmpty()) {
                s[d].protocol = f[2];
            }
            if (!f[3 + d].isEmpty()) {
                s[d].hassh = f[3 + d];
                s[d].algorithms = f[5 + d];
            }
            s[d].newKeys |= Arrays.asList(f[7].split("\\|")).contains("21");
        }
        assertEquals(conns.size(), seen.size(), "one TCP stream per connection in the capture: " + out + " tcpdump: "
            + dumpLog + " pcap bytes: " + Files.size(pcap) + " sshd: " + sshdLog);

        Pattern banner = Pattern.compile("SSH-([^-]+)-([^ ]*)(?: .*)?");
        Random rnd = new Random(23);
        for (int i = 0; i < conns.size(); i++) {
            Conn c = conns.get(i);
            Seen[] want = seen.get(i);
            Recorder r = new Recorder();
            SshSession s = parse(c.client, c.server, r);
            String what = c.name + ": " + r.summary(s);
            assertEquals(List.of(), r.events, what);
            for (int d = 0; d < 2; d++) {
                Matcher m = banner.matcher(want[d].protocol);
                assertTrue(m.matches(), what + " tshark: " + want[d].protocol);
                assertEquals(m.group(1), s.protoVersion(d), what);
                assertEquals(m.group(2), s.softwareVersion(d), what);
                assertEquals(want[d].hassh, s.hassh(d), what);
                assertEquals(want[d].algorithms, s.hasshString(d), what);
                assertEquals(want[d].newKeys, s.encrypted(d), what);
                assertTrue(s.kexinitSeen(d), what);
            }
            boolean failed = c.name.equals("no-common-cipher");
            assertEquals(!failed, s.finished(), what);
            if (c.name.equals("ciphers-macs-zlib")) {
                assertEquals("aes128-ctr,aes256-gcm@openssh.com", s.nameList(0, SshSession.NameList.ENCRYPTION_C2S));
                assertTrue(s.hasshString(0).endsWith(";hmac-sha2-256;zlib@openssh.com,zlib,none"), what);
            }
            assertTrue(s.hasshString(1).contains(";aes256-gcm@openssh.com,aes128-ctr,chacha20-poly1305@openssh.com;"
                + "hmac-sha2-512-etm@openssh.com,hmac-sha2-256;none"), what);
            // the same bytes in other pieces
            Recorder again = new Recorder();
            SshSession t = parse(recut(c.client, rnd), recut(c.server, rnd), again);
            assertEquals(r.summary(s), again.summary(t), c.name);
        }
    }
}
