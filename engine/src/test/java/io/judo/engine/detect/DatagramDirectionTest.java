package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.PacketBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which end of a UDP or ICMP flow is the client, as Suricata decides it: the sender of the flow's first packet,
 * whatever the ports (Judo used to guess from the ports, so {@code flow:to_server} on a flow from a low port to a
 * high one alerted on the answers); a flow whose first datagram is a DNS response is reversed by protocol
 * detection, so the responder is the server (Suricata's userguide, "Protocol detection": detection "can, in the
 * midstream case, reverse a flow direction ... if the first packet we see is a DNS over UDP response"). Expected
 * alerts are worked out by hand from those two rules.
 */
class DatagramDirectionTest {
    private static final String A = "10.0.0.1";
    private static final String B = "10.0.0.2";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] udp(String src, int sport, String dst, int dport, byte[] payload) {
        return PacketBuilder.ethernet().ipv4(src, dst).udp(sport, dport).payload(payload).build();
    }

    @Test
    void theFirstSenderIsTheClientWhateverThePorts() {
        // A's low port talks to B's high port: the ports would make B the client
        List<byte[]> frames = List.of(
                udp(A, 1000, B, 5000, ascii("ping 1")),
                udp(B, 5000, A, 1000, ascii("pong 1")),
                udp(A, 1000, B, 5000, ascii("ping 2")));
        String rules = String.join("\n",
                "alert udp any any -> any any (msg:\"to server\"; flow:to_server; content:\"p\"; depth:1; sid:1;)",
                "alert udp any any -> any any (msg:\"to client\"; flow:to_client; content:\"pong\"; sid:2;)",
                "alert udp any any -> any any (msg:\"est server\"; flow:established,to_server; content:\"ping\"; "
                        + "sid:3;)",
                "alert udp any any -> any any (msg:\"est client\"; flow:established,to_client; sid:4;)",
                "alert udp any any -> any any (msg:\"not est\"; flow:not_established; sid:5;)",
                "alert udp any any -> any any (msg:\"from client\"; flow:from_client; content:\"pong\"; sid:6;)");
        // pings 1 and 2 go to the server; the pong is the first packet of the other way, which establishes the flow
        assertEquals(Map.of(1L, 2, 2L, 1, 3L, 1, 4L, 1, 5L, 1), Replay.bySid(Replay.alerts(rules, "d.rules", frames)));
    }

    @Test
    void anIcmpFlowsClientIsItsFirstSender() {
        byte[] reply = PacketBuilder.ethernet().ipv4(B, A).icmp(0, 0, 7).payload(ascii("abcd")).build();
        byte[] request = PacketBuilder.ethernet().ipv4(A, B).icmp(8, 0, 7).payload(ascii("abcd")).build();
        String rules = String.join("\n",
                "alert icmp any any -> any any (msg:\"to server\"; flow:to_server; sid:1;)",
                "alert icmp any any -> any any (msg:\"to client\"; flow:to_client; sid:2;)");
        assertEquals(Map.of(1L, 1, 2L, 1), Replay.bySid(Replay.alerts(rules, "d.rules", List.of(request, reply))));
        // the request was not captured: the answering host sent first, so it is the client (no reversal for ICMP)
        assertEquals(Map.of(1L, 1), Replay.bySid(Replay.alerts(rules, "d.rules", List.of(reply))));
    }

    @Test
    void aDnsFlowThatBeginsWithAResponseIsReversed() {
        byte[] query = DnsDetectionTest.message(0x4242, 0x0100, "example.com", "1");
        byte[] answer = DnsDetectionTest.answer(query, 192, 0, 2, 1);
        List<byte[]> frames = List.of(
                udp(B, 53, A, 40000, answer), // the query before it was not captured
                udp(A, 40000, B, 53, query),
                udp(B, 53, A, 40000, answer));
        String rules = String.join("\n",
                "alert udp any any -> any any (msg:\"answer to client\"; flow:to_client; content:\"|81 80|\"; "
                        + "offset:2; depth:2; sid:1;)",
                "alert udp any any -> any any (msg:\"to server\"; flow:to_server; sid:2;)",
                "alert dns any any -> any any (msg:\"query name\"; dns.query; content:\"example.com\"; sid:3;)");
        // both answers reach the client, only the query the server; dns.query is a request buffer: the query only
        assertEquals(Map.of(1L, 2, 2L, 1, 3L, 1), Replay.bySid(Replay.alerts(rules, "d.rules", frames)));
    }

    @Test
    void aFlowOfQueriesStaysAsItBegan() {
        byte[] query = DnsDetectionTest.message(0x4243, 0x0100, "example.org", "1");
        // a query from port 53 to a high port (a resolver forwarding): its sender is still the client
        List<byte[]> frames = List.of(udp(A, 53, B, 40000, query), udp(B, 40000, A, 53,
                DnsDetectionTest.answer(query, 192, 0, 2, 2)));
        String rules = String.join("\n",
                "alert udp any 53 -> any any (msg:\"query to server\"; flow:to_server; sid:1;)",
                "alert udp any any -> any 53 (msg:\"answer to client\"; flow:to_client; sid:2;)",
                "alert dns any any -> any any (msg:\"query name\"; dns.query; content:\"example.org\"; sid:3;)");
        assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1), Replay.bySid(Replay.alerts(rules, "d.rules", frames)));
    }
}
