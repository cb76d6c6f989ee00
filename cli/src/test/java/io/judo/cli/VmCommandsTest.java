package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** judo filter, asm, disasm and verify from the command line, including every bad-input path. */
class VmCommandsTest {
    @TempDir
    Path dir;
    Path demo;

    @BeforeEach
    void demo() throws Exception {
        demo = dir.resolve("demo.pcap");
        Files.write(demo, DemoCapture.bundled());
    }

    private static long packets(Path capture) throws Exception {
        long n = 0;
        PacketRecord r = new PacketRecord();
        try (CaptureReader reader = Captures.open(capture)) {
            while (reader.next(r) == ReadStatus.RECORD) {
                n++;
            }
        }
        return n;
    }

    @Test
    void filterCountsWritesAndAgreesWithTcpdump() throws Exception {
        ExternalTools.require("tcpdump");
        String expr = "tcp port 80 or icmp";
        long tcpdump = ExternalTools.run("tcpdump", "-r", demo.toString(), "-n", "--", expr).lines().count();
        Run count = Run.judo("filter", "--count", expr, demo.toString());
        assertEquals(0, count.status(), count.err());
        assertEquals(tcpdump + "\n", count.out());
        Path out = dir.resolve("sel.pcap");
        Run write = Run.judo("filter", "-w", out.toString(), expr, demo.toString());
        assertEquals(0, write.status(), write.err());
        assertEquals(tcpdump, packets(out));
        Run plain = Run.judo("filter", "-e", expr, demo.toString(), demo.toString());
        assertEquals(demo + ": " + tcpdump + " of 100 packets matched\n" + demo + ": " + tcpdump
                + " of 100 packets matched\n" + 2 * tcpdump + " of 200 packets matched in 2 files\n", plain.out());
    }

    @Test
    void filterWithTcpdumpsClassicBpf() throws Exception {
        ExternalTools.require("tcpdump");
        Path bpf = dir.resolve("f.bpf");
        Files.writeString(bpf, ExternalTools.run("tcpdump", "-r", demo.toString(), "-ddd", "udp"));
        Run r = Run.judo("filter", "--count", "--cbpf", bpf.toString(), demo.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(Run.judo("filter", "--count", "udp", demo.toString()).out(), r.out());
    }

    @Test
    void badExpressionShowsColumnAndCaret() {
        Run r = Run.judo("filter", "tcp prot 80", demo.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("column 5") && r.err().contains("tcp prot 80") && r.err().contains("    ^"),
                r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        Run missing = Run.judo("filter", "tcp", dir.resolve("none.pcap").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Run cbpf = Run.judo("filter", "--cbpf", demo.toString(), demo.toString());
        assertEquals(2, cbpf.status());
        assertTrue(cbpf.err().contains("instruction count"), cbpf.err());
    }

    @Test
    void asmDisasmVerifyRoundTrip() throws Exception {
        Path src = dir.resolve("f.s");
        Files.writeString(src, "; accept TCP to port 80\n.set web int { 80 }\n.rule 1\n    ldm r1, dst_port\n"
                + "    jin r1, @web, yes\n    ret drop\nyes:\n    ret pass, 1\n.end\n");
        Run asm = Run.judo("asm", src.toString());
        assertEquals(0, asm.status(), asm.err());
        Path jvm = dir.resolve("f.jvm");
        assertTrue(Files.exists(jvm));
        assertTrue(asm.out().contains("4 instructions, verified"), asm.out());
        Run dis = Run.judo("disasm", jvm.toString());
        assertEquals(0, dis.status(), dis.err());
        assertTrue(dis.out().contains("jin r1, @web, L3"), dis.out());
        Path again = dir.resolve("again.s");
        Files.writeString(again, dis.out());
        assertEquals(dis.out(), Run.judo("disasm", again.toString()).out(), "disasm(asm(disasm)) is stable");
        Run ok = Run.judo("verify", jvm.toString());
        assertEquals(0, ok.status());
        assertTrue(ok.out().contains("ok (4 instructions)"), ok.out());
    }

    @Test
    void verifyRejectsWithLineAndCaret() throws Exception {
        Path src = dir.resolve("bad.s");
        Files.writeString(src, "    mov r0, 1\n    add r0, r3\n    ret pass\n");
        Run r = Run.judo("verify", src.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad.s:2:5: rejected: insn 1: r3 read before written"), r.err());
        assertTrue(r.err().contains("add r0, r3\n    ^"), r.err());
        Path syntax = dir.resolve("syntax.s");
        Files.writeString(syntax, "    mov r0, 1\n    jump r0\n");
        Run s = Run.judo("asm", syntax.toString());
        assertEquals(2, s.status());
        assertTrue(s.err().contains("syntax.s:2:5: unknown instruction 'jump'"), s.err());
        Path garbage = dir.resolve("garbage.jvm");
        Files.write(garbage, new byte[] {'J', 'U', 'D', 'O', 'V', 'M', 0, 1, 0});
        Run g = Run.judo("disasm", garbage.toString());
        assertEquals(2, g.status());
        assertTrue(g.err().contains("corrupt program file"), g.err());
    }
}
