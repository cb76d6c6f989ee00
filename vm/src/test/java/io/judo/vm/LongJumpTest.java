package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.vm.asm.Assembler;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.asm.Label;
import io.judo.vm.asm.ProgramBuilder;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.interp.ProgramRunner;
import io.judo.vm.opt.Optimizer;
import io.judo.vm.verify.Verifier;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Programs longer than a 16-bit jump reaches (32,767 instructions): the builder relaxes far jumps ({@code ja} to
 * {@code jal}, a conditional jump through a trampoline), and verifier, interpreter, JIT, optimizer, disassembler
 * and assembler all agree on them. Expected results are counted by hand from the program's shape.
 */
class LongJumpTest {
    private static final int BODY = 40_000;

    private static PacketView packet(boolean ipv4) {
        byte[] f = ipv4 ? PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 80).build()
                : PacketBuilder.ethernet().ipv6("fd00::1", "fd00::2").tcp(1, 80).build();
        return new PacketDecoder().decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET,
                new PacketView());
    }

    /**
     * IPv4: 40,000 additions of r3 (the IP version, 4) into r0, then a far {@code ja} over the other block to "pass"
     * with r0 as the rule id. Otherwise a far conditional jump over the first block to 40,000 increments of r0 and
     * "drop" with r0 as the rule id.
     */
    private static Program program() {
        ProgramBuilder b = new ProgramBuilder();
        Label notIpv4 = b.newLabel();
        Label done = b.newLabel();
        b.loadMeta(3, MetaField.IP_VERSION).alu(AluOp.MOV, 0, 0).jump(JumpOp.JNE, 3, 4, notIpv4);
        for (int i = 0; i < BODY; i++) {
            b.aluReg(AluOp.ADD, 0, 3);
        }
        b.ja(done);
        b.bind(notIpv4);
        for (int i = 0; i < BODY; i++) {
            b.alu(AluOp.ADD, 0, 1);
        }
        b.alu(AluOp.LSH, 0, 8).alu(AluOp.OR, 0, Verdict.DROP).retReg(0);
        b.bind(done).alu(AluOp.LSH, 0, 8).alu(AluOp.OR, 0, Verdict.PASS).retReg(0);
        return b.build();
    }

    private static long[] run(ProgramRunner runner, boolean ipv4) {
        PacketContext ctx = new PacketContext().bind(packet(ipv4));
        runner.run(ctx);
        return new long[] {ctx.verdict(), ctx.ruleId()};
    }

    @Test
    void farJumpsAreRelaxedAndEveryEngineAgrees() throws Exception {
        Program p = program();
        int jal = 0;
        for (int pc = 0; pc < p.length(); pc++) {
            jal += Insn.op(p.insn(pc)) == Opcode.JAL ? 1 : 0;
        }
        assertEquals(2, jal, "one far conditional (through a trampoline) and one far ja");
        io.judo.vm.verify.VerifiedProgram v = Verifier.verify(p);
        long[] pass = {Verdict.PASS, 4L * BODY};
        long[] drop = {Verdict.DROP, BODY};
        Interpreter interp = new Interpreter(v, new HelperTable());
        assertArrayEquals(pass, run(interp, true));
        assertArrayEquals(drop, run(interp, false));
        JitCompiler.Result jit = JitCompiler.compile(v, new HelperTable());
        assertTrue(jit.compiled(), jit.fallbackReason());
        assertArrayEquals(pass, run(jit.runner(), true));
        assertArrayEquals(drop, run(jit.runner(), false));
        Program optimized = Optimizer.optimize(p);
        io.judo.vm.verify.VerifiedProgram vo = Verifier.verify(optimized);
        assertArrayEquals(pass, run(new Interpreter(vo, new HelperTable()), true));
        assertArrayEquals(drop, run(new Interpreter(vo, new HelperTable()), false));
        // the listing assembles back to the same program
        Program again = Assembler.assemble(Disassembler.disassemble(p), "long.s");
        assertEquals(p.length(), again.length());
        for (int pc = 0; pc < p.length(); pc++) {
            assertEquals(p.insn(pc), again.insn(pc), "insn " + pc);
        }
    }

    @Test
    void theVerifierChecksALongJumpsTarget() {
        Program p = program();
        long[] code = new long[p.length()];
        for (int pc = 0; pc < code.length; pc++) {
            code[pc] = p.insn(pc);
        }
        for (int pc = 0; pc < code.length; pc++) {
            if (Insn.op(code[pc]) == Opcode.JAL) {
                code[pc] = Insn.encode(Opcode.JAL, 0, 0, 0, code.length); // past the end
                break;
            }
        }
        Program broken = new Program(code, p.regions(), p.defaultVerdict(), p.strings(), p.intSets(), p.cidrSets(),
                p.patternDbs());
        io.judo.vm.verify.VerifyException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.judo.vm.verify.VerifyException.class, () -> Verifier.verify(broken));
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
    }
}
