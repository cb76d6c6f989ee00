package io.judo.packet.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-protocol packet counts as tshark sees a capture: the oracle for Judo's decoders. IP reassembly and TCP
 * desegmentation are switched off so that tshark, like Judo's decoder, looks at one packet at a time.
 *
 * <p>Counting walks each frame's {@code frame.protocols} up to the first transport protocol, the same depth Judo
 * decodes to: a tunnelled or ICMP-quoted inner header is not counted again.
 */
public final class TsharkCounts {
    private TsharkCounts() {
    }

    /** Keys: "packets" and Judo's protocol labels (ethernet, vlan, ipv4, ipv6, tcp, udp, icmp, icmpv6, fragments...). */
    public static Map<String, Long> of(Path capture) throws IOException, InterruptedException {
        ExternalTools.require("tshark");
        String out = ExternalTools.run("tshark", "-n", "-r", capture.toString(),
                "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE",
                "-o", "ip.check_checksum:FALSE",
                "-T", "fields", "-E", "occurrence=f", "-E", "separator=/t",
                "-e", "frame.protocols", "-e", "ip.flags.mf", "-e", "ip.frag_offset");
        Map<String, Long> counts = new TreeMap<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            inc(counts, "packets");
            walk(counts, f[0].split(":"), f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : "");
        }
        return counts;
    }

    private static void walk(Map<String, Long> counts, String[] layers, String mf, String fragOffset) {
        boolean sawIp = false;
        boolean sawVlan = false;
        for (int i = 0; i < layers.length; i++) {
            String l = layers[i];
            switch (l) {
                case "eth": inc(counts, "ethernet"); continue;
                case "sll": inc(counts, "sll"); continue;
                case "null": inc(counts, "loopback"); continue;
                case "nflog": inc(counts, "nflog"); continue;
                case "vlan":
                    if (!sawVlan) {
                        inc(counts, "vlan");
                        sawVlan = true;
                    }
                    continue;
                case "ethertype": case "llc": case "raw": case "ieee8021ad": continue;
                case "arp": inc(counts, "arp"); return;
                case "ip":
                    inc(counts, "ipv4");
                    sawIp = true;
                    if ("1".equals(mf) || "True".equalsIgnoreCase(mf) || (!fragOffset.isEmpty() && !"0".equals(fragOffset))) {
                        inc(counts, "fragments");
                    }
                    break;
                case "ipv6":
                    inc(counts, "ipv6");
                    sawIp = true;
                    break;
                default:
                    if (!sawIp) {
                        return;
                    }
            }
            if (sawIp) {
                // After the IP header: IPv6 extension headers, then the first upper layer decides.
                for (int j = i + 1; j < layers.length; j++) {
                    String u = layers[j];
                    if (u.equals("ipv6.fraghdr")) {
                        inc(counts, "fragments");
                        continue;
                    }
                    if (u.startsWith("ipv6.") || u.equals("ah")) {
                        continue;
                    }
                    switch (u) {
                        case "tcp": inc(counts, "tcp"); return;
                        case "udp": inc(counts, "udp"); return;
                        case "icmp": inc(counts, "icmp"); return;
                        case "icmpv6": inc(counts, "icmpv6"); return;
                        default: return;
                    }
                }
                return;
            }
        }
    }

    private static void inc(Map<String, Long> counts, String key) {
        counts.merge(key, 1L, Long::sum);
    }
}
