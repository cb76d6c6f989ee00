package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.testing.ExternalTools;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.judo.JudoCompiler;
import io.judo.rules.judo.JudoParser;
import io.judo.vm.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Header-only stateless ({@code no state}) judo policies pass exactly the packets tcpdump selects with the equivalent
 * filter expression, on a
 * generated mix without IP fragments of TCP (the mix fragments only UDP to port 7000, which the filters avoid;
 * some frames are VLAN-tagged, which libpcap only sees through a second copy of the expression after {@code vlan}):
 * tcpdump is the independent oracle for the policy's address, port, protocol and flag tests and for pf's
 * last-match and quick semantics.
 */
class PolicyTcpdumpOracleTest {
    @TempDir
    static Path dir;
    static Path capture;

    @BeforeAll
    static void generate() throws Exception {
        capture = Replay.generated(dir, 7L, 3000);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "block all\\npass proto tcp from any to any port 80 no state|tcp dst port 80",
        "block all\\npass proto tcp from 10.0.0.0/8 to any port { 80 443 } no state|ip and tcp and src net 10.0.0.0/8 and (dst port 80 or dst port 443)",
        "block all\\npass proto udp from any port domain to any no state|udp src port 53",
        "block all\\npass inet6 proto tcp from any to any flags S/SA no state|ip6 and tcp and ip6[13+40] & 0x12 = 0x02",
        "block all\\npass proto tcp from any to any port > 1023 no state|tcp dst portrange 1024-65535",
        "block all\\npass proto icmp from any to any no state\\nblock quick proto icmp from any to 10.1.0.0/16|icmp and not dst net 10.1.0.0/16",
        "table <ten> { 10.0.0.0/8 }\\nblock all\\npass proto tcp from any to ! <ten> no state|tcp and not dst net 10.0.0.0/8"})
    void passedPacketsEqualTcpdumpSelections(String policy, String filter) throws Exception {
        ExternalTools.require("tcpdump");
        JudoParser.Result r = JudoParser.parse(policy.replace("\\n", "\n"), "oracle.judo");
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        long[] passed = new long[2];
        for (int jit = 0; jit < 2; jit++) { // interpreted, then JIT-compiled
            int slot = jit;
            try (PolicyEngine e = new PolicyEngine(JudoCompiler.compile(r.policy()), Engine.DFA,
                    StreamConfig.defaults(), false, l -> { }, jit == 1)) {
                Replay.capture(capture, false, (v, t) -> passed[slot] += e.packet(v, t) == Verdict.PASS ? 1 : 0);
            }
        }
        assertEquals(passed[0], passed[1], "JIT vs interpreter");
        Path out = dir.resolve("selected.pcap");
        // libpcap tests fixed offsets, so VLAN-tagged frames need the expression again after "vlan".
        ExternalTools.run("tcpdump", "-r", capture.toString(), "-w", out.toString(),
                "(" + filter + ") or (vlan and (" + filter + "))");
        long selected = 0;
        try (CaptureReader reader = Captures.open(out)) {
            PacketRecord rec = new PacketRecord();
            while (reader.next(rec) == ReadStatus.RECORD) {
                selected++;
            }
        }
        assertTrue(selected > 0, "the mix must exercise " + filter);
        assertEquals(selected, passed[0], "policy vs tcpdump '" + filter + "'");
    }

    /**
     * pf's keep state, against tshark's TCP conversations: with {@code block all} and a stateful pass rule for
     * connections to port 80, exactly the packets of the conversations whose first packet went to port 80 pass,
     * replies included (which the rule alone would block), and nothing else.
     */
    @org.junit.jupiter.api.Test
    void keepStatePassesTheWholeConversationTsharkTracks() throws Exception {
        ExternalTools.require("tshark");
        JudoParser.Result r = JudoParser.parse("block all\npass proto tcp from any to any port 80\n", "state.conf");
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        long[] passed = new long[2];
        for (int jit = 0; jit < 2; jit++) {
            int slot = jit;
            try (PolicyEngine e = new PolicyEngine(JudoCompiler.compile(r.policy()), Engine.DFA,
                    StreamConfig.defaults(), false, l -> { }, jit == 1)) {
                Replay.capture(capture, false, (v, t) -> passed[slot] += e.packet(v, t) == Verdict.PASS ? 1 : 0);
            }
        }
        assertEquals(passed[0], passed[1], "JIT vs interpreter");
        String fields = ExternalTools.run("tshark", "-r", capture.toString(), "-Y", "tcp", "-T", "fields",
                "-e", "tcp.stream", "-e", "tcp.dstport");
        java.util.Map<String, String> firstPort = new java.util.HashMap<>();
        java.util.Map<String, Long> frames = new java.util.HashMap<>();
        for (String line : fields.split("\n")) {
            String[] f = line.strip().split("\t");
            if (f.length < 2) {
                continue;
            }
            firstPort.putIfAbsent(f[0], f[1]);
            frames.merge(f[0], 1L, Long::sum);
        }
        long expected = 0;
        long replies = 0;
        for (var e : firstPort.entrySet()) {
            if (e.getValue().equals("80")) {
                expected += frames.get(e.getKey());
            }
        }
        for (String line : fields.split("\n")) {
            String[] f = line.strip().split("\t");
            if (f.length >= 2 && "80".equals(firstPort.get(f[0])) && !f[1].equals("80")) {
                replies++;
            }
        }
        assertTrue(replies > 0, "the mix must have replies from port 80 for state to pass");
        assertEquals(expected, passed[0], "packets of conversations opened to port 80");
    }
}
