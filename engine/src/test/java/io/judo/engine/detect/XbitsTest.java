package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * xbits cross flows: a bit one connection sets on a host or an address pair is the one another connection tests, until
 * its lifetime in packet time runs out. The expected alerts are hand-checked against Suricata's documented semantics
 * (host bits shared by ip_src and ip_dst, pairs unordered, the default lifetime of 30 s).
 */
class XbitsTest {
    private static final long SECOND = 1_000_000_000L;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** One connection from {@code client} to {@code server} at {@code atSeconds} sending {@code request}. */
    private static List<TcpConversation.Frame> connection(String client, int port, String server, long atSeconds,
            String request) {
        return new TcpConversation(PacketBuilder::ethernet, client, port, server, 80, 1000, 5000)
                .clock(1_700_000_000L * SECOND + atSeconds * SECOND, 1_000_000).handshake()
                .clientSends(ascii(request)).serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
                .close().frames();
    }

    @SafeVarargs
    private static Map<Long, Integer> alerts(String rules, List<TcpConversation.Frame>... connections) {
        List<TcpConversation.Frame> all = new ArrayList<>();
        for (List<TcpConversation.Frame> c : connections) {
            all.addAll(c);
        }
        return Replay.bySid(Replay.alerts(rules, "xbits.rules", sink -> Replay.timed(all, sink)));
    }

    /**
     * ET Open's Pulse Secure chain (CVE-2020-8260): stage 1 sets a bit on the client host, stage 2 needs it and sets
     * the next, stage 3 alerts when the same client comes back within 10 s; each in a connection of its own.
     */
    @Test
    void etOpenChainAcrossConnections() throws Exception {
        String rules = String.join("\n", Replay.etRule(2033750), Replay.etRule(2033751), Replay.etRule(2033752)) + "\n";
        String stage1 = "GET /dana-admin/cached/config/config.cgi?type=system HTTP/1.1\r\nHost: vpn\r\n\r\n";
        String stage2 = "POST /dana-admin/cached/config/import.cgi HTTP/1.1\r\nHost: vpn\r\n"
                + "Referer: https://vpn/dana-admin/cached/config/config.cgi?type=system\r\nContent-Length: 0\r\n\r\n";
        String stage3 = "GET /dana-na/auth/setcookie.cgi HTTP/1.1\r\nHost: vpn\r\n\r\n";
        String attacker = "192.0.2.7";
        String vpn = "10.0.0.5";
        assertEquals(Map.of(2033752L, 1), alerts(rules, connection(attacker, 40001, vpn, 0, stage1),
                connection(attacker, 40002, vpn, 3, stage2), connection(attacker, 40003, vpn, 6, stage3)),
                "the whole chain within 10 s: stage 3 alerts, 1 and 2 are noalert");
        assertEquals(Map.of(), alerts(rules, connection(attacker, 40002, vpn, 3, stage2),
                connection(attacker, 40003, vpn, 6, stage3)), "stage 2 without stage 1 sets nothing");
        assertEquals(Map.of(), alerts(rules, connection(attacker, 40001, vpn, 0, stage1),
                connection(attacker, 40002, vpn, 3, stage2), connection(attacker, 40003, vpn, 14, stage3)),
                "stage 3 at 14 s: the bit set at 3 s lived 10 s");
        assertEquals(Map.of(), alerts(rules, connection(attacker, 40001, vpn, 0, stage1),
                connection(attacker, 40002, vpn, 3, stage2), connection("192.0.2.8", 40003, vpn, 6, stage3)),
                "another client: ip_src is the host that set it");
    }

    @Test
    void hostBitsArePerAddressPairBitsUnordered() {
        String rules = String.join("\n",
                "alert tcp any any -> any any (msg:\"mark dst\"; flow:to_server; content:\"MARK\"; "
                        + "xbits:set,marked,track ip_dst; noalert; sid:1;)",
                "alert tcp any any -> any any (msg:\"marked src\"; flow:to_client; content:\"200 OK\"; "
                        + "xbits:isset,marked,track ip_src; sid:2;)",
                "alert tcp any any -> any any (msg:\"pair\"; flow:to_server; content:\"PAIR\"; "
                        + "xbits:set,p,track ip_pair; noalert; sid:3;)",
                "alert tcp any any -> any any (msg:\"pair seen\"; flow:to_server; content:\"CHECK\"; "
                        + "xbits:isset,p,track ip_pair; sid:4;)",
                "alert tcp any any -> any any (msg:\"pair unset\"; flow:to_server; content:\"CHECK\"; "
                        + "xbits:isnotset,p,track ip_pair; sid:5;)",
                "alert tcp any any -> any any (msg:\"default life\"; flow:to_server; content:\"LATE\"; "
                        + "xbits:isset,marked,track ip_dst; sid:6;)") + "\n";
        // the request marks the server; its responses (source: the server) see the bit, in this and later flows
        assertEquals(Map.of(2L, 2), alerts(rules, connection("10.0.0.1", 40001, "10.0.0.9", 0, "MARK"),
                connection("10.0.0.2", 40002, "10.0.0.9", 1, "hello")), "both responses come from the marked host");
        assertEquals(Map.of(2L, 2, 6L, 1), alerts(rules, connection("10.0.0.1", 40001, "10.0.0.9", 0, "MARK"),
                connection("10.0.0.2", 40002, "10.0.0.9", 29, "LATE"),
                connection("10.0.0.2", 40003, "10.0.0.9", 31, "LATE")), "30 s by default (the responses: 0 s and 29 s)");
        // a pair is the two addresses in either order: the reverse direction's connection finds it, another does not
        assertEquals(Map.of(4L, 1, 5L, 1), alerts(rules, connection("10.0.0.1", 40001, "10.0.0.9", 0, "PAIR"),
                connection("10.0.0.9", 40002, "10.0.0.1", 1, "CHECK"),
                connection("10.0.0.1", 40003, "10.0.0.8", 2, "CHECK")));
    }
}
