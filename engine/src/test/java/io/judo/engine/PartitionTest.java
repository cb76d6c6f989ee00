package io.judo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.Variables;
import io.judo.vm.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One partition, two stages over one flow path; partitions of one rule set side by side. */
class PartitionTest {
    private static List<byte[]> conversation(String request, String response) {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "192.168.1.10", 40000, "203.0.113.80", 80,
                1000, 7_000_000L).mss(10);
        c.handshake().clientSends(request.getBytes(StandardCharsets.ISO_8859_1))
                .serverSends(response.getBytes(StandardCharsets.ISO_8859_1)).close();
        return c.frames().stream().map(TcpConversation.Frame::bytes).toList();
    }

    private static Programs programs(String rules, String policy) {
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(rules, "t.rules");
        assertTrue(loader.errors().isEmpty(), () -> loader.errors().get(0).display());
        JudoParser.Result p = JudoParser.parse(policy, "t.judo");
        assertTrue(p.errors().isEmpty(), () -> p.errors().toString());
        return Programs.compile(RuleSetCompiler.compile(loader.rules()), JudoCompiler.compile(p.policy()), Engine.DFA,
                StreamConfig.defaults(), true, false);
    }

    /** Frames 1 ms apart through the partition; each packet's decision copied out. */
    private static List<PartitionFixture.Decided> run(Partition p, List<byte[]> frames) {
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView v = new PacketView();
        long t = 1_700_000_000_000_000_000L;
        List<PartitionFixture.Decided> out = new ArrayList<>();
        for (byte[] f : frames) {
            decoder.decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET, v);
            Decision d = p.packet(v, t += 1_000_000);
            out.add(new PartitionFixture.Decided(d.flow() == null ? 0 : d.flow().id(), d.verdict(), d.held(),
                    d.queue(), d.tag()));
        }
        p.finish();
        return out;
    }

    @Test
    void bothStagesSeeOneFlowReassembledOnce() {
        try (Programs programs = programs(
                "alert tcp any any -> any any (msg:\"req\"; flow:to_server; content:\"secret-token\"; sid:1;)",
                "pass log proto tcp from any to any port 80 content \"secret-token\"")) {
            PartitionFixture.Outputs out = new PartitionFixture.Outputs();
            Partition p = PartitionFixture.partition(programs, out);
            List<PartitionFixture.Decided> decided = run(p, conversation("GET /?q=secret-token HTTP/1.0\r\n\r\n",
                    "HTTP/1.0 200 OK\r\n\r\n"));
            p.close();
            assertEquals(1, out.byFlow.size(), "the alert and the policy's log lines name one flow: " + out.byFlow);
            List<String> lines = out.byFlow.values().iterator().next();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("alert 1 ")), lines::toString);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("log 1 ")), lines::toString);
            long flow = out.byFlow.keySet().iterator().next();
            assertTrue(decided.stream().allMatch(d -> d.flowId() == flow), "every decision names the same flow");
        }
    }

    @Test
    void aSuricataDropMakesThePolicysPassADrop() {
        try (Programs programs = programs(
                "drop tcp any any -> any any (msg:\"bad\"; flow:to_server; content:\"evil\"; sid:1;)",
                "pass proto tcp from any to any port 80")) {
            Partition p = PartitionFixture.partition(programs, new PartitionFixture.Outputs());
            p.prevent(true);
            List<PartitionFixture.Decided> decided = run(p, conversation("GET /evil HTTP/1.0\r\n\r\n", "HTTP/1.0 200"));
            p.close();
            long dropped = decided.stream().filter(d -> d.verdict() == Verdict.DROP).count();
            assertTrue(dropped > 0, "the segment that completed the match and the flow's later packets");
            assertEquals(Verdict.PASS, decided.get(0).verdict(), "the SYN passed before anything matched");
            assertFalse(decided.get(decided.size() - 1).verdict() == Verdict.PASS, "IPS: the rest of the flow drops");
        }
    }

    /** Two partitions of one compiled rule set on two threads at once: each sees what a lone partition sees. */
    @Test
    void partitionsOfOneRuleSetRunSideBySide() throws Exception {
        byte[] a = PartitionFixture.traffic(11, 4000);
        byte[] b = PartitionFixture.traffic(12, 4000);
        try (Programs programs = PartitionFixture.programs(true, true)) {
            PartitionFixture.Outputs aloneA = PartitionFixture.alone(programs, a);
            PartitionFixture.Outputs aloneB = PartitionFixture.alone(programs, b);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 3; round++) {
                    Callable<PartitionFixture.Outputs> ra = () -> PartitionFixture.alone(programs, a);
                    Callable<PartitionFixture.Outputs> rb = () -> PartitionFixture.alone(programs, b);
                    Future<PartitionFixture.Outputs> fa = pool.submit(ra);
                    Future<PartitionFixture.Outputs> fb = pool.submit(rb);
                    assertEquals(aloneA.byFlow, fa.get().byFlow);
                    assertEquals(aloneB.byFlow, fb.get().byFlow);
                }
            } finally {
                pool.shutdownNow();
            }
            assertFalse(aloneA.byFlow.isEmpty());
        }
    }
}
