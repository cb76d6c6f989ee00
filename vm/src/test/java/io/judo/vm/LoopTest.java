package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.asm.AsmException;
import io.judo.vm.asm.Assembler;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.asm.Label;
import io.judo.vm.asm.ProgramBuilder;
import io.judo.vm.asm.ProgramCodec;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.JitTestAccess;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.interp.ProgramRunner;
import io.judo.vm.opt.Optimizer;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code jloop}, the bounded backward jump: fuel semantics in the interpreter and the JIT (whole runs, region runs,
 * loops inside one JVM method and across several), the builder's and assembler's rules, the codec round trip and the
 * optimizer leaving loops alone.
 */
class LoopTest {
    private static PacketContext raw() {
        byte[] frame = new byte[60];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) (i * 7);
        }
        return new PacketContext().bind(ByteBuffer.wrap(frame), 0, frame.length, frame.length);
    }

    private static List<ProgramRunner> runners(VerifiedProgram v) {
        List<ProgramRunner> all = new ArrayList<>();
        all.add(new Interpreter(v, new HelperTable()));
        JitCompiler.Result whole = JitCompiler.compile(v, new HelperTable());
        assertTrue(whole.compiled(), whole.fallbackReason());
        all.add(whole.runner());
        for (int chunk : new int[] {1, 2, 3, 7}) {
            JitCompiler.Result small = JitTestAccess.compile(v, new HelperTable(), chunk);
            assertTrue(small.compiled(), small.fallbackReason());
            all.add(small.runner());
        }
        return all;
    }

    /** tag = the sum of the packet's first {@code n} bytes, a byte per iteration (plus M[50], which is 0). */
    private static Program sumBytes(int n) {
        return Assembler.assemble("""
                .default reject
                    mov r0, 0
                    mov r1, 0
                    stmem M[50], r1
                top:
                    ldb r2, pkt[r1 + 0]
                    add r0, r2
                    add r1, 1
                    jeq r1, %d, done
                    jloop top
                done:
                    ldmem r3, M[50]
                    add r0, r3
                    stm tag, r0
                    ret pass
                """.formatted(n), "sum");
    }

    @Test
    void aCountedLoopRunsTheSameEverywhere() throws Exception {
        VerifiedProgram v = Verifier.verify(sumBytes(10));
        int expected = 0;
        for (int i = 0; i < 10; i++) {
            expected += (i * 7) & 0xff;
        }
        for (ProgramRunner r : runners(v)) {
            PacketContext ctx = raw();
            assertEquals(Verdict.PASS, r.run(ctx), r.toString());
            assertEquals(expected, ctx.tag(), r.toString());
            assertEquals(0, ctx.fuelExhausted(), r.toString());
            assertEquals(PacketContext.DEFAULT_FUEL - 9, ctx.fuel(), "nine back edges taken: " + r);
        }
    }

    @Test
    void exhaustionStopsAtTheSameIterationAndIsCountedAcrossRuns() throws Exception {
        // 60 bytes but 100 iterations wanted: the load fails at byte 60 first with enough fuel; with 5 units of fuel
        // the sixth back edge fails; outside a region both exit with the default verdict (reject).
        VerifiedProgram v = Verifier.verify(sumBytes(100));
        for (ProgramRunner r : runners(v)) {
            PacketContext ctx = raw().fuelLimit(5);
            assertEquals(Verdict.REJECT, r.run(ctx), r.toString());
            assertEquals(1, ctx.fuelExhausted());
            assertEquals(0, ctx.fuel());
            ctx.bind(ByteBuffer.wrap(new byte[60]), 0, 60, 60); // bind does not reset the count
            r.run(ctx);
            assertEquals(2, ctx.fuelExhausted());
            ctx.fuelLimit(PacketContext.DEFAULT_FUEL);
            assertEquals(Verdict.REJECT, r.run(ctx), "the load fails at byte 60");
            assertEquals(2, ctx.fuelExhausted(), "no exhaustion with enough fuel");
            assertEquals(PacketContext.DEFAULT_FUEL - 60, ctx.fuel(), "each run starts with full fuel");
        }
    }

    @Test
    void fuelZeroFailsTheFirstBackEdge() throws Exception {
        VerifiedProgram v = Verifier.verify(Assembler.assemble("""
                .rule 3
                    mov r0, 0
                top:
                    add r0, 1
                    jloop top
                .end
                    stm tag, r0
                    ret pass, 9
                """, "zero"));
        for (ProgramRunner r : runners(v)) {
            for (long fuel : new long[] {0, 1, 17}) {
                PacketContext ctx = raw().fuelLimit(fuel);
                assertEquals(Verdict.PASS, r.run(ctx));
                assertEquals(fuel + 1, ctx.tag(), "the body ran fuel + 1 times: " + r);
                assertEquals(9, ctx.ruleId());
                assertEquals(1, ctx.fuelExhausted());
                PacketContext region = raw().fuelLimit(fuel);
                assertEquals(-1, r.runRegion(region, v.program().regions().get(0)), "the region run ends");
                assertEquals(1, region.fuelExhausted());
            }
        }
    }

    @Test
    void negativeFuelLimitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PacketContext().fuelLimit(-1));
    }

    /** A loop body longer than a JIT chunk (1,024 instructions): its back edge crosses JVM methods. */
    @Test
    void aLoopSpanningSeveralChunks() throws Exception {
        StringBuilder s = new StringBuilder(".default drop\n    mov r0, 0\n    mov r1, 0\n    mov r5, 3\ntop:\n");
        for (int i = 0; i < 3_000; i++) {
            s.append(i % 3 == 0 ? "    add r0, r5\n" : i % 3 == 1 ? "    xor r0, " + i + "\n" : "    stmem M[" + (i % 64)
                    + "], r0\n");
        }
        s.append("    add r1, 1\n    jeq r1, 25, done\n    jloop top\ndone:\n    ldmem r0, M[2]\n    stm tag, r0\n"
                + "    ret pass\n");
        VerifiedProgram v = Verifier.verify(Assembler.assemble(s.toString(), "long"));
        Interpreter interp = new Interpreter(v, new HelperTable());
        PacketContext expected = raw();
        interp.run(expected);
        JitCompiler.Result jit = JitCompiler.compile(v, new HelperTable());
        assertTrue(jit.compiled(), jit.fallbackReason());
        for (long fuel : new long[] {PacketContext.DEFAULT_FUEL, 24, 23, 3, 0}) {
            PacketContext a = raw().fuelLimit(fuel);
            PacketContext b = raw().fuelLimit(fuel);
            assertEquals(interp.run(a), jit.runner().run(b), "fuel " + fuel);
            assertEquals(a.tag(), b.tag(), "fuel " + fuel);
            assertEquals(a.fuelExhausted(), b.fuelExhausted(), "fuel " + fuel);
            assertEquals(fuel < 24 ? 1 : 0, b.fuelExhausted(), "fuel " + fuel);
        }
        assertEquals(Verdict.PASS, expected.verdict());
    }

    /** Random table programs (with jloops) that verify run the same in the interpreter and the JIT. */
    @Test
    void randomProgramsWithLoopsAreCompared() throws Exception {
        Random r = new Random(42);
        int compared = 0;
        for (int i = 0; i < 20_000 && compared < 150; i++) {
            Program p = RandomProgramProperties.loopProgram(r);
            VerifiedProgram v;
            try {
                v = Verifier.verify(p);
            } catch (VerifyException e) {
                continue;
            }
            compared++;
            List<String> aLog = new ArrayList<>();
            List<String> bLog = new ArrayList<>();
            JitCompiler.Result jit = JitTestAccess.compile(v, JitDifferentialProperties.recording(bLog), 1 + i % 4);
            assertTrue(jit.compiled(), jit.fallbackReason());
            JitDifferentialProperties.sameBehaviour(new Interpreter(v, JitDifferentialProperties.recording(aLog)),
                    aLog, v, jit.runner(), bLog, v, r, "program " + i + "\n" + Disassembler.disassemble(p));
        }
        assertTrue(compared >= 50, "only " + compared + " random programs with loops verified");
    }

    @Test
    void builderEmitsLoopsAndChecksThem() throws Exception {
        ProgramBuilder b = new ProgramBuilder();
        b.alu(AluOp.MOV, 0, 0);
        Label top = b.newLabel();
        b.bind(top);
        b.alu(AluOp.ADD, 0, 1);
        b.loop(top);
        Program p = b.build();
        assertEquals(Insn.encode(Opcode.JLOOP, 0, 0, -2, 0), p.insn(2));
        Verifier.verify(p);

        ProgramBuilder unbound = new ProgramBuilder();
        AsmException e = assertThrows(AsmException.class, () -> unbound.loop(unbound.newLabel("later")));
        assertTrue(e.getMessage().contains("later") && e.getMessage().contains("before"), e.getMessage());

        ProgramBuilder far = new ProgramBuilder();
        Label head = far.newLabel();
        far.bind(head);
        for (int i = 0; i < 40_000; i++) {
            far.alu(AluOp.MOV, 0, i);
        }
        far.loop(head);
        AsmException tooFar = assertThrows(AsmException.class, far::build);
        assertTrue(tooFar.getMessage().contains("16 bits"), tooFar.getMessage());
    }

    /**
     * Relaxation inserts trampolines before and inside a loop: the jloop still lands on its head, and a loop pushed
     * past 16 bits by the trampolines is refused.
     */
    @Test
    void relaxationKeepsLoopOffsetsRight() throws Exception {
        ProgramBuilder b = new ProgramBuilder();
        Label out = b.newLabel();
        b.alu(AluOp.MOV, 0, 0);
        b.alu(AluOp.MOV, 1, 0);
        b.jump(JumpOp.JEQ, 1, 7, out); // before the loop, far: a trampoline before the head
        Label filler = b.newLabel();
        b.jump(JumpOp.JEQ, 0, 5, filler); // never taken; makes the filler reachable
        Label top = b.newLabel();
        b.bind(top);
        b.alu(AluOp.ADD, 1, 1);
        b.jump(JumpOp.JEQ, 1, 3, out); // inside the loop, far: a trampoline inside it
        b.alu(AluOp.ADD, 0, 10);
        b.loop(top);
        b.bind(filler);
        for (int i = 0; i < 40_000; i++) { // never run: only makes the two jumps far
            b.alu(AluOp.MOV, 2, i);
        }
        b.ret(Verdict.DROP, 0);
        b.bind(out);
        b.storeMeta(MetaField.TAG, 0);
        b.ret(Verdict.PASS, 0);
        Program p = b.build();
        int jloop = -1;
        for (int pc = 0; pc < p.length(); pc++) {
            if (Insn.op(p.insn(pc)) == Opcode.JLOOP) {
                jloop = pc;
            }
        }
        assertEquals(11, jloop, "two trampolines of two instructions each went in before it");
        assertEquals(6, Opcode.jumpTarget(p.insn(jloop), jloop), "the head moved with the first trampoline");
        assertEquals(Insn.encode(Opcode.ALU64_IMM + AluOp.ADD.ordinal(), 1, 0, 0, 1), p.insn(6));
        VerifiedProgram v = Verifier.verify(p);
        for (ProgramRunner r : List.of(new Interpreter(v, new HelperTable()),
                JitCompiler.compile(v, new HelperTable()).runner())) {
            PacketContext ctx = raw();
            assertEquals(Verdict.PASS, r.run(ctx));
            assertEquals(20, ctx.tag(), "two full iterations, out on the third");
        }

        ProgramBuilder grows = new ProgramBuilder();
        Label exit = grows.newLabel();
        grows.alu(AluOp.MOV, 1, 0);
        Label head = grows.newLabel();
        grows.bind(head);
        for (int i = 0; i < 5; i++) {
            grows.jump(JumpOp.JEQ, 1, i + 1, exit);
        }
        for (int i = 0; i < 32_760; i++) {
            grows.alu(AluOp.MOV, 2, i);
        }
        grows.loop(head); // offset -32,766: fits before relaxation, not after ten more instructions
        for (int i = 0; i < 40_000; i++) {
            grows.alu(AluOp.MOV, 2, i);
        }
        grows.bind(exit);
        grows.ret(Verdict.PASS, 0);
        AsmException e = assertThrows(AsmException.class, grows::build);
        assertTrue(e.getMessage().contains("16 bits"), e.getMessage());
    }

    @Test
    void assemblerWantsTheLabelAbove() {
        AsmException below = assertThrows(AsmException.class, () -> Assembler.assemble(
                "    mov r0, 1\n    jloop later\nlater:\n    ret pass\n", "t"));
        assertTrue(below.getMessage().contains("t:2:") && below.getMessage().contains("defined above"),
                below.getMessage());
    }

    @Test
    void codecAndDisassemblerRoundTripLoops() throws Exception {
        Program p = sumBytes(10);
        Program decoded = ProgramCodec.decode(ProgramCodec.encode(p));
        assertArrayEquals(p.code(), decoded.code());
        String listing = Disassembler.disassemble(p);
        assertTrue(listing.contains("jloop L"), listing);
        assertArrayEquals(p.code(), Assembler.assemble(listing, "again").code());
    }

    @Test
    void theOptimizerLeavesLoopsAlone() throws Exception {
        Program p = Assembler.assemble("""
                    mov r0, 1
                    mov r1, 2
                    ja next
                next:
                    mov r2, 3
                top:
                    add r0, r1
                    jeq r0, 9, done
                    jloop top
                done:
                    ret pass
                """, "opt");
        Optimizer.Result r = Optimizer.run(p);
        assertTrue(r.applied().isEmpty(), r.applied().toString());
        assertArrayEquals(p.code(), r.program().code());
        assertArrayEquals(p.code(), Optimizer.optimize(p, true).code());
    }
}
