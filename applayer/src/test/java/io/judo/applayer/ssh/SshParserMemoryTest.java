package io.judo.applayer.ssh;

import static io.judo.applayer.ssh.SshWire.ascii;
import static io.judo.applayer.ssh.SshWire.cat;
import static io.judo.applayer.ssh.SshWire.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.Slice;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Memory: what an idle parser costs, and that a parser reused with {@link SshParser#reset()} allocates nothing per
 * connection (both banners, both KEXINITs with hassh computed, NEWKEYS, buffers filled) once its arrays have grown.
 * The JVM's per-thread allocation counter counts every byte this thread allocates; figures are printed for
 * applayer/DESIGN.md.
 */
class SshParserMemoryTest {
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static final SshListener FILL = new SshListener() {
        private final Slice s = new Slice();

        @Override
        public void kexinit(SshSession t, int dir) {
            t.fill(dir == 0 ? SshBuffer.HASSH : SshBuffer.HASSH_SERVER, dir, s);
            t.fill(SshBuffer.SOFTWARE, dir, s);
        }

        @Override
        public void event(SshSession t, int dir, SshEvent e) {
        }
    };

    @Test
    void anIdleParserIsSmallAndConnectionsAllocateNothing() {
        SshConfig cfg = SshConfig.defaults();
        int n = 20_000;
        Object[] keep = new Object[n];
        for (int i = 0; i < n; i++) {
            keep[i] = new SshParser(cfg, FILL);
        }
        long before = allocated();
        for (int i = 0; i < n; i++) {
            keep[i] = new SshParser(cfg, FILL);
        }
        long perParser = (allocated() - before) / n;
        assertEquals(n, keep.length);

        byte[] client = cat(ascii("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n"), packet(20, SshWire.kexinit(
            SshParserTest.CYBERDUCK_KEX, SshParserTest.CYBERDUCK_ENC, SshParserTest.CYBERDUCK_MAC,
            SshParserTest.CYBERDUCK_CMP), 6), packet(30, new byte[36], 6), packet(21, new byte[0], 10), new byte[600]);
        byte[] server = cat(ascii("SSH-2.0-OpenSSH_5.3\r\n"), packet(20, SshWire.kexinit(SshParserTest.OPENSSH53_KEX,
            SshParserTest.OPENSSH53_ENC, SshParserTest.OPENSSH53_MAC, SshParserTest.OPENSSH53_CMP), 4),
            packet(31, new byte[500], 8), packet(21, new byte[0], 10), new byte[900]);
        SshParser p = new SshParser(cfg, FILL);
        for (int i = 0; i < 20_000; i++) {
            p.reset();
            p.data(0, client, 0, client.length);
            p.data(1, server, 0, server.length);
        }
        int conns = 50_000;
        before = allocated();
        for (int i = 0; i < conns; i++) {
            p.reset();
            p.data(0, client, 0, client.length);
            p.data(1, server, 0, server.length);
        }
        long total = allocated() - before;
        assertTrue(p.session().finished() && p.session().hassh(1) != null);
        System.out.printf("SshParser: idle %d bytes; %d bytes over %d connections (banners, KEXINITs, hassh, "
            + "NEWKEYS)%n", perParser, total, conns);
        assertTrue(perParser < 1024, "idle parser: " + perParser);
        assertTrue(total < 10_000, "steady state allocates nothing per connection: " + total);
    }
}
