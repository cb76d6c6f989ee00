package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.decode.LinkType;
import io.judo.packet.testing.Frames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stream.midstream} and {@code stream.midstream-policy}, with the behaviour Suricata's exception-policy
 * documentation gives each value (its "Exception Policy Behaviors" tables for IDS and IPS mode): one HTTP connection
 * with its handshake and one picked up mid-stream (its first packet is the request), and which of them rules see.
 */
class MidstreamPolicyTest {
    @TempDir
    Path dir;

    private Path pcap;
    private Path rules;
    /** The mid-stream connection's packets (all of them are dropped when its session is dropped). */
    private int midstreamPackets;

    private static final String RULES = String.join("\n",
            "alert tcp any any -> any 80 (msg:\"request\"; flow:established,to_server; content:\"GET /\"; sid:1;)",
            "alert http any any -> any any (msg:\"uri\"; http.uri; content:\"/\"; sid:2;)", "");

    @BeforeEach
    void capture() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        byte[] response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        TcpConversation whole = new TcpConversation(PacketBuilder::ethernet, "10.0.0.1", 40001, "10.0.0.80", 80,
                1000, 5000).clock(1_700_000_000_000_000_000L, 1_000_000L);
        whole.handshake().clientSends("GET /whole HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends(response).close();
        whole.frames().forEach(f -> frames.add(f.bytes()));
        TcpConversation middle = new TcpConversation(PacketBuilder::ethernet, "10.0.0.2", 40002, "10.0.0.80", 80,
                2000, 6000).clock(1_700_000_001_000_000_000L, 1_000_000L);
        middle.clientSends("GET /middle HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends(response).close();
        middle.frames().forEach(f -> frames.add(f.bytes()));
        midstreamPackets = middle.frames().size();
        pcap = Frames.writePcap(dir.resolve("m.pcap"), LinkType.ETHERNET, frames);
        rules = dir.resolve("m.rules");
        Files.writeString(rules, RULES);
    }

    private Run scan(String... options) {
        List<String> args = new ArrayList<>(List.of("scan", "--rules", rules.toString()));
        args.addAll(List.of(options));
        args.add(pcap.toString());
        return Run.judo(args.toArray(new String[0]));
    }

    @Test
    void pickedUpByDefaultAndUntrackedWhenMidstreamIsOff() throws Exception {
        Run picked = scan();
        assertEquals(0, picked.status(), picked.err());
        // both connections' URIs; the stream rule's flow:established only in the whole one (Judo's reading of
        // established for a flow picked up mid-stream: both sides sent; its request is its first packet)
        assertTrue(picked.out().contains("alerts     3") && picked.out().contains("2  [1:2:0] uri"), picked.out());

        // stream.midstream: false (Suricata's default in its stock suricata.yaml), IDS: the session is not tracked,
        // not parsed, not inspected; its flow is still counted and logged
        Path yaml = dir.resolve("suricata.yaml");
        Files.writeString(yaml, "%YAML 1.1\n---\nstream:\n  midstream: false\n");
        Path eve = dir.resolve("eve.json");
        Run off = scan("-c", yaml.toString(), "--eve", eve.toString());
        assertEquals(0, off.status(), off.err());
        assertTrue(off.out().contains("alerts     2"), off.out());
        assertTrue(off.out().contains("http       1 flows"), off.out());
        assertTrue(Files.readAllLines(eve).stream().anyMatch(l -> l.contains("\"event_type\":\"flow\"")
                && l.contains("\"src_port\":40002")), "the untracked flow's record");
        // the same with --set, and the policies that leave it untracked the same way
        for (String policy : new String[] {"ignore", "bypass", "pass-flow", "auto", "reject"}) {
            Run r = scan("--set", "stream.midstream=false", "--set", "stream.midstream-policy=" + policy);
            assertEquals(0, r.status(), policy + ": " + r.err());
            assertTrue(r.out().contains("alerts     2"), policy + ": " + r.out());
        }
    }

    @Test
    void passFlowParsesAMidstreamSessionButDoesNotInspectIt() throws Exception {
        Path eve = dir.resolve("eve.json");
        Run r = scan("--set", "stream.midstream=true", "--set", "stream.midstream-policy=pass-flow", "--eve",
                eve.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("alerts     2"), r.out());
        // "track session, inspect and log app-layer traffic, no detection"
        assertTrue(Files.readAllLines(eve).stream().anyMatch(l -> l.contains("\"event_type\":\"http\"")
                && l.contains("/middle")), "the mid-stream session's HTTP record");
        assertTrue(Files.readAllLines(eve).stream().noneMatch(l -> l.contains("\"event_type\":\"alert\"")
                && l.contains("\"src_port\":40002")), "no alert in it");
    }

    @Test
    void inIpsModeAnUntrackedSessionIsDropped() {
        // IPS, midstream off: auto means drop-flow, so every packet of the mid-stream connection is dropped
        for (String policy : new String[] {"auto", "drop-flow", "reject"}) {
            Run r = scan("--simulate-ips", "--set", "stream.midstream=false", "--set",
                    "stream.midstream-policy=" + policy);
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains(String.format("ips        simulated: %d packets dropped, 1 flows dropped",
                    midstreamPackets)), policy + ": " + r.out());
            assertTrue(r.out().contains("alerts     2"), r.out());
        }
        Run allowed = scan("--simulate-ips", "--set", "stream.midstream=false", "--set",
                "stream.midstream-policy=bypass");
        assertTrue(allowed.out().contains("ips        simulated: 0 packets dropped, 0 flows dropped"), allowed.out());
    }

    @Test
    void valuesSuricataRefusesAreOneErrorLine() throws Exception {
        Run packet = scan("--set", "stream.midstream=false", "--set", "stream.midstream-policy=drop-packet");
        assertEquals(2, packet.status());
        assertTrue(packet.err().contains("stream.midstream-policy: drop-packet is not valid for sessions picked up "
                + "mid-stream with stream.midstream false in IDS mode"), packet.err());
        Run idsDrop = scan("--set", "stream.midstream=false", "--set", "stream.midstream-policy=drop-flow");
        assertEquals(2, idsDrop.status(), idsDrop.err());
        Run picked = scan("--set", "stream.midstream-policy=bypass");
        assertEquals(2, picked.status(), picked.err());
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "%YAML 1.1\n---\nstream:\n  midstream: false\n  midstream-policy: sometimes\n");
        Run bad = scan("-c", yaml.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("bad.yaml:5: stream.midstream-policy: expected one of auto, ignore"),
                bad.err());
        assertEquals(1, bad.err().lines().filter(l -> l.contains("bad.yaml")).count(), bad.err());
    }
}
