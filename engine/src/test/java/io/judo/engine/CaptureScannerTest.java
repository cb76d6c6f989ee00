package io.judo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.SharedData;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CaptureScannerTest {
    @TempDir
    static Path dir;

    static Stream<Path> captures() throws Exception {
        Path mix = dir.resolve("mix.pcap");
        try (OutputStream out = Files.newOutputStream(mix)) {
            new TrafficGenerator(11).write(out, 5000, Long.MAX_VALUE);
        }
        return Stream.concat(Stream.of(mix), SharedData.captures().stream());
    }

    /** Distinct flows equal the distinct bidirectional (protocol, endpoints, VLAN) keys built from tshark's fields. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void flowCountMatchesTsharkFields(Path capture) throws Exception {
        SharedData.present(capture);
        CaptureScanner scanner = new CaptureScanner(true);
        FileOutcome o = scanner.scan(capture.toString(), () -> Captures.open(capture), ScanProgress.NONE);
        assertEquals(ReadStatus.END, o.ending(), o.problem());
        assertEquals(tsharkFlows(capture), scanner.flows());
    }

    private static long tsharkFlows(Path capture) throws Exception {
        ExternalTools.require("tshark");
        String out = ExternalTools.run("tshark", "-n", "-r", capture.toString(), "-o", "ip.defragment:FALSE",
                "-o", "ipv6.defragment:FALSE", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                "-E", "separator=|",
                "-e", "frame.protocols", "-e", "ip.src", "-e", "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst",
                "-e", "ip.proto", "-e", "ip.frag_offset", "-e", "ipv6.fraghdr.offset", "-e", "tcp.srcport",
                "-e", "tcp.dstport", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "vlan.id");
        Set<String> flows = new HashSet<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            String[] layers = f[0].split(":");
            // The IP headers Judo walks: up to the first transport layer (an ICMP error's quoted header is not one),
            // the last of them the flow's; those before it are tunnels, part of the flow's identity.
            int v4Walked = 0;
            int v6Walked = 0;
            boolean lastV6 = false;
            for (String l : layers) {
                if (l.equals("tcp") || l.equals("icmp") || l.equals("icmpv6") || l.equals("udp")) {
                    break;
                }
                if (l.equals("ip")) {
                    v4Walked++;
                    lastV6 = false;
                } else if (l.equals("ipv6")) {
                    v6Walked++;
                    lastV6 = true;
                }
            }
            if (v4Walked + v6Walked == 0) {
                continue;
            }
            String[] s4 = f[1].split(",");
            String[] d4 = f[2].split(",");
            String[] s6 = f[3].split(",");
            String[] d6 = f[4].split(",");
            String[] protos = f[5].split(",");
            String[] offsets = f[6].split(",");
            StringBuilder tunnel = new StringBuilder();
            for (int i = 0; i < v4Walked - (lastV6 ? 0 : 1); i++) {
                tunnel.append(pair(s4[i], d4[i])).append(';');
            }
            for (int i = 0; i < v6Walked - (lastV6 ? 1 : 0); i++) {
                tunnel.append(pair(s6[i], d6[i])).append(';');
            }
            String fragOffset = lastV6 ? "" : offsets[v4Walked - 1];
            String v6Frag = f[7].isEmpty() ? "" : f[7].split(",")[f[7].split(",").length - 1];
            if ((!fragOffset.isEmpty() && !fragOffset.equals("0")) || (!v6Frag.isEmpty() && !v6Frag.equals("0"))) {
                continue; // a later fragment: no ports, not a flow of its own
            }
            String src = lastV6 ? s6[v6Walked - 1] : s4[v4Walked - 1];
            String dst = lastV6 ? d6[v6Walked - 1] : d4[v4Walked - 1];
            String proto = transport(layers, lastV6 ? "" : protos[v4Walked - 1]);
            String sp = proto.equals("tcp") ? last(f[8]) : proto.equals("udp") ? last(f[10]) : "";
            String dp = proto.equals("tcp") ? last(f[9]) : proto.equals("udp") ? last(f[11]) : "";
            if (sp.isEmpty()) {
                sp = "0";
                dp = "0";
            }
            String a = src + "/" + sp;
            String b = dst + "/" + dp;
            flows.add(tunnel + proto + " " + (a.compareTo(b) <= 0 ? a + " " + b : b + " " + a) + " vlan "
                    + f[12].split(",")[0]);
        }
        return flows.size();
    }

    private static String pair(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "-" + b : b + "-" + a;
    }

    private static String last(String list) {
        String[] parts = list.split(",");
        return parts[parts.length - 1];
    }

    /** The layer right after the last IP header Judo walks (and its IPv6 extension headers), as Judo keys flows. */
    private static String transport(String[] layers, String ipProto) {
        int i = 0;
        int lastIp = -1;
        for (; i < layers.length; i++) {
            String l = layers[i];
            if (l.equals("tcp") || l.equals("udp") || l.equals("icmp") || l.equals("icmpv6")) {
                break;
            }
            if (l.equals("ip") || l.equals("ipv6")) {
                lastIp = i;
            }
        }
        for (i = lastIp + 1; i < layers.length; i++) {
            String l = layers[i];
            if (l.startsWith("ipv6.") || l.equals("ah")) {
                continue;
            }
            switch (l) {
                case "tcp": case "udp": case "icmp": case "icmpv6": return l;
                default: return ipProto;
            }
        }
        return ipProto;
    }

    @Test
    void outcomesSayWhatHappenedToEachFile() throws Exception {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "not a capture");
        CaptureScanner scanner = new CaptureScanner(true);
        FileOutcome bad = scanner.scan("text", () -> Captures.open(text), ScanProgress.NONE);
        assertTrue(bad.failed());
        assertNull(bad.format());
        FileOutcome missing = scanner.scan("missing", () -> Captures.open(dir.resolve("missing.pcap")),
                ScanProgress.NONE);
        assertTrue(missing.failed());
        assertEquals("no such file", missing.problem());
        assertEquals(0, scanner.counters().packets());
    }
}
