package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.build.TcpConversation;
import io.judo.reassembly.OverlapPolicy;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.Variables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code decode-event} and {@code stream-event} through the whole detection path. Each malformed packet is a valid
 * built frame with bytes changed by hand (the change, and so the malformation, is written next to it); the rules are
 * one per mapped Suricata event, written as Suricata's decoder-events.rules writes them, and each packet must alert
 * exactly the events its malformation covers (several where Judo's reason is coarser than Suricata's events, as
 * docs/RULES.md says). Packets whose decoding stopped before the IP header are inspected too.
 */
class EngineEventDetectionTest {
    private static final String A = "192.0.2.1";
    private static final String B = "198.51.100.2";
    /** Ethernet header length: the IPv4 header of a built frame starts here. */
    private static final int IP = 14;

    private static final List<String> DECODER = List.of("ipv4.pkt_too_small", "ipv4.hlen_too_small",
            "ipv4.iplen_smaller_than_hlen", "ipv4.trunc_pkt", "ipv4.opt_invalid_len", "ipv4.opt_malformed",
            "ipv4.wrong_ip_version", "ipv6.wrong_ip_version", "ipraw.invalid_ip_version", "ipv6.pkt_too_small",
            "ipv6.trunc_pkt", "tcp.pkt_too_small", "tcp.hlen_too_small", "tcp.invalid_optlen", "tcp.opt_invalid_len",
            "udp.hlen_too_small", "udp.pkt_too_small", "udp.len_invalid", "icmpv4.pkt_too_small",
            "ethernet.pkt_too_small", "sll.pkt_too_small", "vlan.header_too_small", "ipv4.frag_pkt_too_large",
            "ipv6.frag_pkt_too_large", "gre.pkt_too_small", "too_many_layers");

    /** The decoder events (by name) each frame alone raises, one alert per rule. */
    private static Set<String> raised(byte[] frame) {
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < DECODER.size(); i++) {
            rules.append("alert pkthdr any any -> any any (msg:\"").append(DECODER.get(i)).append("\"; decode-event:")
                    .append(DECODER.get(i)).append("; classtype:protocol-command-decode; sid:").append(100 + i)
                    .append("; rev:1;)\n");
        }
        Set<String> out = new TreeSet<>();
        for (Alert a : run(rules.toString(), List.of(frame), StreamConfig.defaults())) {
            assertTrue(out.add(a.rule().msg()), "one alert per rule and packet: " + a.rule().msg());
        }
        return out;
    }

    private static List<Alert> run(String rules, List<byte[]> frames, StreamConfig config) {
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(rules, "case.rules");
        assertTrue(loader.errors().isEmpty(), () -> loader.errors().get(0).display());
        assertTrue(loader.skips().isEmpty(), () -> loader.skips().keySet().toString());
        CompiledRuleSet set = RuleSetCompiler.compile(loader.rules());
        List<Alert> alerts = new ArrayList<>();
        try (Detector d = new Detector(set, Engine.DFA, config, true, alerts::add)) {
            Replay.frames(frames, d::packet);
            d.finish();
        }
        return alerts;
    }

    private static byte[] udp() {
        return PacketBuilder.ethernet().ipv4(A, B).udp(4000, 53).payload("hello").build();
    }

    private static byte[] tcp() {
        return PacketBuilder.ethernet().ipv4(A, B).tcp(40000, 80).seq(1).flags(TcpFlags.ACK).payload("hello").build();
    }

    /** Sets the IPv4 total length (the header checksum is left stale: a bad checksum names no Suricata event). */
    private static byte[] totalLength(byte[] f, int length) {
        f[IP + 2] = (byte) (length >>> 8);
        f[IP + 3] = (byte) length;
        return f;
    }

    @Test
    void aWellFormedPacketRaisesNothing() {
        assertEquals(Set.of(), raised(udp()));
        assertEquals(Set.of(), raised(tcp()));
    }

    @Test
    void ipv4() {
        // 19 bytes of IPv4 header: below the 20-byte minimum
        assertEquals(Set.of("ipv4.pkt_too_small"), raised(Arrays.copyOf(udp(), IP + 19)));
        byte[] ihl = udp();
        ihl[IP] = 0x44; // IHL 4 words = 16 bytes
        assertEquals(Set.of("ipv4.hlen_too_small"), raised(ihl));
        // total length 10, below the 20-byte header: Judo's one reason covers both Suricata events
        assertEquals(Set.of("ipv4.iplen_smaller_than_hlen", "ipv4.trunc_pkt"), raised(totalLength(udp(), 10)));
        // total length past the frame, which the capture did not cut
        assertEquals(Set.of("ipv4.iplen_smaller_than_hlen", "ipv4.trunc_pkt"), raised(totalLength(udp(), 200)));
        byte[] version = udp();
        version[IP] = 0x65; // version 6 under the IPv4 EtherType
        assertEquals(Set.of("ipv4.wrong_ip_version", "ipraw.invalid_ip_version"), raised(version));
        // option 7 (record route) with length 1: below the 2 bytes of kind and length
        byte[] options = PacketBuilder.ethernet().ipv4(A, B).ipv4Options((byte) 7, (byte) 1, (byte) 0, (byte) 0)
                .udp(4000, 53).payload("hello").build();
        assertEquals(Set.of("ipv4.opt_invalid_len", "ipv4.opt_malformed"), raised(options));
        // a fragment at offset 65528 carrying 16 bytes reaches past 65535
        byte[] fragment = PacketBuilder.ethernet().ipv4(A, B).fragment(65528, false, 7).udp(4000, 53)
                .payload("0123456789").build();
        assertEquals(Set.of("ipv4.frag_pkt_too_large"), raised(fragment));
    }

    @Test
    void ipv6() {
        byte[] v6 = PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2").udp(4000, 53).payload("hello").build();
        assertEquals(Set.of(), raised(v6));
        assertEquals(Set.of("ipv6.pkt_too_small"), raised(Arrays.copyOf(v6, IP + 39)));
        byte[] length = v6.clone();
        length[IP + 4] = 0x01; // payload length 256 + 13, past the frame
        assertEquals(Set.of("ipv6.trunc_pkt"), raised(length));
        byte[] version = v6.clone();
        version[IP] = 0x40; // version 4 under the IPv6 EtherType
        assertEquals(Set.of("ipv6.wrong_ip_version", "ipraw.invalid_ip_version"), raised(version));
    }

    @Test
    void transport() {
        // the datagram ends 10 bytes into the TCP header
        assertEquals(Set.of("tcp.pkt_too_small"), raised(totalLength(tcp(), 20 + 10)));
        byte[] offset = tcp();
        offset[IP + 20 + 12] = 0x40; // data offset 4 words = 16 bytes
        assertEquals(Set.of("tcp.hlen_too_small", "tcp.invalid_optlen"), raised(offset));
        // MSS (kind 2) with length 3 instead of 4, then a NOP
        byte[] mss = PacketBuilder.ethernet().ipv4(A, B).tcp(40000, 80).seq(1).flags(TcpFlags.ACK)
                .tcpOptionBytes((byte) 2, (byte) 3, (byte) 5, (byte) 1).payload("hello").build();
        assertEquals(Set.of("tcp.opt_invalid_len"), raised(mss));
        // the datagram ends 4 bytes into the UDP header
        assertEquals(Set.of("udp.hlen_too_small"), raised(totalLength(udp(), 20 + 4)));
        byte[] udpLength = udp();
        udpLength[IP + 20 + 5] = 4; // UDP length 4, below its 8-byte header
        assertEquals(Set.of("udp.len_invalid", "udp.pkt_too_small"), raised(udpLength));
        byte[] icmp = PacketBuilder.ethernet().ipv4(A, B).icmp(8, 0, 0).payload("ping").build();
        assertEquals(Set.of(), raised(icmp));
        assertEquals(Set.of("icmpv4.pkt_too_small"), raised(totalLength(icmp, 20 + 3)));
    }

    @Test
    void linkLayer() {
        // 10 bytes: not even an Ethernet header; the Ethernet event only (the SLL and NULL ones need their link)
        assertEquals(Set.of("ethernet.pkt_too_small"), raised(Arrays.copyOf(udp(), 10)));
        // a VLAN tag cut after 2 bytes: Ethernet was seen too, so both of Suricata's events of the reason fire
        byte[] vlan = PacketBuilder.ethernet().vlan(10).ipv4(A, B).udp(4000, 53).payload("x").build();
        assertEquals(Set.of(), raised(vlan));
        assertEquals(Set.of("ethernet.pkt_too_small", "vlan.header_too_small"), raised(Arrays.copyOf(vlan, 16)));
    }

    @Test
    void theEventMustHoldWithTheRestOfTheRule() {
        String rules = "alert tcp any any -> any any (msg:\"t\"; decode-event:tcp.opt_invalid_len; content:\"hello\"; "
                + "sid:1;)\nalert udp any any -> any any (msg:\"u\"; decode-event:tcp.opt_invalid_len; sid:2;)\n"
                + "alert pkthdr any any -> any any (msg:\"plain\"; sid:3;)\n";
        byte[] mss = PacketBuilder.ethernet().ipv4(A, B).tcp(40000, 80).seq(1).flags(TcpFlags.ACK)
                .tcpOptionBytes((byte) 2, (byte) 3, (byte) 5, (byte) 1).payload("hello").build();
        List<Long> sids = run(rules, List.of(mss, tcp(), Arrays.copyOf(udp(), IP + 19)), StreamConfig.defaults())
                .stream().map(a -> a.rule().sid()).toList();
        // sid 3 needs an IP packet, as an ip rule does: not the one cut inside its IPv4 header
        assertEquals(List.of(1L, 3L, 3L), sids);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static final String STREAM_RULES = String.join("\n",
            "alert tcp any any -> any any (msg:\"SURICATA STREAM reassembly overlap with different data\"; "
                    + "stream-event:reassembly_overlap_different_data; classtype:protocol-command-decode; "
                    + "sid:2210050; rev:2;)",
            "alert tcp any any -> any any (msg:\"SURICATA STREAM reassembly sequence GAP -- missing packet(s)\"; "
                    + "stream-event:reassembly_seq_gap; classtype:protocol-command-decode; sid:2210048; rev:2;)", "");

    /** Segment of the client's stream at relative offset {@code at} (the SYN's ISN is 1000). */
    private static byte[] segment(long at, String data) {
        return PacketBuilder.ethernet().ipv4("192.168.1.10", "203.0.113.80").tcp(40000, 80).seq(1001 + at)
                .ack(5001).flags(TcpFlags.ACK | TcpFlags.PSH).payload(data).build();
    }

    /** The frames of a handshake (client ISN 1000, server ISN 5000). */
    private static List<byte[]> handshake() {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "192.168.1.10", 40000, "203.0.113.80", 80,
                1000, 5000);
        return new ArrayList<>(c.handshake().frames().stream().map(TcpConversation.Frame::bytes).toList());
    }

    /** Sid and the index (in {@code frames}) of the packet each alert came from. */
    private static List<String> streamAlerts(List<byte[]> frames, StreamConfig config) {
        List<String> out = new ArrayList<>();
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(STREAM_RULES, "s.rules");
        CompiledRuleSet set = RuleSetCompiler.compile(loader.rules());
        int[] index = {-1};
        try (Detector d = new Detector(set, Engine.DFA, config, true, a -> out.add(a.rule().sid() + "@" + index[0]))) {
            Replay.frames(frames, (v, t) -> {
                index[0]++;
                d.packet(v, t);
            });
            d.finish();
        }
        return out;
    }

    @Test
    void overlapWithDifferentDataAlertsOnTheOverlappingSegment() {
        List<byte[]> frames = handshake(); // 0..2
        frames.add(segment(0, "GET /a HTTP/1.0\r\n")); // 3
        frames.add(segment(0, "GET /a HTTP/1.0\r\n")); // 4: the same bytes again, no event
        frames.add(segment(4, "/b")); // 5: offsets 4..5 held "/a": different data
        assertEquals(List.of("2210050@5"), streamAlerts(frames, StreamConfig.defaults()));
    }

    @Test
    void aGapDeclaredLostAlertsOnTheSegmentThatMadeReassemblyGiveUp() {
        StreamConfig config = new StreamConfig(OverlapPolicy.FIRST, Long.MAX_VALUE, 100, 4 << 20);
        List<byte[]> frames = handshake();
        frames.add(segment(0, "0123456789")); // 3: in order
        // 4, 5: bytes 10..49 never come; 60 and then 60 more bytes wait beyond the hole, past the 100-byte window
        frames.add(segment(50, "x".repeat(60)));
        frames.add(segment(110, "y".repeat(60)));
        assertEquals(List.of("2210048@5"), streamAlerts(frames, config));
        // the same without the hole: no event
        List<byte[]> whole = handshake();
        whole.add(segment(0, "0123456789"));
        whole.add(segment(10, "z".repeat(40)));
        whole.add(segment(50, "x".repeat(60)));
        whole.add(segment(110, "y".repeat(60)));
        assertEquals(List.of(), streamAlerts(whole, config));
    }
}
