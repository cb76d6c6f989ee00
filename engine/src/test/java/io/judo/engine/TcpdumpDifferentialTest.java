package io.judo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.LinkType;
import io.judo.packet.testing.ExternalTools;
import io.judo.rules.cbpf.CbpfImporter;
import io.judo.rules.pcap.FilterCompiler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packets Judo selects with a tcpdump expression, and with tcpdump's own compiled classic BPF imported, are
 * exactly the packets tcpdump selects, on generated captures of three link types.
 */
class TcpdumpDifferentialTest {
    static final byte[] MAC_A = {0x02, 0, 0, 0, 0, 0x0a};
    static final byte[] MAC_B = {0x02, 0, 0, 0, 0, 0x0b};
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    static final byte[] MULTICAST = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};

    @TempDir
    static Path dir;
    static Path ethernet;
    static Path sll;
    static Path raw;

    static final List<String> EXPRESSIONS = List.of(
            "tcp", "udp", "icmp", "icmp6", "ip", "ip6", "arp", "rarp", "sctp",
            "port 80", "tcp port 443", "udp port 53", "src port 53", "dst port 80", "port 80 or 443",
            "portrange 1000-2000", "tcp dst portrange 80-443", "udp src or dst port 5353",
            "host 10.0.0.1", "src host 10.0.0.1", "dst host 10.0.0.2", "host 10.0.0.1 and host 10.0.0.2",
            "src and dst host 10.0.0.1", "net 10.0.0.0/8", "src net 10.1.0.0/16", "dst net 10.2.0.0 mask 255.255.0.0",
            "net 10", "net 192.168", "host 192.168.1.1 or 10.0.0.2",
            "ip6 host 2001:db8::1", "ip6 net 2001:db8::/32", "ip6 src net 2001:db8:3::/48", "dst host 2001:db8::2",
            "ether host 02:00:00:00:00:0a", "ether src 02:00:00:00:00:0b", "ether dst 02:00:00:00:00:0a",
            "ether broadcast", "ether multicast", "broadcast", "multicast", "ip multicast", "ip6 multicast",
            "ether proto 0x0806", "ip proto 17", "ip6 proto 6", "proto 1", "ip proto \\tcp",
            "less 100", "greater 1000", "len >= 64 and len <= 128",
            "vlan", "vlan 100", "vlan and tcp", "vlan 100 and ip", "vlan and vlan", "ip or vlan",
            "tcp[tcpflags] & tcp-syn != 0", "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "tcp[13] = 0x12",
            "tcp[tcpflags] & tcp-rst != 0 or tcp[tcpflags] & tcp-ack = 0",
            "icmp[icmptype] = icmp-echo", "icmp6[icmp6type] = icmp6-echo", "icmp[0] != 8",
            "ip[0] & 0xf > 5", "ip[2:2] > 1000", "ip[6:2] & 0x3fff != 0", "ip6[6] = 44", "ip[9] * 2 + 1 = 13",
            "tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420", "udp[8:2] = 0x1a2b",
            "ether[0] & 1 = 1", "ip[8] - 63 = 0", "1000 / (ip[8] - 63) = 0 or tcp", "ip[2:2] % 7 = 3",
            "len - 14 > 500", "ip[8] + tcp[0] > 5", "tcp[0] + ip[8] > 5", "udp[0:2] + ip6[0] > 0",
            "-ip[8] != 0", "ip[0] << 2 = 0x114", "ip[2:2] >> 8 = 0", "ip[1] ^ 0x10 = 0",
            "not tcp", "not (tcp or udp)", "tcp and not port 80", "(tcp and port 80) or (udp and port 53)",
            "host 10.0.0.1 and (port 80 or 443)", "ip[100] = 1 or udp", "not ip[60] = 0", "!arp && !ip6",
            "arp host 10.0.0.1", "rarp", "ip host 10.0.0.1",
            // runs of equality tests the optimizer turns into set lookups (equality-sets)
            "port 22 or 25 or 53 or 80 or 443 or 5353", "tcp dst port 22 or tcp dst port 80 or tcp dst port 443",
            "ether proto 0x0800 or ether proto 0x86dd or ether proto 0x0806", "ip proto 1 or ip proto 6 or ip proto 17",
            "host 10.0.0.1 or 10.0.0.2 or 192.168.1.1 or 10.0.0.9");

    @BeforeAll
    static void corpus() throws IOException {
        ethernet = write("ethernet.pcap", LinkType.ETHERNET, frames(LinkType.ETHERNET), true);
        sll = write("sll.pcap", LinkType.LINUX_SLL, frames(LinkType.LINUX_SLL), false);
        raw = write("raw.pcap", LinkType.RAW, frames(LinkType.RAW), false);
    }

    static List<byte[]> frames(int link) throws IOException {
        List<byte[]> f = new ArrayList<>();
        boolean eth = link == LinkType.ETHERNET;
        java.util.function.Supplier<PacketBuilder> l = () -> PacketBuilder.link(link);
        int[] flags = {TcpFlags.SYN, TcpFlags.SYN | TcpFlags.ACK, TcpFlags.ACK, TcpFlags.FIN | TcpFlags.ACK,
            TcpFlags.RST, TcpFlags.PSH | TcpFlags.ACK, TcpFlags.URG, 0};
        for (int i = 0; i < flags.length; i++) {
            f.add(l.get().ipv4("10.0.0.1", "10.0.0.2").tcp(40000 + i, i % 2 == 0 ? 80 : 443).flags(flags[i])
                    .payload(i == 5 ? "GET / HTTP/1.1\r\n\r\n" : "").build());
        }
        f.add(l.get().ipv4("10.0.0.2", "10.0.0.1").ttl(63).tos(0x10).tcp(80, 40000).flags(TcpFlags.ACK)
                .payload(new byte[1200]).build());
        f.add(l.get().ipv4("10.0.0.1", "10.0.0.1").udp(1500, 1500).payload("self").build());
        f.add(l.get().ipv4("10.1.5.5", "10.2.6.6").udp(5353, 53).payload(new byte[] {0x1a, 0x2b, 1, 0}).build());
        f.add(l.get().ipv4("192.168.1.1", "8.8.8.8").udp(53, 1999).payload("x").build());
        f.add(l.get().ipv4("10.0.0.1", "224.0.0.251").udp(5353, 5353).payload("mdns").build());
        f.add(l.get().ipv4("10.0.0.1", "10.0.0.2").icmp(8, 0, 1).payload("ping").build());
        f.add(l.get().ipv4("10.0.0.2", "10.0.0.1").icmp(0, 0, 1).payload("pong").build());
        f.add(l.get().ipv4("10.0.0.9", "10.0.0.1").icmp(3, 3, 0).payload(new byte[28]).build());
        f.add(l.get().ipv4("10.0.0.1", "10.0.0.2").ipv4Options((byte) 1, (byte) 1, (byte) 1, (byte) 0).tcp(1234, 80)
                .build());
        f.add(l.get().ipv4("10.0.0.1", "10.0.0.2").rawTransport(132, new byte[] {0, 80, 0, 81, 0, 0, 0, 0}).build());
        f.addAll(l.get().ipv4("10.0.0.1", "10.0.0.2").ipId(7).udp(53, 53).payload(new byte[2000])
                .buildFragments(800));
        f.addAll(l.get().ipv4("10.0.0.1", "10.0.0.2").ipId(8).tcp(80, 1234).payload(new byte[1000])
                .buildFragments(512));
        f.add(l.get().ipv6("2001:db8::1", "2001:db8::2").tcp(40000, 80).flags(TcpFlags.SYN).build());
        f.add(l.get().ipv6("2001:db8::2", "2001:db8::1").tcp(80, 40000).flags(TcpFlags.SYN | TcpFlags.ACK).build());
        f.add(l.get().ipv6("2001:db8:3::9", "2001:db8::2").udp(53, 1500).payload("dns").build());
        f.add(l.get().ipv6("2001:db8::1", "ff02::1").icmp(128, 0, 1).payload("echo").build());
        f.add(l.get().ipv6("2001:db8::1", "2001:db8::2").ipv6Extension(0).tcp(1, 80).build());
        f.addAll(l.get().ipv6("2001:db8::1", "2001:db8::2").fragment(0, false, 5).udp(53, 53)
                .payload(new byte[1500]).buildFragments(800));
        f.addAll(l.get().ipv6("2001:db8::1", "2001:db8::2").fragment(0, false, 6).icmp(128, 0, 2)
                .payload(new byte[1500]).buildFragments(800));
        if (eth) {
            f.add(PacketBuilder.ethernet().macs(MAC_A, BROADCAST).arp(false, 1, MAC_A, "10.0.0.1", new byte[6],
                    "10.0.0.2").build());
            f.add(PacketBuilder.ethernet().macs(MAC_B, MAC_A).arp(false, 2, MAC_B, "10.0.0.2", MAC_A, "10.0.0.1")
                    .build());
            f.add(PacketBuilder.ethernet().macs(MAC_A, BROADCAST).arp(true, 3, MAC_A, "0.0.0.0", MAC_A, "0.0.0.0")
                    .build());
            f.add(PacketBuilder.ethernet().macs(MAC_B, MULTICAST).ipv4("10.0.0.2", "224.0.0.1").udp(9, 9).build());
            f.add(PacketBuilder.ethernet().vlan(100).ipv4("10.0.0.1", "10.0.0.2").tcp(5000, 80).build());
            f.add(PacketBuilder.ethernet().vlan(200).ipv6("2001:db8::1", "2001:db8::2").udp(5000, 53).build());
            f.add(PacketBuilder.ethernet().qinq().vlan(100).vlan(300).ipv4("10.0.0.1", "10.0.0.2").tcp(5000, 443)
                    .build());
            f.add(PacketBuilder.ethernet().snap().ipv4("10.0.0.1", "10.0.0.2").tcp(5000, 80).build());
        }
        return f;
    }

    static Path write(String name, int link, List<byte[]> frames, boolean withMix) throws IOException {
        Path file = dir.resolve(name);
        List<byte[]> all = new ArrayList<>(frames);
        if (withMix) {
            ByteArrayOutputStream mix = new ByteArrayOutputStream();
            new TrafficGenerator(99).write(mix, 3000, Long.MAX_VALUE);
            PacketRecord r = new PacketRecord();
            try (CaptureReader reader = Captures.open(mix.toByteArray())) {
                while (reader.next(r) == ReadStatus.RECORD) {
                    all.add(r.toBytes());
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            PcapWriter w = new PcapWriter(out, link, 65535, false);
            long t = 1_700_000_000_000_000_000L;
            for (int i = 0; i < all.size(); i++) {
                byte[] f = all.get(i);
                // Every tenth packet is snapped, so cut-short frames are in the corpus too.
                int captured = i % 10 == 7 ? Math.min(f.length, 40) : f.length;
                w.write(t, f, 0, captured, f.length);
                t += 1_000_000L;
            }
            w.close();
        }
        return file;
    }

    static Stream<String> expressions() {
        return EXPRESSIONS.stream();
    }

    /** Timestamps (microseconds) of the packets a filter selects. */
    static List<Long> judo(Path capture, PacketFilter filter) throws IOException {
        List<Long> out = new ArrayList<>();
        PacketRecord r = new PacketRecord();
        try (CaptureReader reader = Captures.open(capture)) {
            while (reader.next(r) == ReadStatus.RECORD) {
                if (filter.matches(r)) {
                    out.add(r.timestampNanos() / 1000);
                }
            }
        }
        return out;
    }

    /** Runs tcpdump; null output means tcpdump refused the expression ("rejects all packets"). */
    static String tcpdump(String... args) throws Exception {
        ExternalTools.require("tcpdump");
        List<String> cmd = new ArrayList<>(List.of("tcpdump"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out;
        String err;
        try (InputStream in = p.getInputStream(); InputStream e = p.getErrorStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            err = new String(e.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        if (p.exitValue() != 0) {
            if (err.contains("rejects all packets")) {
                return null;
            }
            throw new AssertionError("tcpdump " + cmd + " failed: " + err);
        }
        return out;
    }

    static List<Long> tcpdumpSelection(Path capture, String expr) throws Exception {
        Path out = Files.createTempFile(dir, "sel", ".pcap");
        if (tcpdump("-r", capture.toString(), "-w", out.toString(), "--", expr) == null) {
            return List.of();
        }
        List<Long> sel = new ArrayList<>();
        PacketRecord r = new PacketRecord();
        try (CaptureReader reader = Captures.open(out)) {
            while (reader.next(r) == ReadStatus.RECORD) {
                sel.add(r.timestampNanos() / 1000);
            }
        }
        return sel;
    }

    private static void check(Path capture, int link, String expr) throws Exception {
        List<Long> expected = tcpdumpSelection(capture, expr);
        List<Long> compiled = judo(capture, new PacketFilter(lt -> FilterCompiler.compile(expr, lt)));
        PacketFilter jitted = new PacketFilter(lt -> FilterCompiler.compile(expr, lt), true);
        assertEquals(compiled, judo(capture, jitted), "JIT vs interpreter: " + expr);
        assertEquals(null, jitted.jitFallback(), expr);
        assertEquals(expected, compiled, "judo filter '" + expr + "' on " + capture.getFileName());
        String cbpf = tcpdump("-r", capture.toString(), "-ddd", "--", expr);
        if (cbpf != null) {
            List<Long> imported = judo(capture, PacketFilter.of(CbpfImporter.importText(cbpf)));
            assertEquals(expected, imported, "judo filter --cbpf of '" + expr + "' on " + capture.getFileName());
        }
    }

    @ParameterizedTest(name = "ethernet: {0}")
    @MethodSource("expressions")
    void ethernet(String expr) throws Exception {
        check(ethernet, LinkType.ETHERNET, expr);
    }

    @ParameterizedTest(name = "sll/raw: {0}")
    @MethodSource("expressions")
    void otherLinkTypes(String expr) throws Exception {
        for (Path capture : List.of(sll, raw)) {
            int link = capture == sll ? LinkType.LINUX_SLL : LinkType.RAW;
            boolean ethernetOnly = expr.contains("ether") || expr.contains("vlan") || expr.contains("broadcast")
                    || expr.equals("multicast") || (link == LinkType.RAW && (expr.contains("arp")));
            if (ethernetOnly) {
                continue; // judo refuses these with a clear error on non-Ethernet links (see FilterCompilerTest)
            }
            check(capture, link, expr);
        }
    }
}
