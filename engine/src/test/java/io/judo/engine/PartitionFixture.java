package io.judo.engine;

import io.judo.engine.detect.Alert;
import io.judo.engine.detect.PolicyEngine;
import io.judo.matcher.Engine;
import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.judo.JudoCompiler;
import io.judo.rules.judo.JudoParser;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.Variables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rules, a policy and generated traffic for the partition and worker tests, and what a run produced per flow: each
 * flow's alerts and policy log lines in the order the flow saw them (per-flow order is what workers must keep).
 */
public final class PartitionFixture {
    /** Suricata rules that fire often on the generator's mix: packet and stream matches, flow bits, both ways. */
    public static final String RULES = String.join("\n",
            "alert tcp any any -> any any (msg:\"item\"; flow:to_server,established; content:\"GET /item/1\"; sid:1;)",
            "alert tcp any any -> any any (msg:\"lorem\"; flow:to_client; content:\"dolor sit amet 9\"; sid:2;)",
            "alert udp any any -> any 53 (msg:\"dns\"; content:\"|01 00|\"; offset:2; depth:2; sid:3;)",
            "alert icmp any any -> any any (msg:\"echo\"; itype:8; sid:4;)",
            "alert tcp any any -> any 80 (msg:\"set\"; flow:to_server; content:\"GET\"; flowbits:set,got; "
                    + "flowbits:noalert; sid:6;)",
            "alert tcp any 80 -> any any (msg:\"isset\"; flow:to_client; content:\"200\"; flowbits:isset,got; sid:7;)",
            "alert udp any any -> any any (msg:\"big\"; dsize:>1400; sid:8;)");
    /** A judo policy whose log rules (and a stream condition) see the same traffic. */
    public static final String POLICY = String.join("\n",
            "block log quick proto tcp from any to any port 23",
            "pass log proto tcp from any port 80 content \"lorem ipsum dolor sit amet 7\"",
            "pass log proto udp from any to any port domain");

    private PartitionFixture() {
    }

    /** The rules and policy compiled, with the DFA prefilter. */
    public static Programs programs(boolean rules, boolean policy) {
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(RULES, "fixture.rules");
        if (!loader.errors().isEmpty()) {
            throw new AssertionError(loader.errors().get(0).display());
        }
        JudoParser.Result p = JudoParser.parse(POLICY, "fixture.judo");
        if (!p.errors().isEmpty()) {
            throw new AssertionError(p.errors().get(0).toString());
        }
        return Programs.compile(rules ? RuleSetCompiler.compile(loader.rules()) : null,
                policy ? JudoCompiler.compile(p.policy()) : null, Engine.DFA, StreamConfig.defaults(), true, true);
    }

    /** The generator's mix: {@code packets} packets from {@code seed} (fragments, IPv6, VLANs, many flows). */
    public static byte[] traffic(long seed, int packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new TrafficGenerator(seed).write(out, packets, Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Decodes {@code capture} and gives every packet to {@code listener}, as a capture scanner would. */
    public static void replay(byte[] capture, CaptureScanner.PacketListener listener) {
        try (CaptureReader reader = Captures.open(capture)) {
            PacketDecoder decoder = new PacketDecoder(true);
            PacketView v = new PacketView();
            PacketRecord r = new PacketRecord();
            while (reader.next(r) == ReadStatus.RECORD) {
                listener.packet(decoder.decode(r, v), r.timestampNanos());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one partition produced, per flow id, in the order the flow produced it. Not thread-safe: one per partition. */
    public static final class Outputs {
        public final Map<Long, List<String>> byFlow = new TreeMap<>();
        public final List<Decided> decisions = new ArrayList<>();

        void alert(Alert a) {
            byFlow.computeIfAbsent(a.flowId(), k -> new ArrayList<>()).add("alert " + a.rule().sid() + " at "
                    + a.streamOffset() + " " + a.srcIp() + ":" + a.srcPort() + " " + java.util.Arrays.hashCode(a.payload()));
        }

        void logged(PolicyEngine.Logged l) {
            byFlow.computeIfAbsent(l.flowId(), k -> new ArrayList<>()).add("log " + l.rule().line() + " verdict "
                    + l.verdict());
        }

        /** Merges another partition's flows into these (their flows are disjoint). */
        public void addAll(Outputs o) {
            o.byFlow.forEach((k, v) -> {
                if (byFlow.put(k, v) != null) {
                    throw new AssertionError("flow " + k + " was seen by two partitions");
                }
            });
        }
    }

    /** One packet's decision, copied out of the partition's reused object. */
    public record Decided(long flowId, int verdict, boolean held, int queue, long tag) {
    }

    /** Every flow's outputs of {@code capture} through one partition of {@code programs}, on this thread. */
    public static Outputs alone(Programs programs, byte[] capture) {
        Outputs o = new Outputs();
        Partition p = partition(programs, o);
        replay(capture, p::packet);
        p.finish();
        p.close();
        return o;
    }

    /** A partition of {@code programs} whose alerts and logs go to {@code out}. */
    public static Partition partition(Programs programs, Outputs out) {
        return programs.partition(out::alert, out::logged);
    }
}
