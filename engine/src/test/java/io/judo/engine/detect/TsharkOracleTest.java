package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.testing.ExternalTools;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.Variables;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Alert counts per rule on a generated traffic mix equal the number of packets (or reassembled HTTP responses) that a
 * tshark display filter with the same meaning selects: tshark is the independent oracle for header keywords,
 * per-packet contents and stream contents.
 */
class TsharkOracleTest {
    /** sid, rule, tshark display filter, whether tshark must reassemble TCP for it. */
    private record Case(long sid, String rule, String filter, boolean desegment) {
    }

    private static final List<Case> CASES = List.of(
            new Case(1, "alert tcp any any -> any any (msg:\"syn\"; flags:S; sid:1;)", "tcp.flags == 0x002", false),
            new Case(2, "alert tcp any any -> any any (msg:\"response line\"; flow:no_stream; "
                    + "content:\"HTTP/1.1 200\"; sid:2;)", "tcp.payload contains \"HTTP/1.1 200\"", false),
            new Case(3, "alert udp any any -> any 53 (msg:\"www label\"; content:\"|03|www\"; sid:3;)",
                    "udp.dstport == 53 && udp.payload contains 03:77:77:77", false),
            new Case(4, "alert icmp any any -> any any (msg:\"echo\"; itype:8; sid:4;)", "icmp.type == 8", false),
            new Case(5, "alert tcp any any -> any [80,443] (msg:\"big to web\"; dsize:>60; sid:5;)",
                    "(tcp.dstport == 80 || tcp.dstport == 443) && tcp.len > 60", false),
            new Case(6, "alert udp 10.0.0.0/8 any -> any !53 (msg:\"udp not dns\"; sid:6;)",
                    "ip.src == 10.0.0.0/8 && udp && !(udp.dstport == 53)", false),
            new Case(7, "alert tcp any any -> any any (msg:\"apache banner in stream\"; flow:established,to_client; "
                    + "content:\"Server|3a| Apache/\"; sid:7;)", "http.server contains \"Apache/\"", true),
            new Case(8, "alert tcp any any -> any any (msg:\"user agent nocase\"; flow:no_stream; "
                    + "content:\"user-agent: JUDO-generator\"; nocase; sid:8;)",
                    "tcp.payload matches \"(?i)user-agent: judo-generator\"", false));

    @TempDir
    static Path dir;
    static Path capture;

    @BeforeAll
    static void generate() throws Exception {
        capture = Replay.generated(dir, 20261126L, 4000);
    }

    private static long tshark(Case c) throws Exception {
        ExternalTools.require("tshark");
        String out = ExternalTools.run("tshark", "-n", "-r", capture.toString(), "-o",
                "tcp.desegment_tcp_streams:" + (c.desegment() ? "TRUE" : "FALSE"),
                "-o", "tcp.check_checksum:FALSE", "-Y", c.filter(), "-T", "fields", "-e", "frame.number");
        return out.lines().filter(l -> !l.isBlank()).count();
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"DFA", "AUTO"})
    void alertsPerRuleEqualTsharkSelections(Engine engine) throws Exception {
        StringBuilder text = new StringBuilder();
        for (Case c : CASES) {
            text.append(c.rule()).append('\n');
        }
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, true).load(text.toString(), "oracle.rules");
        assertTrue(loader.errors().isEmpty(), () -> loader.errors().get(0).display());
        CompiledRuleSet set = RuleSetCompiler.compile(loader.rules());
        Map<Long, Long> judo = new HashMap<>();
        // Hyperscan runs with the JIT-compiled rule programs, the DFA with the interpreter: both must give tshark's.
        try (Detector d = new Detector(set, engine, StreamConfig.defaults(), true,
                a -> judo.merge(a.rule().sid(), 1L, Long::sum), engine == Engine.AUTO)) {
            Replay.capture(capture, true, d::packet);
            d.finish();
        }
        for (Case c : CASES) {
            long expected = tshark(c);
            assertTrue(expected > 0, "the mix must exercise sid " + c.sid());
            assertEquals(expected, judo.getOrDefault(c.sid(), 0L), "sid " + c.sid() + " vs tshark -Y '"
                    + c.filter() + "'");
        }
    }
}
