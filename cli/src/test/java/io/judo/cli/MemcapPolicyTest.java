package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.decode.LinkType;
import io.judo.packet.testing.Frames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stream.reassembly.memcap-policy} with the behaviour Suricata's exception-policy documentation gives each
 * value: a connection whose client sends a 200-byte segment far ahead of its stream while the reassembly memcap is
 * 100 bytes (the memcap hit, frame 5 of 7), then the server's answer carrying "AFTER" (frame 6), which a rule looks
 * for. A flow policy takes the rest of the connection out of detection (and, in IPS mode, drops it); a packet policy
 * only the packet that hit the memcap.
 */
class MemcapPolicyTest {
    @TempDir
    Path dir;

    private Path pcap;
    private Path rules;

    @BeforeEach
    void capture() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        new TcpConversation(PacketBuilder::ethernet, "10.0.0.1", 40000, "10.0.0.80", 80, 1000, 5000).handshake()
                .frames().forEach(f -> frames.add(f.bytes())); // frames 1-3
        frames.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.80").tcp(40000, 80).seq(1001).ack(5001)
                .flags(TcpFlags.ACK | TcpFlags.PSH).payload("GET / HTTP/1.1\r\n").build()); // 4: in order
        frames.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.80").tcp(40000, 80).seq(1001 + 1000).ack(5001)
                .flags(TcpFlags.ACK | TcpFlags.PSH).payload("x".repeat(200)).build()); // 5: out of order, > memcap
        frames.add(PacketBuilder.ethernet().ipv4("10.0.0.80", "10.0.0.1").tcp(80, 40000).seq(5001).ack(1017)
                .flags(TcpFlags.ACK | TcpFlags.PSH).payload("HTTP/1.1 200 OK\r\nX: AFTER\r\n\r\n").build()); // 6
        frames.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.80").tcp(40000, 80).seq(1017).ack(5029)
                .flags(TcpFlags.ACK).build()); // 7
        pcap = Frames.writePcap(dir.resolve("memcap.pcap"), LinkType.ETHERNET, frames);
        rules = Files.writeString(dir.resolve("m.rules"),
                "alert tcp any 80 -> any any (msg:\"after\"; flow:to_client; content:\"AFTER\"; sid:1;)\n");
    }

    private Run scan(String policy, boolean ips) {
        List<String> args = new ArrayList<>(List.of("scan", "--rules", rules.toString(), "--set",
                "stream.reassembly.memcap=100"));
        if (policy != null) {
            args.addAll(List.of("--set", "stream.reassembly.memcap-policy=" + policy));
        }
        if (ips) {
            args.add("--simulate-ips");
        }
        args.add(pcap.toString());
        Run r = Run.judo(args.toArray(new String[0]));
        assertEquals(0, r.status(), policy + ": " + r.err());
        return r;
    }

    @Test
    void idsMode() {
        // ignore (and auto in IDS mode): the segment is refused, detection goes on; packet policies likewise
        for (String policy : new String[] {null, "auto", "ignore", "drop-packet", "pass-packet"}) {
            assertTrue(scan(policy, false).out().contains("alerts     1"), policy + ": " + scan(policy, false).out());
        }
        // flow policies: "disable inspection for the whole flow"; bypass: "no further inspection"
        for (String policy : new String[] {"drop-flow", "reject", "pass-flow", "bypass"}) {
            Run r = scan(policy, false);
            assertTrue(r.out().contains("alerts     0"), policy + ": " + r.out());
        }
    }

    @Test
    void ipsMode() {
        // auto means drop-flow: frames 5, 6 and 7 are dropped, the answer unseen
        for (String policy : new String[] {null, "auto", "drop-flow", "reject"}) {
            Run r = scan(policy, true);
            assertTrue(r.out().contains("ips        simulated: 3 packets dropped, 1 flows dropped"), policy + ": "
                    + r.out());
            assertTrue(r.out().contains("alerts     0"), policy + ": " + r.out());
        }
        Run packet = scan("drop-packet", true);
        assertTrue(packet.out().contains("ips        simulated: 1 packets dropped, 0 flows dropped")
                && packet.out().contains("alerts     1"), packet.out());
        Run pass = scan("pass-flow", true);
        assertTrue(pass.out().contains("ips        simulated: 0 packets dropped")
                && pass.out().contains("alerts     0"),
                pass.out());
        Run bad = Run.judo("scan", "--rules", rules.toString(), "--set", "stream.reassembly.memcap-policy=never",
                pcap.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("stream.reassembly.memcap-policy: expected one of auto, ignore"), bad.err());
    }
}
