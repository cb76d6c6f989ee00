package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.Frames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suricata's checksum keywords through {@code judo scan} over a hand-built capture: for each of TCP, UDP and ICMP
 * over IPv4 and IPv6 one packet with a good checksum and one with a corrupted one, an IPv4 header with a corrupted
 * checksum, a UDP-over-IPv4 packet without a checksum and a fragmented UDP datagram with a wrong checksum. Each
 * packet has a source address of its own, so an alert names the packet. With validation on each {@code :valid} rule
 * alerts on exactly the good packets of its layers and each {@code :invalid} rule on exactly the bad ones; with it off
 * (as Suricata's keywords answer under {@code -k none}) every judged checksum is valid. tshark, with its checksum
 * checks on, is the oracle for which packets are good and bad.
 */
class ChecksumKeywordsTest {
    private static final String[] KEYWORDS = {"ipv4-csum", "tcpv4-csum", "tcpv6-csum", "udpv4-csum", "udpv6-csum",
            "icmpv4-csum", "icmpv6-csum"};
    /** The fragmented datagram's source: its two fragments and the datagram they rebuild. */
    private static final String FRAGMENTED = "10.0.0.15";
    /** The source of the datagram whose first fragment's IPv4 header checksum is wrong. */
    private static final String BAD_FRAGMENT = "10.0.0.17";

    @TempDir
    Path dir;

    private static String v4(int i) {
        return "10.0.0." + (i + 1);
    }

    private static String v6(int i) {
        return "2001:db8::" + Integer.toHexString(i + 1);
    }

    /**
     * Frame i comes from {@link #v4}(i) or {@link #v6}(i): 0-1 TCP/IPv4 good, bad; 2-3 TCP/IPv6; 4-5 UDP/IPv4; 6-7
     * UDP/IPv6; 8-9 ICMP; 10-11 ICMPv6; 12 UDP/IPv4 whose IPv4 header checksum is wrong; 13 UDP/IPv4 without a
     * checksum (zero); 14-15 the two fragments of a UDP/IPv4 datagram whose UDP checksum is wrong; 16-17 the two
     * fragments of a good UDP/IPv4 datagram, the first with a wrong IPv4 header checksum.
     */
    private Path capture() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            boolean six = i / 2 % 2 == 1;
            PacketBuilder b = six ? PacketBuilder.ethernet().ipv6(v6(i), v6(100))
                    : PacketBuilder.ethernet().ipv4(v4(i), v4(100));
            b = switch (i / 4) {
                case 0 -> b.tcp(40000 + i, 80).seq(1).flags(PacketBuilder.TcpFlags.ACK).payload("tcp data");
                case 1 -> b.udp(40000 + i, 9999).payload("udp data");
                default -> b.icmp(six ? 128 : 8, 0, 0x1234_0001).payload("ping data");
            };
            if (i % 2 == 1) {
                b = b.badTransportChecksum();
            }
            frames.add(b.build());
        }
        frames.add(PacketBuilder.ethernet().ipv4(v4(12), v4(100)).badIpChecksum().udp(40012, 9999)
                .payload("udp data").build());
        byte[] none = PacketBuilder.ethernet().ipv4(v4(13), v4(100)).udp(40013, 9999).payload("udp data").build();
        none[14 + 20 + 6] = 0; // the UDP checksum: zero is "none computed" over IPv4
        none[14 + 20 + 7] = 0;
        frames.add(none);
        frames.addAll(PacketBuilder.ethernet().ipv4(FRAGMENTED, v4(100)).ipId(77).udp(40014, 9999)
                .payload("a datagram in two fragments, its checksum wrong").badTransportChecksum()
                .buildFragments(32));
        List<byte[]> badHeader = PacketBuilder.ethernet().ipv4(BAD_FRAGMENT, v4(100)).ipId(78).udp(40016, 9999)
                .payload("a datagram in two fragments, one IPv4 header wrong").buildFragments(32);
        badHeader.get(0)[14 + 10] ^= 0x55; // the first fragment's IPv4 header checksum
        frames.addAll(badHeader);
        return Frames.writePcap(dir.resolve("checksums.pcap"), LinkType.ETHERNET, frames);
    }

    private Path rules() throws Exception {
        StringBuilder r = new StringBuilder();
        int sid = 1;
        for (String k : KEYWORDS) {
            for (String value : new String[] {"valid", "invalid"}) {
                r.append("alert ip any any -> any any (msg:\"").append(k).append(':').append(value).append("\"; ")
                        .append(k).append(':').append(value).append("; sid:").append(sid++).append(";)\n");
            }
        }
        return Files.writeString(dir.resolve("checksums.rules"), r.toString());
    }

    /** Each rule's message to the sources of the packets it alerted on, in capture order; every rule listed. */
    private Map<String, List<String>> alerts(Path pcap, String validation) throws Exception {
        return alerts(pcap, validation, "jit");
    }

    /** As {@link #alerts(Path, String)}, the rule programs run by {@code engine} ({@code jit} or {@code interp}). */
    @SuppressWarnings("unchecked")
    private Map<String, List<String>> alerts(Path pcap, String validation, String engine) throws Exception {
        Path eve = dir.resolve("eve-" + validation + "-" + engine + ".json");
        Run r = Run.judo("scan", "--engine", engine, "--checksum-validation", validation, "--rules",
                rules().toString(), "--eve", eve.toString(), pcap.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, List<String>> got = new TreeMap<>();
        for (String k : KEYWORDS) {
            got.put(k + ":valid", new ArrayList<>());
            got.put(k + ":invalid", new ArrayList<>());
        }
        for (String line : Files.readAllLines(eve)) {
            Map<String, Object> e = (Map<String, Object>) Json.parse(line);
            if ("alert".equals(e.get("event_type"))) {
                String msg = (String) ((Map<String, Object>) e.get("alert")).get("signature");
                got.get(msg).add((String) e.get("src_ip"));
            }
        }
        return got;
    }

    private static Map<String, List<String>> expected(String... pairs) {
        Map<String, List<String>> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1].isEmpty() ? List.of() : List.of(pairs[i + 1].split(" ")));
        }
        return m;
    }

    @Test
    void withValidationEachRuleAlertsOnExactlyItsGoodOrBadPackets() throws Exception {
        Path pcap = capture();
        Map<String, List<String>> got = alerts(pcap, "on");
        assertEquals(got, alerts(pcap, "on", "interp"), "the interpreter and the JIT agree");
        // Judo holds the fragments and inspects the datagram they rebuild, whose UDP checksum is judged over all
        // its bytes (a fragment's own UDP checksum covers bytes of the other: it is never judged) and whose header
        // the defragmenter writes afresh; a fragment with a wrong header is inspected on its own as well
        assertEquals(expected(
                "ipv4-csum:valid", String.join(" ", v4(0), v4(1), v4(4), v4(5), v4(8), v4(9), v4(13), FRAGMENTED,
                        BAD_FRAGMENT),
                "ipv4-csum:invalid", v4(12) + " " + BAD_FRAGMENT,
                "tcpv4-csum:valid", v4(0), "tcpv4-csum:invalid", v4(1),
                "tcpv6-csum:valid", v6(2), "tcpv6-csum:invalid", v6(3),
                "udpv4-csum:valid", String.join(" ", v4(4), v4(12), BAD_FRAGMENT),
                "udpv4-csum:invalid", v4(5) + " " + FRAGMENTED,
                "udpv6-csum:valid", v6(6), "udpv6-csum:invalid", v6(7),
                "icmpv4-csum:valid", v4(8), "icmpv4-csum:invalid", v4(9),
                "icmpv6-csum:valid", v6(10), "icmpv6-csum:invalid", v6(11)), got);
    }

    @Test
    void withoutValidationEveryJudgedChecksumIsValid() throws Exception {
        Path pcap = capture();
        Map<String, List<String>> off = expected(
                "ipv4-csum:valid", String.join(" ", v4(0), v4(1), v4(4), v4(5), v4(8), v4(9), v4(12), v4(13),
                        FRAGMENTED, BAD_FRAGMENT),
                "ipv4-csum:invalid", "",
                "tcpv4-csum:valid", v4(0) + " " + v4(1), "tcpv4-csum:invalid", "",
                "tcpv6-csum:valid", v6(2) + " " + v6(3), "tcpv6-csum:invalid", "",
                "udpv4-csum:valid", String.join(" ", v4(4), v4(5), v4(12), FRAGMENTED, BAD_FRAGMENT),
                "udpv4-csum:invalid", "",
                "udpv6-csum:valid", v6(6) + " " + v6(7), "udpv6-csum:invalid", "",
                "icmpv4-csum:valid", v4(8) + " " + v4(9), "icmpv4-csum:invalid", "",
                "icmpv6-csum:valid", v6(10) + " " + v6(11), "icmpv6-csum:invalid", "");
        assertEquals(off, alerts(pcap, "off"));
        // auto samples 5 bad of 12 TCP/UDP packets: offloading, read without validation
        assertEquals(off, alerts(pcap, "auto"));
    }

    /**
     * tshark with every checksum check on judges each packet's IPv4 and transport checksums; Judo's {@code :valid}
     * and {@code :invalid} rules, with validation on, must alert on the packets tshark calls good and bad (tshark
     * checks the fragmented datagram's UDP checksum on the frame that completes it, Judo on the rebuilt datagram).
     */
    @Test
    void tsharkJudgesTheSamePacketsGoodAndBad() throws Exception {
        ExternalTools.require("tshark");
        Path pcap = capture();
        String out = ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E",
                "separator=,", "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.checksum.status", "-e",
                "tcp.checksum.status", "-e", "udp.checksum.status", "-e", "icmp.checksum.status", "-e",
                "icmpv6.checksum.status");
        Map<String, List<String>> oracle = new TreeMap<>();
        for (String k : KEYWORDS) {
            oracle.put(k + ":valid", new ArrayList<>());
            oracle.put(k + ":invalid", new ArrayList<>());
        }
        for (String line : out.strip().split("\n")) {
            String[] f = line.split(",", -1);
            boolean six = f[0].isEmpty();
            String src = six ? f[1] : f[0];
            judge(oracle, "ipv4-csum", src, f[2]);
            judge(oracle, six ? "tcpv6-csum" : "tcpv4-csum", src, f[3]);
            judge(oracle, six ? "udpv6-csum" : "udpv4-csum", src, f[4]);
            judge(oracle, "icmpv4-csum", src, f[5]);
            judge(oracle, "icmpv6-csum", src, f[6]);
        }
        Map<String, List<String>> judo = alerts(pcap, "on");
        for (String k : oracle.keySet()) {
            // tshark judges each fragment's IPv4 header, Judo the one of the datagram they rebuild (and a fragment's
            // own when it is wrong, which both call bad); tshark does not rebuild a datagram from a fragment whose
            // header checksum is wrong, so it leaves that datagram's UDP checksum unverified where Judo (as
            // Suricata's defragmenter) rebuilds it and finds it good
            if (k.equals("ipv4-csum:valid")) {
                oracle.get(k).removeIf(FRAGMENTED::equals);
                judo.get(k).removeIf(FRAGMENTED::equals);
            }
            if (!k.equals("ipv4-csum:invalid")) {
                oracle.get(k).removeIf(BAD_FRAGMENT::equals);
                judo.get(k).removeIf(BAD_FRAGMENT::equals);
            }
            assertEquals(oracle.get(k), judo.get(k), k + "; tshark said:\n" + out);
        }
    }

    /**
     * One checksum verdict of tshark: 1 good, 0 bad (older tshark spells them "Good" and "Bad"); 2 unverified and 3
     * not present judge nothing.
     */
    private static void judge(Map<String, List<String>> oracle, String keyword, String src, String status) {
        if (status.equals("1") || status.equalsIgnoreCase("good")) {
            oracle.get(keyword + ":valid").add(src);
        } else if (status.equals("0") || status.equalsIgnoreCase("bad")) {
            oracle.get(keyword + ":invalid").add(src);
        }
    }
}
