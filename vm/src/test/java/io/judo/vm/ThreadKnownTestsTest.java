package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.asm.Assembler;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.opt.Optimizer;
import org.junit.jupiter.api.Test;

/** Hand-checked listings for jump threading on known values and its limits. */
class ThreadKnownTestsTest {
    @Test
    void aRepeatedTestOfAKnownValueIsSkipped() throws Exception {
        // "proto 6 and port 22, or proto 6 and port 80": the second proto test is decided on both paths into it
        Program p = Assembler.assemble(String.join("\n",
                ".rule 1",
                "    ldm r1, ip_proto",
                "    jne r1, 6, second",
                "    ldm r2, dst_port",
                "    jeq r2, 22, yes",
                "second:",
                "    ldm r1, ip_proto",
                "    jne r1, 6, no",
                "    ldm r2, dst_port",
                "    jeq r2, 80, yes",
                "no:",
                "    ret drop",
                "yes:",
                "    ret pass, 1",
                ".end",
                "    ret drop"), "t.s");
        Optimizer.Result o = Optimizer.run(p);
        String listing = Disassembler.disassemble(o.program());
        assertTrue(o.applied().contains("thread-known-tests"), o.applied().toString());
        // not TCP: the jump to the second test goes straight to "drop" (the second test is decided); TCP but not port
        // 22 falls through into the second test, which stays (a fall-through is not a jump this pass can move);
        // the drop after the region is unreachable and goes
        assertEquals(String.join("\n",
                ".rule 1",
                "    ldm r1, ip_proto",
                "    jne r1, 6, L8",
                "    ldm r2, dst_port",
                "    jeq r2, 22, L9",
                "    ldm r1, ip_proto",
                "    jne r1, 6, L8",
                "    ldm r2, dst_port",
                "    jeq r2, 80, L9",
                "L8:",
                "    ret drop",
                "L9:",
                "    ret pass, 1",
                ".end", ""), listing);
    }

    @Test
    void nothingIsThreadedIntoAnotherRuleRegion() throws Exception {
        // region 2 repeats region 1's test; run alone (as the Suricata engine runs regions) it must still run whole
        Program p = Assembler.assemble(String.join("\n",
                ".rule 1",
                "    ldm r1, ip_proto",
                "    jne r1, 6, r2",
                "    ret pass, 1",
                ".end",
                "r2:",
                ".rule 2",
                "    ldm r1, ip_proto",
                "    jne r1, 6, out",
                "    ret pass, 2",
                ".end",
                "out:",
                "    ret drop"), "t.s");
        Program o = Optimizer.optimize(p);
        for (RuleRegion r : o.regions()) {
            for (int pc = r.start(); pc < r.end(); pc++) {
                long insn = o.insn(pc);
                if (Opcode.of(Insn.op(insn)).branches()) {
                    int target = pc + 1 + Opcode.jumpOffset(insn);
                    assertTrue(target <= r.end(), "a jump in rule " + r.ruleId() + " leaves it mid-way to " + target
                            + ":\n" + Disassembler.disassemble(o));
                }
            }
        }
        assertEquals(p.length(), o.length(), Disassembler.disassemble(o));
    }

    @Test
    void identicalEndingBlocksAreMerged() throws Exception {
        // two copies of "mov r0, 7 << 8 | pass; retr r0", each reached by a jump: the first copy goes
        Program p = Assembler.assemble(String.join("\n",
                "    ldm r1, dst_port",
                "    jeq r1, 22, a",
                "    jeq r1, 23, b",
                "    ret drop",
                "a:  mov r0, 1793",
                "    retr r0",
                "b:  mov r0, 1793",
                "    retr r0"), "t.s");
        Optimizer.Result o = Optimizer.run(p);
        assertTrue(o.applied().contains("merge-tails"), o.applied().toString());
        assertEquals(String.join("\n",
                "    ldm r1, dst_port",
                "    jeq r1, 22, L4",
                "    jeq r1, 23, L4",
                "    ret drop",
                "L4:",
                "    mov r0, 1793",
                "    retr r0", ""), Disassembler.disassemble(o.program()));
    }

    @Test
    void aProgramRunWholeSkipsRulesAcrossRegionsAsPfSkipSteps() throws Exception {
        // the judo policy engine runs programs whole: rule 2 repeats rule 1's failed protocol test and is skipped
        Program p = Assembler.assemble(String.join("\n",
                ".rule 1",
                "    ldm r1, ip_proto",
                "    jne r1, 17, r2",
                "    ret drop, 1",
                ".end",
                "r2:",
                ".rule 2",
                "    ldm r1, ip_proto",
                "    jne r1, 17, r3",
                "    ret drop, 2",
                ".end",
                "r3:",
                ".rule 3",
                "    ret pass, 3",
                ".end"), "t.s");
        Program o = Optimizer.optimize(p, true);
        String listing = Disassembler.disassemble(o);
        // not UDP: straight from rule 1 to rule 3; rule 2 is reached by no path and goes, region and all
        assertTrue(listing.contains("    jne r1, 17, L3\n    ret drop, 1\n"), listing);
        assertTrue(!listing.contains("ret drop, 2"), listing);
        for (String frame : new String[] {"udp", "tcp"}) {
            byte[] f = "udp".equals(frame)
                    ? io.judo.packet.build.PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build()
                    : io.judo.packet.build.PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).build();
            io.judo.packet.decode.PacketView v = new io.judo.packet.decode.PacketDecoder().decode(
                    java.nio.ByteBuffer.wrap(f), 0, f.length, f.length, io.judo.packet.decode.LinkType.ETHERNET,
                    new io.judo.packet.decode.PacketView());
            io.judo.vm.interp.PacketContext before = new io.judo.vm.interp.PacketContext().bind(v);
            io.judo.vm.interp.PacketContext after = new io.judo.vm.interp.PacketContext().bind(v);
            new io.judo.vm.interp.Interpreter(io.judo.vm.verify.Verifier.verify(p),
                    new io.judo.vm.interp.HelperTable()).run(before);
            new io.judo.vm.interp.Interpreter(io.judo.vm.verify.Verifier.verify(o),
                    new io.judo.vm.interp.HelperTable()).run(after);
            assertEquals(before.verdict(), after.verdict(), frame);
            assertEquals(before.ruleId(), after.ruleId(), frame);
        }
        // run a region at a time (the Suricata engine), the same program keeps rule 2 reachable
        assertTrue(Disassembler.disassemble(Optimizer.optimize(p)).contains("ret drop, 2"));
    }
}
