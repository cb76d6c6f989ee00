package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.live.PacketSocket;
import io.judo.packet.live.SocketPoller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PacketSocket}'s fanout groups and transmit ring on a real veth pair, in a network namespace of its own
 * (addressless, IPv6 off, so only the test's frames cross it): frames sent through one end's transmit ring are
 * received on the other end by two sockets of one fanout group, and captured there by tcpdump, the independent
 * witness. Skipped with the reason (a JUnit assumption) where namespaces cannot be made (not root, no ip, ethtool or
 * tcpdump).
 */
class PacketSocketRingsTest {
    private static final int FLOWS = 64;
    private static final int FRAMES_PER_FLOW_DIRECTION = 4;
    private static final byte[] MAGIC = "JDRG".getBytes(StandardCharsets.US_ASCII);

    private static String unavailable;
    private static String ns;
    private static String sender;
    private static String receiver;
    @TempDir
    static Path dir;

    @BeforeAll
    static void up() throws Exception {
        unavailable = BridgeLab.unavailable();
        if (unavailable == null && new ProcessBuilder("tcpdump", "--version").start().waitFor() != 0) {
            unavailable = "tcpdump does not run";
        }
        if (unavailable != null) {
            System.err.println("PacketSocketRingsTest skipped: " + unavailable);
            return;
        }
        String p = "jdr" + (ProcessHandle.current().pid() % 10_000);
        ns = p + "n";
        sender = p + "t";
        receiver = p + "u";
        run("ip", "netns", "del", ns); // a killed earlier run's
        must("ip", "netns", "add", ns);
        must("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1");
        must("ip", "netns", "exec", ns, "ip", "link", "add", sender, "type", "veth", "peer", "name", receiver);
        for (String end : List.of(sender, receiver)) {
            must("ip", "netns", "exec", ns, "ethtool", "-K", end, "tso", "off", "gso", "off", "gro", "off", "tx",
                    "off", "rx", "off");
            must("ip", "netns", "exec", ns, "ip", "link", "set", end, "up");
        }
    }

    @BeforeEach
    void labAvailable() {
        Assumptions.assumeTrue(unavailable == null, () -> "network namespaces unavailable: " + unavailable);
    }

    @AfterAll
    static void down() throws Exception {
        if (ns != null) {
            run("ip", "netns", "del", ns);
        }
    }

    @Test
    void flowsSplitBetweenFanoutMembersAndRingFramesArriveIntact() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        for (int k = 0; k < FRAMES_PER_FLOW_DIRECTION; k++) {
            for (int flow = 0; flow < FLOWS; flow++) {
                frames.add(frame(flow, k, false));
                frames.add(frame(flow, k, true)); // the reply direction: the same flow to the hash
            }
        }
        Path pcap = dir.resolve("witness.pcap");
        Process tcpdump = tcpdump(pcap);
        Map<String, Integer> owner = new HashMap<>();
        Map<String, byte[]> got = new HashMap<>();
        String[] counters = inNamespace(() -> {
            int group = (int) (ProcessHandle.current().pid() & 0xffff);
            PacketSocket.Options member = PacketSocket.Options.DEFAULT.withFanout(group);
            try (PacketSocket a = PacketSocket.open(receiver, member);
                    PacketSocket b = PacketSocket.open(receiver, member);
                    PacketSocket out = PacketSocket.open(sender)) {
                assertTrue(out.transmitRing(), () -> "no transmit ring: " + out.transmitRingMissing());
                for (int i = 0; i < frames.size(); i++) {
                    byte[] f = frames.get(i);
                    assertTrue(out.send(f, 0, f.length));
                    if (i % 64 == 63) {
                        out.flush(); // as the bridge does at the end of a batch
                    }
                }
                out.flush();
                PacketSocket[] members = {a, b};
                SocketPoller poller = new SocketPoller(a, b);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (got.size() < frames.size() && System.nanoTime() < deadline) {
                    poller.await(20);
                    for (int m = 0; m < 2; m++) {
                        for (int n; (n = members[m].receive()) > 0;) {
                            byte[] copy = new byte[n];
                            members[m].frame().get(members[m].frameOffset(), copy, 0, n);
                            String id = id(copy);
                            if (id != null) {
                                assertNull(got.put(id, copy), "received twice: " + id);
                                Integer before = owner.put(flowOf(id), m);
                                assertTrue(before == null || before == m, "flow " + flowOf(id)
                                        + " reached both members of the group");
                            }
                        }
                    }
                }
                return new String[] {out.sent() + " sent", out.flushes() + " flushes", out.ringBypassed()
                        + " bypassed", out.sendErrors() + " refused"};
            }
        });
        settle(pcap);
        tcpdump.destroy();
        assertTrue(tcpdump.waitFor(10, TimeUnit.SECONDS));
        assertEquals(frames.size() + " sent", counters[0]);
        assertEquals("0 bypassed", counters[2], "every frame went through the ring");
        assertEquals("0 refused", counters[3]);
        assertTrue(Integer.parseInt(counters[1].split(" ")[0]) >= frames.size() / 64, counters[1]);
        // the union is every flow, each frame once, intact
        assertEquals(frames.size(), got.size(), "frames received by the group");
        for (byte[] f : frames) {
            assertArrayEquals(f, got.get(id(f)), id(f));
        }
        long toA = owner.values().stream().filter(m -> m == 0).count();
        assertEquals(FLOWS, owner.size());
        assertTrue(toA > 0 && toA < FLOWS, "the kernel split " + FLOWS + " flows " + toA + "/" + (FLOWS - toA));
        // the witness saw the same bytes in the order they were put in the ring
        List<byte[]> witnessed = new ArrayList<>();
        try (CaptureReader r = Captures.open(pcap)) {
            PacketRecord rec = new PacketRecord();
            while (r.next(rec) == ReadStatus.RECORD) {
                byte[] copy = new byte[rec.capturedLength()];
                rec.buffer().get(rec.offset(), copy, 0, copy.length);
                if (id(copy) != null) {
                    witnessed.add(copy);
                }
            }
        }
        assertEquals(frames.size(), witnessed.size(), "frames tcpdump saw");
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i), witnessed.get(i), "frame " + i + " as captured");
        }
    }

    @Test
    void aFrameLongerThanTheMtuIsRefusedAndASocketWithoutRingSendsEachFrame() throws Exception {
        byte[] small = frame(1, 0, false);
        String[] result = inNamespace(() -> {
            try (PacketSocket ring = PacketSocket.open(sender);
                    PacketSocket plain = PacketSocket.open(sender, PacketSocket.Options.DEFAULT
                            .withTransmitRing(false));
                    PacketSocket in = PacketSocket.open(receiver)) {
                byte[] big = new byte[1515]; // 1501 bytes of packet: one past the MTU
                System.arraycopy(small, 0, big, 0, 14);
                assertFalse(ring.send(big, 0, big.length), "the ring took a frame the kernel would drop");
                assertEquals(1, ring.tooLong());
                assertFalse(plain.transmitRing());
                assertNotNull(plain.transmitRingMissing());
                assertTrue(plain.send(small, 0, small.length));
                plain.flush(); // nothing waits: a no-op
                assertEquals(0, plain.flushes());
                SocketPoller poller = new SocketPoller(in);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline) {
                    poller.await(20);
                    for (int n; (n = in.receive()) > 0;) {
                        byte[] copy = new byte[n];
                        in.frame().get(in.frameOffset(), copy, 0, n);
                        if (id(copy) != null) {
                            return new String[] {id(copy), String.valueOf(java.util.Arrays.equals(copy, small))};
                        }
                    }
                }
                return new String[] {"nothing", "false"};
            }
        });
        assertEquals(id(small), result[0]);
        assertEquals("true", result[1], "the frame sent with a system call arrived intact");
    }

    /**
     * An Ethernet/IPv4/UDP frame of one flow (client 10.88.x.y port 20000+flow, server 10.88.0.1 port 9), in the
     * reply direction when {@code reply}; the payload names flow, index and direction and then fills a length that
     * varies from frame to frame with bytes derived from them.
     */
    private static byte[] frame(int flow, int k, boolean reply) {
        int payload = 12 + (flow * 37 + k * 401 + (reply ? 211 : 0)) % 1400;
        byte[] f = new byte[14 + 20 + 8 + payload];
        ByteBuffer b = ByteBuffer.wrap(f);
        byte[] client = {10, 88, (byte) (1 + flow / 200), (byte) (1 + flow % 200)};
        byte[] server = {10, 88, 0, 1};
        b.put(new byte[] {2, 0, 0, 0, 0, (byte) (reply ? 1 : 2)}).put(new byte[] {2, 0, 0, 0, 0, (byte) (reply ? 2
                : 1)}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload)).putShort((short) (flow * 8 + k))
                .putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(reply ? server : client).put(reply ? client : server);
        b.putShort(24, ipChecksum(f));
        int clientPort = 20_000 + flow;
        b.putShort(34, (short) (reply ? 9 : clientPort)).putShort(36, (short) (reply ? clientPort : 9))
                .putShort(38, (short) (8 + payload)).putShort(40, (short) 0);
        b.position(42);
        b.put(MAGIC).putShort((short) flow).put((byte) k).put((byte) (reply ? 1 : 0)).putInt(f.length);
        for (int i = 54; i < f.length; i++) {
            f[i] = (byte) (i * 31 + flow * 7 + k);
        }
        return f;
    }

    private static short ipChecksum(byte[] f) {
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }

    /** "flow/k/direction" of one of the test's frames, or null for any other frame. */
    private static String id(byte[] f) {
        if (f.length < 54 || f[12] != 8 || f[13] != 0 || f[23] != 17) {
            return null;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (f[42 + i] != MAGIC[i]) {
                return null;
            }
        }
        ByteBuffer b = ByteBuffer.wrap(f);
        return (b.getShort(46) & 0xffff) + "/" + f[48] + "/" + f[49];
    }

    private static String flowOf(String id) {
        return id.substring(0, id.indexOf('/'));
    }

    /** tcpdump on the receiving end, writing each frame as it comes; returns once it listens. */
    private static Process tcpdump(Path pcap) throws IOException, InterruptedException {
        Path err = dir.resolve("tcpdump.err");
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "tcpdump", "-i", receiver, "--immediate-mode", "-B",
                "16384", "-U", "-s", "0", "-w",
                pcap.toString(), "udp").redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(err).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("tcpdump did not start: " + Files.readString(err));
            }
            Thread.sleep(20);
        }
        return p;
    }

    /** Waits until the capture file stops growing (tcpdump wrote what it saw), at most 10 seconds. */
    private static void settle(Path pcap) throws IOException, InterruptedException {
        long size = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.size(pcap) != size && System.nanoTime() < deadline) {
            size = Files.size(pcap);
            Thread.sleep(300);
        }
    }

    /**
     * Runs {@code work} on a thread of its own moved into the test namespace ({@code setns} changes only the calling
     * thread), so the sockets it opens live there; the thread ends with the work.
     */
    private static <T> T inNamespace(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            Netns.enter(Path.of("/run/netns", ns).toString());
            return work.call();
        });
        Thread t = new Thread(task, "netns-" + ns);
        t.start();
        try {
            return task.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err; // an assertion failed in the namespace
            }
            throw e;
        }
    }

    /** {@code setns(2)} by JNA's direct mapping. */
    private static final class Netns {
        private static final int O_RDONLY = 0;
        private static final int CLONE_NEWNET = 0x40000000;

        static {
            Native.register("c");
        }

        static native int open(String path, int flags) throws LastErrorException;

        static native int setns(int fd, int type) throws LastErrorException;

        static native int close(int fd);

        static void enter(String path) {
            int fd = open(path, O_RDONLY);
            try {
                setns(fd, CLONE_NEWNET);
            } finally {
                close(fd);
            }
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private static void must(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + ": " + out.trim());
        }
    }
}
