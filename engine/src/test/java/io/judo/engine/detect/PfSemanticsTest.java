package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.Addresses;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.build.TcpConversation;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.judo.JudoCompiler;
import io.judo.rules.judo.JudoParser;
import io.judo.vm.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * pf.conf semantics over built traffic, every expected verdict worked out from pf.conf(5): keep state (the default for
 * pass rules, with flags S/SA) passes a connection's later packets both ways without the ruleset, last match wins
 * unless quick, anchors are evaluated in place under their filter, tables decide by their longest prefix while rule
 * lists match any item, antispoof blocks a network's addresses arriving elsewhere, and block-policy picks the block
 * verdict. Offline every packet arrives inbound on no interface, so {@code on ! lo0} matches and {@code on em0} does
 * not.
 */
class PfSemanticsTest {
    private static final int PASS = Verdict.PASS;
    private static final int DROP = Verdict.DROP;
    private static final int REJECT = Verdict.REJECT;

    private static PolicyEngine engine(String text, JudoParser.Context context) {
        JudoParser.Result r = JudoParser.parse(text, "test.conf", context);
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        return new PolicyEngine(JudoCompiler.compile(r.policy()), Engine.DFA, StreamConfig.defaults(), true,
                l -> { });
    }

    private static PolicyEngine engine(String... lines) {
        return engine(String.join("\n", lines), JudoParser.Context.none());
    }

    private static List<Integer> run(PolicyEngine e, List<byte[]> frames) {
        List<Integer> out = new ArrayList<>();
        Replay.frames(frames, (v, t) -> out.add(e.packet(v, t)));
        return out;
    }

    private static int one(PolicyEngine e, byte[] frame) {
        return run(e, List.of(frame)).get(0);
    }

    /** Handshake, a request, a response and the close: client frames first in each exchange. */
    private static List<byte[]> connection(String client, int clientPort, String server, int port) {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, client, clientPort, server, port, 1000, 5000);
        c.handshake().clientSends("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).close();
        return c.frames().stream().map(TcpConversation.Frame::bytes).toList();
    }

    private static byte[] udp(String src, String dst, int dport) {
        return PacketBuilder.ethernet().ipv4(src, dst).udp(40000, dport).payload("x").build();
    }

    private static byte[] ack(String src, int sport, String dst, int dport) {
        return PacketBuilder.ethernet().ipv4(src, dst).tcp(sport, dport).seq(77).ack(99).flags(TcpFlags.ACK)
                .build();
    }

    @Test
    void openBsdsExamplePassesConnectionsBothWaysAndRejectsX11() {
        PolicyEngine e = engine("set skip on lo", "block return", "pass",
                "block return in on ! lo0 proto tcp to port 6000:6010");
        assertTrue(run(e, connection("192.0.2.10", 40000, "198.51.100.1", 80)).stream().allMatch(v -> v == PASS),
                "the SYN passes with state, so its connection passes both ways");
        // The X11 SYN's last match is the block; the SYN+ACK is no SYN for "pass" (flags S/SA), so no state is made
        // and every packet of the connection meets "block return".
        assertTrue(run(e, connection("192.0.2.10", 40001, "198.51.100.1", 6001)).stream()
                .allMatch(v -> v == REJECT));
        assertEquals(REJECT, one(e, ack("192.0.2.10", 40002, "198.51.100.1", 80)),
                "an ACK of a connection whose SYN was not seen creates no state: block return");
    }

    @Test
    void aStateLetsRepliesPastALaterBlockAndNoStateDoesNot() {
        List<byte[]> web = connection("10.0.0.5", 40000, "198.51.100.1", 80);
        PolicyEngine kept = engine("block all", "pass out proto tcp to port 80", "block in all");
        // offline every packet is inbound: "pass out" matches nothing, so write it without a direction
        assertTrue(run(kept, web).stream().allMatch(v -> v == DROP));
        PolicyEngine state = engine("block all", "pass proto tcp to port 80", "block from 198.51.100.1");
        List<Integer> v = run(state, web);
        assertTrue(v.stream().allMatch(x -> x == PASS), "replies pass through the state despite the block: " + v);
        PolicyEngine none = engine("block all", "pass proto tcp to port 80 no state", "block from 198.51.100.1");
        List<Integer> w = run(none, web);
        assertEquals(PASS, w.get(0), "the SYN");
        assertEquals(DROP, w.get(1), "without state the SYN+ACK meets the block");
        assertEquals(PASS, w.get(2), "the client's ACK to port 80 matches the stateless pass");
    }

    @Test
    void theInsideNetworksGoOutAndEveryOtherPacketComesIn() {
        PolicyEngine e = engine("block all", "pass out proto udp no state", "pass in proto udp to port 53 no state");
        assertEquals(DROP, one(e, udp("10.0.0.5", "192.0.2.1", 9)), "no inside networks: every packet comes in");
        e.inside(io.judo.vm.pool.CidrSet.of(List.of(io.judo.vm.pool.CidrSet.parse("10.0.0.0/8"))));
        assertEquals(PASS, one(e, udp("10.0.0.5", "192.0.2.1", 9)), "from inside: out");
        assertEquals(DROP, one(e, udp("192.0.2.1", "10.0.0.5", 9)), "from outside: in, and not to port 53");
        assertEquals(PASS, one(e, udp("192.0.2.1", "10.0.0.5", 53)));
    }

    @Test
    void quickDecidesAtOnceAndTheLastMatchWinsOtherwise() {
        PolicyEngine e = engine("block quick proto udp to port 53", "pass all no state", "block proto udp to port 54");
        assertEquals(DROP, one(e, udp("10.0.0.1", "10.0.0.2", 53)));
        assertEquals(DROP, one(e, udp("10.0.0.1", "10.0.0.2", 54)), "the later block is the last match");
        assertEquals(PASS, one(e, udp("10.0.0.1", "10.0.0.2", 55)));
    }

    @Test
    void anchorsAreEvaluatedInPlaceUnderTheirFilter() {
        PolicyEngine e = engine("block all", "anchor \"lan\" from 10.0.0.1 {", "  pass proto udp to port 53 no state",
                "  block quick proto udp to port 5353", "}", "pass proto udp to port 5353 no state");
        assertEquals(PASS, one(e, udp("10.0.0.1", "10.0.0.2", 53)), "the anchor's pass");
        assertEquals(DROP, one(e, udp("10.0.0.1", "10.0.0.2", 5353)), "quick inside the anchor ends it all");
        assertEquals(DROP, one(e, udp("10.0.0.9", "10.0.0.2", 53)), "not from 10.0.0.1: not the anchor's");
        assertEquals(PASS, one(e, udp("10.0.0.9", "10.0.0.2", 5353)), "the last rule, outside the anchor");
    }

    @Test
    void tablesTakeTheLongestPrefixAndListsMatchAnyItem() {
        PolicyEngine table = engine("table <inside> { 10.0.0.0/8 !10.1.0.0/16 }", "block all",
                "pass from <inside> no state");
        assertEquals(PASS, one(table, udp("10.2.3.4", "192.0.2.1", 9)));
        assertEquals(DROP, one(table, udp("10.1.2.3", "192.0.2.1", 9)), "10.1.0.0/16 is the longer, negated entry");
        // pf expands a list into one rule per item: { !10.0.0.1, 10.0.0.0/8 } is "not 10.0.0.1, or in 10/8": all
        PolicyEngine list = engine("block all", "pass from { !10.0.0.1, 10.0.0.0/8 } no state");
        assertEquals(PASS, one(list, udp("10.0.0.1", "192.0.2.1", 9)));
        assertEquals(PASS, one(list, udp("192.168.1.1", "192.0.2.1", 9)));
        PolicyEngine range = engine("block all", "pass from 10.0.0.5 - 10.0.0.9 no state");
        assertEquals(PASS, one(range, udp("10.0.0.9", "192.0.2.1", 9)));
        assertEquals(DROP, one(range, udp("10.0.0.10", "192.0.2.1", 9)));
    }

    @Test
    void antispoofAndInterfaceAddressesComeFromTheContext() {
        JudoParser.Context em0 = new JudoParser.Context(Map.of("em0", List.of(
                new Addresses.Prefix(Addresses.parse("192.0.2.1"), 24))), null);
        PolicyEngine e = engine("antispoof for em0", em0);
        assertEquals(DROP, one(e, udp("192.0.2.7", "198.51.100.1", 9)),
                "em0's network arriving on another interface (offline: none) is spoofed");
        assertEquals(PASS, one(e, udp("198.51.100.7", "192.0.2.1", 9)), "no rule but antispoof's: default pass");
        PolicyEngine b = engine("block all\npass proto tcp from any to (em0) port 22 no state\n"
                + "pass proto tcp from any to em0:network port 80 no state", em0);
        assertEquals(PASS, one(b, ack("198.51.100.7", 40000, "192.0.2.1", 22)));
        assertEquals(DROP, one(b, ack("198.51.100.7", 40000, "192.0.2.9", 22)), "(em0) is its address only");
        assertEquals(PASS, one(b, ack("198.51.100.7", 40000, "192.0.2.9", 80)), "em0:network is the /24");
    }

    @Test
    void blockPolicyAndMacrosApply() {
        PolicyEngine e = engine("set block-policy return", "udp_ports = \"{ 53 123 }\"", "block all",
                "pass proto udp to port $udp_ports no state", "block drop proto udp to port 123");
        assertEquals(REJECT, one(e, udp("10.0.0.1", "10.0.0.2", 9)), "block-policy return");
        assertEquals(PASS, one(e, udp("10.0.0.1", "10.0.0.2", 53)));
        assertEquals(DROP, one(e, udp("10.0.0.1", "10.0.0.2", 123)), "block drop overrides the policy");
    }

    @Test
    void icmpTypesAndCodesMatch() {
        PolicyEngine e = engine("block all", "pass inet proto icmp icmp-type { echoreq, unreach code needfrag } "
                + "no state");
        byte[] echo = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").icmp(8, 0, 0).build();
        byte[] reply = PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").icmp(0, 0, 0).build();
        byte[] needfrag = PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").icmp(3, 4, 0).build();
        byte[] portUnreach = PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").icmp(3, 3, 0).build();
        assertEquals(PASS, one(e, echo));
        assertEquals(DROP, one(e, reply));
        assertEquals(PASS, one(e, needfrag));
        assertEquals(DROP, one(e, portUnreach));
    }
}
