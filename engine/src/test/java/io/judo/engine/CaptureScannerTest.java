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
                "-o", "ipv6.defragment:FALSE", "-T", "fields", "-E", "occurrence=f", "-E", "separator=|",
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
            boolean v4 = !f[1].isEmpty();
            boolean v6 = !f[3].isEmpty();
            if (!v4 && !v6) {
                continue;
            }
            if ((!f[6].isEmpty() && !f[6].equals("0")) || (!f[7].isEmpty() && !f[7].equals("0"))) {
                continue; // a later fragment: no ports, not a flow of its own
            }
            String src = v4 ? f[1] : f[3];
            String dst = v4 ? f[2] : f[4];
            String proto = transport(layers, v4 ? f[5] : "");
            String sp = proto.equals("tcp") ? f[8] : proto.equals("udp") ? f[10] : "";
            String dp = proto.equals("tcp") ? f[9] : proto.equals("udp") ? f[11] : "";
            if (sp.isEmpty()) {
                sp = "0";
                dp = "0";
            }
            String a = src + "/" + sp;
            String b = dst + "/" + dp;
            flows.add(proto + " " + (a.compareTo(b) <= 0 ? a + " " + b : b + " " + a) + " vlan " + f[12]);
        }
        return flows.size();
    }

    /** The layer right after the first IP header (and its IPv6 extension headers), as Judo keys flows. */
    private static String transport(String[] layers, String ipProto) {
        int i = 0;
        while (i < layers.length && !layers[i].equals("ip") && !layers[i].equals("ipv6")) {
            i++;
        }
        for (i++; i < layers.length; i++) {
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
