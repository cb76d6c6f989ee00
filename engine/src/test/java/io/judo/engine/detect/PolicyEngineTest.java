package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.judo.JudoCompiler;
import io.judo.rules.judo.JudoParser;
import io.judo.vm.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Judo-language policies on traffic built with the project's builders; every expected verdict is hand-checked. */
class PolicyEngineTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static PolicyEngine engine(String text) {
        JudoParser.Result r = JudoParser.parse(text, "test.judo");
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        return new PolicyEngine(JudoCompiler.compile(r.policy()), Engine.DFA, StreamConfig.defaults(), true,
                l -> { });
    }

    /** The verdict of every frame, in order. */
    private static List<Integer> run(PolicyEngine e, List<byte[]> frames) {
        List<Integer> out = new ArrayList<>();
        Replay.frames(frames, (v, t) -> out.add(e.packet(v, t)));
        return out;
    }

    private static List<byte[]> frames(TcpConversation c) {
        return c.frames().stream().map(TcpConversation.Frame::bytes).toList();
    }

    @Test
    void theIssuesLinesBlockTelnetTagApacheAndQueueTaggedWebTraffic() {
        String policy = String.join("\n",
                "queue web rate 100M prio 3",
                "block quick proto tcp from any to any port 23",
                "match proto tcp from any port 80 content \"Server: Apache\" tag APACHE",
                "match proto tcp from any port 80 replace \"Server: Apache\" with \"Server: Judo-rewrite-engine/1.0\"",
                "pass proto tcp from any to 10.0.0.0/8 port { 80 443 } tagged APACHE set queue web flags any");
        PolicyEngine e = engine(policy);
        byte[] telnet = PacketBuilder.ethernet().ipv4("192.168.1.10", "10.0.0.23").tcp(40001, 23).seq(1)
                .flags(TcpFlags.SYN).build();
        TcpConversation web = new TcpConversation(PacketBuilder::ethernet, "192.168.1.10", 40000, "10.1.2.3", 80,
                1000, 5000);
        web.handshake().clientSends(ascii("GET / HTTP/1.1\r\n\r\n"))
                .serverSends(ascii("HTTP/1.1 200 OK\r\nServer: Apache/2.4\r\n\r\n"))
                .clientSends(ascii("GET /again HTTP/1.1\r\n\r\n")).close();
        List<byte[]> all = new ArrayList<>();
        all.add(telnet);
        all.addAll(frames(web));
        List<Integer> verdicts = run(e, all);
        assertEquals(Verdict.DROP, verdicts.get(0), "telnet is blocked by the quick rule");
        assertTrue(verdicts.subList(1, verdicts.size()).stream().allMatch(v -> v == Verdict.PASS));
        assertEquals(1, e.decidedBy()[1], "rule 1 (block quick ... port 23) decided one packet");
        assertEquals(1, e.count(PolicyCount.REPLACE_OCCURRENCES), "the banner is replaced once");
        assertTrue(e.taggedPackets()[1] > 0, "packets of the flow carry APACHE after the banner");
        // The first client packet to port 80 after the banner is tagged and passed by rule 4, which sets queue web
        // and creates the flow's state: every later packet, both ways, passes through that state (counted for rule
        // 4, as pf counts a state's packets for the rule that created it) and keeps the queue.
        long clientPacketsAfterBanner = countClientPacketsAfterBanner(frames(web));
        assertEquals(framesFromFirstQueued(frames(web)), e.queuedPackets()[1]);
        assertEquals(framesFromFirstQueued(frames(web)), e.decidedBy()[4]);
        assertTrue(clientPacketsAfterBanner >= 2, "the test must have tagged client packets");
    }

    private static long framesFromFirstQueued(List<byte[]> frames) {
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView v = new PacketView();
        boolean seen = false;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            decoder.decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET, v);
            if (v.srcPort() == 80 && new String(f, StandardCharsets.ISO_8859_1).contains("Server: Apache")) {
                seen = true;
            } else if (seen && v.dstPort() == 80) {
                return frames.size() - i;
            }
        }
        return 0;
    }

    private static long countClientPacketsAfterBanner(List<byte[]> frames) {
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView v = new PacketView();
        boolean seen = false;
        long n = 0;
        for (byte[] f : frames) {
            decoder.decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET, v);
            if (v.srcPort() == 80 && new String(f, StandardCharsets.ISO_8859_1).contains("Server: Apache")) {
                seen = true;
            } else if (seen && v.dstPort() == 80) {
                n++;
            }
        }
        return n;
    }

    @Test
    void lastMatchingRuleDecidesUnlessQuick() {
        byte[] web = PacketBuilder.ethernet().ipv4("192.0.2.1", "198.51.100.1").tcp(1234, 80).flags(TcpFlags.SYN)
                .build();
        byte[] ssh = PacketBuilder.ethernet().ipv4("192.0.2.1", "198.51.100.1").tcp(1235, 22).flags(TcpFlags.SYN)
                .build();
        byte[] dns = PacketBuilder.ethernet().ipv4("192.0.2.1", "198.51.100.1").udp(5353, 53).payload(ascii("q"))
                .build();
        assertEquals(List.of(Verdict.PASS, Verdict.DROP, Verdict.DROP),
                run(engine("block all\npass proto tcp from any to any port 80"), List.of(web, ssh, dns)));
        assertEquals(List.of(Verdict.DROP, Verdict.PASS, Verdict.PASS),
                run(engine("block quick proto tcp from any to any port www\npass all"), List.of(web, ssh, dns)));
        assertEquals(List.of(Verdict.REJECT, Verdict.PASS, Verdict.PASS),
                run(engine("pass all\nblock return proto tcp from any to any port = 80"), List.of(web, ssh, dns)));
        assertEquals(List.of(Verdict.PASS, Verdict.DROP, Verdict.PASS),
                run(engine("block proto tcp from any to any port 20:79 flags S/SA"), List.of(web, ssh, dns)));
        assertEquals(List.of(Verdict.PASS, Verdict.PASS, Verdict.DROP),
                run(engine("block proto udp from any to any port < 54"), List.of(web, ssh, dns)));
    }

    @Test
    void tablesListsAndNegation() {
        String policy = "table <bad> { 198.51.100.0/24, !198.51.100.7 }\nblock from <bad> to any\n"
                + "block from any to ! { 192.0.2.0/24, 2001:db8::/32 }";
        List<byte[]> frames = List.of(
                PacketBuilder.ethernet().ipv4("198.51.100.9", "192.0.2.5").udp(1, 2).build(), // from the table
                PacketBuilder.ethernet().ipv4("198.51.100.7", "192.0.2.5").udp(1, 2).build(), // excluded entry
                PacketBuilder.ethernet().ipv4("203.0.113.1", "192.0.2.5").udp(1, 2).build(), // neither
                PacketBuilder.ethernet().ipv4("203.0.113.1", "203.0.113.2").udp(1, 2).build(), // outside the list
                PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2).build());
        assertEquals(List.of(Verdict.DROP, Verdict.PASS, Verdict.PASS, Verdict.DROP, Verdict.PASS),
                run(engine(policy), frames));
    }

    @ParameterizedTest(name = "isn {0}")
    @ValueSource(longs = {0L, 0xFFFF_FFF0L})
    void aStreamContentBlocksTheCompletingPacketAndTheRestOfItsDirection(long isn) {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "192.168.1.10", 40000, "10.1.2.3", 80, isn,
                5000).mss(6);
        c.handshake().clientSends(ascii("hello EVIL-MARKER world and more")).serverSends(ascii("ok")).close();
        List<byte[]> frames = frames(c);
        List<Integer> verdicts = run(engine("block proto tcp from any to any port 80 content \"EVIL-MARKER\""),
                frames);
        // The marker ends at byte 17 of the request: the client segment carrying bytes 12..17 completes it.
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView v = new PacketView();
        long sent = 0;
        boolean blocking = false;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            decoder.decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET, v);
            if (v.dstPort() == 80) {
                sent += v.payloadLength();
                blocking |= sent >= 17;
                assertEquals(blocking ? Verdict.DROP : Verdict.PASS, verdicts.get(i), "client frame " + i);
            } else {
                assertEquals(Verdict.PASS, verdicts.get(i), "server frame " + i);
            }
        }
    }

    @Test
    void packetRegexAndContentOptionsOnUdp() {
        String policy = "block proto udp from any to any port 53 regex \"/evil[0-9]+\\.example/i\"\n"
                + "block proto udp from any to any port 9 content \"xyz\" offset 2 depth 5 nocase";
        List<byte[]> frames = List.of(
                PacketBuilder.ethernet().ipv4("192.0.2.1", "192.0.2.2").udp(1000, 53).payload(ascii("..EVIL42.example"))
                        .build(),
                PacketBuilder.ethernet().ipv4("192.0.2.1", "192.0.2.2").udp(1000, 53).payload(ascii("evil.example"))
                        .build(),
                PacketBuilder.ethernet().ipv4("192.0.2.1", "192.0.2.2").udp(1000, 9).payload(ascii("abXYZ")).build(),
                PacketBuilder.ethernet().ipv4("192.0.2.1", "192.0.2.2").udp(1000, 9).payload(ascii("abcdeXYZ")).build());
        assertEquals(List.of(Verdict.DROP, Verdict.PASS, Verdict.DROP, Verdict.PASS), run(engine(policy), frames));
    }
}
