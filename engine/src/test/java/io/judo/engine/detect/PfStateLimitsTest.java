package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.build.PacketBuilder;
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

/**
 * pf's state limits over built traffic, by capture time, each expected verdict worked out from pf.conf(5): a
 * connection counts against its source when its handshake completes; the one past {@code max-src-conn} or
 * {@code max-src-conn-rate} is dropped at that packet with its state, its source goes into the {@code overload}
 * table, and {@code flush} kills the source's states (this rule's, or every rule's with {@code global}); a packet
 * that would create a state past {@code max}, {@code max-src-states} or {@code max-src-nodes} is dropped.
 */
class PfStateLimitsTest {
    private static final int PASS = Verdict.PASS;
    private static final int DROP = Verdict.DROP;

    /** One engine with a clock that only goes forward, 1 ms a packet. */
    private static final class Run {
        final PolicyEngine engine;
        final PacketDecoder decoder = new PacketDecoder(true);
        final PacketView view = new PacketView();
        long now = 1_700_000_000_000_000_000L;

        Run(String... lines) {
            JudoParser.Result r = JudoParser.parse(String.join("\n", lines), "limits.conf");
            assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
            engine = new PolicyEngine(JudoCompiler.compile(r.policy()), Engine.DFA, StreamConfig.defaults(), true,
                    l -> { });
        }

        List<Integer> send(List<TcpConversation.Frame> frames) {
            List<Integer> out = new ArrayList<>();
            for (TcpConversation.Frame f : frames) {
                byte[] b = f.bytes();
                decoder.decode(ByteBuffer.wrap(b), 0, b.length, b.length, LinkType.ETHERNET, view);
                out.add(engine.packet(view, now += 1_000_000));
            }
            return out;
        }

        /** Skips {@code seconds} of capture time. */
        void idle(int seconds) {
            now += seconds * 1_000_000_000L;
        }

        List<String> table(String name) {
            RuntimeTables t = engine.limiter().tables();
            return t.addresses(t.names().indexOf(name) + 1);
        }
    }

    private static TcpConversation conversation(String client, int clientPort, int port) {
        return new TcpConversation(PacketBuilder::ethernet, client, clientPort, "198.51.100.1", port, 1000, 5000);
    }

    /** The frames from index {@code from} on (a conversation's frames accumulate). */
    private static List<TcpConversation.Frame> after(TcpConversation c, int from) {
        return c.frames().subList(from, c.frames().size());
    }

    /** A whole connection: handshake, request, response, close. */
    private static List<TcpConversation.Frame> connection(String client, int clientPort, int port) {
        TcpConversation c = conversation(client, clientPort, port).handshake()
                .clientSends("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).close();
        return c.frames();
    }

    private static boolean all(List<Integer> verdicts, int v) {
        return verdicts.stream().allMatch(x -> x == v);
    }

    private static final String[] RATE_POLICY = {"table <bad> persist", "block quick from <bad>", "block all",
        "pass proto tcp to port 22", "pass proto tcp to port 80 keep state (max-src-conn-rate 5/10, overload <bad> %s)"};

    private static Run ratePolicy(String flush) {
        String[] lines = RATE_POLICY.clone();
        lines[4] = String.format(lines[4], flush);
        return new Run(lines);
    }

    @Test
    void theSixthConnectionInTenSecondsOverloadsItsSourceAndFlushGlobalKillsItsOtherStates() {
        Run run = ratePolicy("flush global");
        TcpConversation sshA = conversation("10.0.0.5", 30000, 22).handshake();
        TcpConversation sshB = conversation("10.0.0.6", 30000, 22).handshake();
        assertTrue(all(run.send(sshA.frames()), PASS));
        assertTrue(all(run.send(sshB.frames()), PASS));
        for (int i = 0; i < 5; i++) {
            List<Integer> v = run.send(connection("10.0.0.5", 40000 + i, 80));
            assertTrue(all(v, PASS), "connection " + (i + 1) + " is within 5 in 10 s: " + v);
        }
        List<Integer> sixth = run.send(connection("10.0.0.5", 40005, 80));
        assertEquals(List.of(PASS, PASS, DROP), sixth.subList(0, 3),
                "SYN and SYN+ACK pass; the ACK completing the sixth handshake is past the rate: " + sixth);
        assertTrue(all(sixth.subList(3, sixth.size()), DROP), "its state is gone, and 10.0.0.5 is in <bad>: " + sixth);
        assertEquals(List.of("10.0.0.5"), run.table("bad"));
        for (int i = 6; i < 20; i++) {
            assertTrue(all(run.send(connection("10.0.0.5", 40000 + i, 80)), DROP), "block quick from <bad>");
        }
        int n = sshA.frames().size();
        sshA.clientSends("ls\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(DROP, run.send(after(sshA, n)).get(0), "flush global killed its ssh state too");
        int m = sshB.frames().size();
        sshB.clientSends("ls\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(all(run.send(after(sshB, m)), PASS), "another client's state is untouched");
        for (int i = 0; i < 3; i++) {
            assertTrue(all(run.send(connection("10.0.0.6", 41000 + i, 80)), PASS), "the rate is per source");
        }
        assertEquals(1, run.engine.limiter().hits(StateLimiter.Limit.SRC_CONN_RATE));
        assertEquals(1, run.engine.count(PolicyCount.LIMIT_DROPS));
        // the ssh state and the five closed web connections': a closed flow's state lasts until the flow times out,
        // as pf keeps a closed connection's state for tcp.closed
        assertEquals(6, run.engine.limiter().killedStates());
    }

    @Test
    void flushWithoutGlobalKillsOnlyTheRulesStates() {
        Run run = ratePolicy("flush");
        TcpConversation ssh = conversation("10.0.0.5", 30000, 22).handshake();
        TcpConversation web = conversation("10.0.0.5", 30001, 80).handshake();
        assertTrue(all(run.send(ssh.frames()), PASS));
        assertTrue(all(run.send(web.frames()), PASS));
        for (int i = 0; i < 5; i++) {
            run.send(connection("10.0.0.5", 40000 + i, 80));
        }
        int n = ssh.frames().size();
        ssh.clientSends("ls\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(all(run.send(after(ssh, n)), PASS), "the ssh rule's state stays");
        int m = web.frames().size();
        web.clientSends("GET /".getBytes(StandardCharsets.US_ASCII));
        assertEquals(DROP, run.send(after(web, m)).get(0), "the web rule's open state was flushed");
        assertEquals(List.of("10.0.0.5"), run.table("bad"));
    }

    @Test
    void theRateDecaysWithCaptureTime() {
        Run run = ratePolicy("");
        for (int i = 0; i < 12; i++) {
            assertTrue(all(run.send(connection("10.0.0.5", 40000 + i, 80)), PASS), "connection " + (i + 1));
            run.idle(3); // one connection every 3 s is under 5 in 10 s
        }
        assertEquals(List.of(), run.table("bad"));
    }

    @Test
    void maxSrcConnCountsOpenConnectionsOfOneSource() {
        Run run = new Run("block all", "pass proto tcp to port 80 keep state (max-src-conn 2)");
        List<TcpConversation> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(conversation("10.0.0.5", 40000 + i, 80).handshake());
        }
        assertTrue(all(run.send(open.get(0).frames()), PASS));
        assertTrue(all(run.send(open.get(1).frames()), PASS));
        assertEquals(List.of(PASS, PASS, DROP), run.send(open.get(2).frames()), "a third open connection");
        assertTrue(all(run.send(conversation("10.0.0.6", 40000, 80).handshake().frames()), PASS), "another source");
        assertEquals(1, run.engine.limiter().hits(StateLimiter.Limit.SRC_CONN));
    }

    @Test
    void statesPastMaxOrASourcesLimitsAreRefused() {
        Run max = new Run("block all", "pass proto udp to port 53 keep state (max 2)");
        assertEquals(List.of(PASS, PASS, DROP), List.of(one(max, "10.0.0.1", 1), one(max, "10.0.0.2", 2),
                one(max, "10.0.0.3", 3)), "a third state of the rule");
        assertEquals(PASS, one(max, "10.0.0.1", 1), "a packet of an existing state");

        Run states = new Run("block all", "pass proto udp to port 53 keep state (max-src-states 2)");
        assertEquals(List.of(PASS, PASS, DROP, PASS), List.of(one(states, "10.0.0.1", 1), one(states, "10.0.0.1", 2),
                one(states, "10.0.0.1", 3), one(states, "10.0.0.2", 1)));
        assertEquals(1, states.engine.limiter().hits(StateLimiter.Limit.SRC_STATES));

        Run nodes = new Run("block all", "pass proto udp to port 53 keep state (max-src-nodes 1)");
        assertEquals(List.of(PASS, PASS, DROP), List.of(one(nodes, "10.0.0.1", 1), one(nodes, "10.0.0.1", 2),
                one(nodes, "10.0.0.2", 1)), "a second source");
    }

    @Test
    void aLimitOfZeroIsNoLimit() {
        Run run = new Run("block all",
                "pass proto udp to port 53 keep state (max 0, max-src-states 0, max-src-nodes 0)",
                "pass proto tcp to port 80 keep state (max-src-conn 0, max-src-conn-rate 0/10)");
        for (int i = 0; i < 5; i++) {
            assertEquals(PASS, one(run, "10.0.0." + (1 + i % 2), i), "query " + i);
            assertTrue(all(run.send(connection("10.0.0.5", 40000 + i, 80)), PASS), "connection " + i);
        }
        assertNull(run.engine.limiter(), "limits of 0 need no limiter");
    }

    @Test
    void aPacketALimitDropsIsTheLimitingRulesDecision() {
        Run run = new Run("block all", "pass proto udp to port 53",
                "pass proto tcp to port 80 keep state (max-src-conn 1)");
        assertEquals(PASS, one(run, "10.0.0.1", 1));
        assertEquals(1, run.engine.lastRule(), "the udp rule (index 1) passed the query");
        run.send(conversation("10.0.0.5", 40000, 80).handshake().frames());
        assertEquals(PASS, one(run, "10.0.0.1", 2));
        List<Integer> second = run.send(conversation("10.0.0.5", 40001, 80).handshake().frames());
        assertEquals(DROP, second.get(second.size() - 1), "the second open connection completes past the limit");
        assertEquals(2, run.engine.lastRule(), "the keep-state rule's limit dropped it, not the udp rule before");
    }

    @Test
    void stateDefaultsApplyToRulesThatNameNoOptions() {
        Run run = new Run("set state-defaults max 1", "block all", "pass proto udp to port 53",
                "pass proto udp to port 54 keep state (max 5)");
        assertEquals(List.of(PASS, DROP), List.of(one(run, "10.0.0.1", 1), one(run, "10.0.0.2", 2)),
                "port 53's rule has the default max 1");
        byte[] q = PacketBuilder.ethernet().ipv4("10.0.0.3", "198.51.100.1").udp(6000, 54).payload("q").build();
        byte[] r = PacketBuilder.ethernet().ipv4("10.0.0.4", "198.51.100.1").udp(6000, 54).payload("q").build();
        assertEquals(List.of(PASS, PASS), run.send(List.of(new TcpConversation.Frame(0, q),
                new TcpConversation.Frame(0, r))), "port 54's rule names its own");
    }

    /** One UDP query from {@code src}, source port 5000 + {@code n}. */
    private static int one(Run run, String src, int n) {
        byte[] b = PacketBuilder.ethernet().ipv4(src, "198.51.100.1").udp(5000 + n, 53).payload("q").build();
        return run.send(List.of(new TcpConversation.Frame(0, b))).get(0);
    }
}
