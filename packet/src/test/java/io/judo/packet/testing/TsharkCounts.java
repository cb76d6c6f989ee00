package io.judo.packet.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-protocol packet counts as tshark sees a capture: the oracle for Judo's decoders. IP reassembly and TCP
 * desegmentation are switched off so that tshark, like Judo's decoder, looks at one packet at a time.
 *
 * <p>Counting walks each frame's {@code frame.protocols} down through tunnels (GRE, ERSPAN, IP-in-IP, VXLAN, Geneve,
 * Teredo) and link encapsulations (MPLS, PPPoE, PPP, NSH) to the innermost transport protocol, the depth Judo
 * decodes to; each protocol counts once per frame, and an ICMP-quoted inner header is not counted.
 */
public final class TsharkCounts {
    private TsharkCounts() {
    }

    /** Keys: "packets" and Judo's protocol labels (ethernet, vlan, ipv4, ipv6, tcp, udp, icmp, icmpv6, fragments...). */
    public static Map<String, Long> of(Path capture) throws IOException, InterruptedException {
        return of(capture, new String[0]);
    }

    /** As {@link #of(Path)} with more tshark options (a {@code -d} decode-as where tshark's heuristics guess). */
    public static Map<String, Long> of(Path capture, String... options) throws IOException, InterruptedException {
        ExternalTools.require("tshark");
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE",
                "-o", "ip.check_checksum:FALSE",
                "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,", "-E", "separator=/t",
                "-e", "frame.protocols", "-e", "ip.flags.mf", "-e", "ip.frag_offset"));
        String out = ExternalTools.run(command);
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
        Set<String> seen = new TreeSet<>();
        String lastIp = null; // the IP layer just before this one, for IP-in-IP
        // One entry per IPv4 header in the frame, quoted ones included: only those the walk passes count.
        String[] mfs = mf.split(",", -1);
        String[] offsets = fragOffset.split(",", -1);
        int ipv4Index = 0;
        walk:
        for (String l : layers) {
            String ip = null;
            switch (l) {
                case "eth": seen.add("ethernet"); break;
                case "sll": seen.add("sll"); break;
                case "null": seen.add("loopback"); break;
                case "nflog": seen.add("nflog"); break;
                case "vlan": seen.add("vlan"); break;
                case "ethertype": case "llc": case "raw": case "ieee8021ad": case "pwethcw": case "pwethnocw":
                case "pwethheuristic": case "pwach":
                    break;
                case "arp": seen.add("arp"); break walk;
                case "mpls": seen.add("mpls"); break;
                case "pppoes": case "pppoed": seen.add("pppoe"); break;
                case "ppp": seen.add("ppp"); break;
                case "nsh": seen.add("nsh"); break;
                case "gre": seen.add("gre"); break;
                case "erspan": seen.add("erspan"); break;
                case "vxlan": seen.add("vxlan"); break;
                case "geneve": seen.add("geneve"); break;
                case "teredo": seen.add("teredo"); break;
                case "ip": case "ipv6":
                    ip = l.equals("ip") ? "ipv4" : "ipv6";
                    seen.add(ip);
                    if (l.equals("ip")) {
                        String flag = ipv4Index < mfs.length ? mfs[ipv4Index] : "";
                        String offset = ipv4Index < offsets.length ? offsets[ipv4Index] : "";
                        ipv4Index++;
                        boolean mfSet = "1".equals(flag) || "True".equalsIgnoreCase(flag);
                        if (mfSet || !offset.isEmpty() && !"0".equals(offset)) {
                            seen.add("fragments");
                        }
                    }
                    if (lastIp != null) {
                        seen.add(ip + "_in_" + lastIp);
                    }
                    break;
                case "ipv6.fraghdr": seen.add("fragments"); ip = lastIp; break;
                case "ah": ip = lastIp; break;
                case "tcp": seen.add("tcp"); break walk;
                case "icmp": seen.add("icmp"); break walk;
                case "icmpv6": seen.add("icmpv6"); break walk;
                case "udp": seen.add("udp"); break; // a UDP encapsulation may follow
                default:
                    if (l.startsWith("ipv6.")) {
                        ip = lastIp;
                        break;
                    }
                    break walk;
            }
            lastIp = ip;
        }
        seen.forEach(k -> inc(counts, k));
    }

    private static void inc(Map<String, Long> counts, String key) {
        counts.merge(key, 1L, Long::sum);
    }
}
