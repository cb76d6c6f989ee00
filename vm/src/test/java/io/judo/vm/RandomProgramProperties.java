package io.judo.vm;

import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.vm.asm.ProgramBuilder;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Generated programs are either rejected by the verifier or run to completion without any exception, on random and
 * malformed packets. Two generators: raw random words (almost all rejected: the structural checks) and programs built
 * from random table rows with random fields and forward jumps (many accepted: the run-time paths).
 */
class RandomProgramProperties {
    private static final Opcode[] ROWS = Opcode.all().toArray(new Opcode[0]);

    static Program pools(long[] code, List<RuleRegion> regions) {
        ProgramBuilder b = new ProgramBuilder();
        b.addIntSet("ports", IntRangeSet.of(List.of(new long[] {0, 1024})));
        b.addCidrSet("nets", CidrSet.of(List.of(CidrSet.parse("10.0.0.0/8"), CidrSet.parse("::/1"))));
        b.addString("s", new byte[] {1, 2});
        b.addPatternDb("db", 2);
        Program p = b.build();
        return new Program(code, regions, Verdict.DROP, p.strings(), p.intSets(), p.cidrSets(), p.patternDbs());
    }

    static long randomInsn(Random r, int pc, int length) {
        Opcode op = ROWS[r.nextInt(ROWS.length)];
        int dst = r.nextInt(16);
        int src = r.nextInt(16);
        int off = Opcode.isLoop(op.code()) ? -1 - r.nextInt(Math.min(8, pc + 1)) // back to pc - 7 .. pc
                : op.branches() ? r.nextInt(Math.max(1, Math.min(8, length - pc - 1))) : r.nextInt(3) == 0
                ? r.nextInt(65536) - 32768 : r.nextInt(64);
        int imm = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(8);
        switch (op.format()) {
            case RET: off = 1 + r.nextInt(3); imm = r.nextInt(100); dst = 0; src = 0; break;
            case CALL: imm = 1 + r.nextInt(12); dst = 0; src = 0; off = 0; break;
            case MEM_LOAD: case MEM_STORE: off = r.nextInt(3) == 0 ? r.nextInt(Opcode.MEMORY_SLOTS) : r.nextInt(4); break;
            case LOAD: case LOAD_INDEXED: imm = r.nextInt(4); break;
            case META_LOAD: imm = r.nextInt(MetaField.values().length); break;
            default: break;
        }
        return Insn.encode(op.code(), dst, src, off, imm);
    }

    static byte[] packet(Random r) {
        byte[] frame = io.judo.packet.build.PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 80)
                .payload(new byte[r.nextInt(40)]).build();
        int cut = r.nextInt(frame.length + 1);
        byte[] out = java.util.Arrays.copyOf(frame, cut);
        if (r.nextBoolean()) {
            for (int i = 0; i < 3 && out.length > 0; i++) {
                out[r.nextInt(out.length)] = (byte) r.nextInt();
            }
        }
        return out;
    }

    private static void runOn(VerifiedProgram v, Random r) {
        Interpreter interp = new Interpreter(v, new HelperTable());
        PacketDecoder decoder = new PacketDecoder();
        PacketView view = new PacketView();
        PacketContext ctx = new PacketContext();
        for (int i = 0; i < 20; i++) {
            ctx.fuelLimit(JitDifferentialProperties.fuel(i));
            byte[] pkt = packet(r);
            if (i % 2 == 0) {
                decoder.decode(ByteBuffer.wrap(pkt), 0, pkt.length, pkt.length, LinkType.ETHERNET, view);
                ctx.bind(view);
            } else {
                ctx.bind(ByteBuffer.wrap(pkt), 0, pkt.length, pkt.length);
            }
            int verdict = interp.run(ctx);
            if (!Verdict.valid(verdict)) {
                throw new AssertionError("invalid verdict " + verdict);
            }
        }
    }

    @Property(tries = 2000)
    void rawWordsAreRejectedOrRunCleanly(@ForAll long seed) {
        Random r = new Random(seed);
        long[] code = new long[1 + r.nextInt(6)];
        for (int i = 0; i < code.length; i++) {
            code[i] = r.nextLong();
        }
        try {
            runOn(Verifier.verify(pools(code, List.of())), r);
            Statistics.collect("accepted");
        } catch (VerifyException e) {
            Statistics.collect("rejected");
        }
    }

    @Property(tries = 3000)
    void tableProgramsAreRejectedOrRunCleanly(@ForAll long seed) {
        Random r = new Random(seed);
        Program program = tableProgram(r);
        try {
            runOn(Verifier.verify(program), r);
            Statistics.collect("accepted");
        } catch (VerifyException e) {
            Statistics.collect("rejected");
        }
    }

    /**
     * A program of random table rows with random fields and forward jumps (and {@code jloop}s back up to 8), a few registers set first so that more of
     * them pass the verifier, ending in {@code ret}, sometimes with one rule region (shared by the JIT and optimizer
     * properties).
     */
    static Program tableProgram(Random r) {
        int n = 2 + r.nextInt(30);
        long[] code = new long[n];
        int pc = 0;
        for (int reg = 0; reg < 6 && pc < n - 1; reg++) {
            code[pc++] = Insn.encode(Opcode.ALU64_IMM, reg, 0, 0, r.nextInt(8));
        }
        for (; pc < n - 1; pc++) {
            code[pc] = randomInsn(r, pc, n);
        }
        code[n - 1] = Insn.encode(Opcode.RET, 0, 0, 1 + r.nextInt(3), 0);
        List<RuleRegion> regions = r.nextBoolean() ? List.of() : List.of(new RuleRegion(1, 1, Math.max(2, n - 1)));
        return pools(code, regions);
    }

    /**
     * A program with a bounded loop: a random table program without loops, with a loop test and a {@code jloop} back
     * up to 7 instructions inserted at a random place ({@code jcc rX, imm, +1; jloop head}; the test leaves the loop
     * or not, so some loops run until the fuel is gone). Jumps and regions are renumbered around the insertion; a
     * jump to the insertion point enters the loop test. Often rejected (a register the loop reads, a region the loop
     * would leave): callers verify.
     */
    private static boolean verifies(Program p) {
        try {
            Verifier.verify(p);
            return true;
        } catch (VerifyException e) {
            return false;
        }
    }

    static Program loopProgram(Random r) {
        Program base = tableProgram(r);
        for (int i = 0; i < 50 && (base.hasLoops() || !verifies(base)); i++) { // start from a valid program
            base = tableProgram(r);
        }
        int n = base.length();
        int k = 1 + r.nextInt(n - 1); // inserted before old pc k
        long[] code = new long[n + 2];
        for (int pc = 0; pc < n; pc++) {
            long insn = base.insn(pc);
            int to = pc < k ? pc : pc + 2;
            int target = Opcode.jumpTarget(insn, pc);
            if (target >= 0) {
                int moved = target < k || target == k && pc < k ? target : target + 2;
                int off = moved - to - 1;
                insn = Insn.op(insn) == Opcode.JAL ? Insn.encode(Opcode.JAL, Insn.dst(insn), Insn.src(insn),
                        Insn.off(insn), off) : Insn.encode(Insn.op(insn), Insn.dst(insn), Insn.src(insn), off,
                        Insn.imm(insn));
            }
            code[to] = insn;
        }
        JumpOp[] tests = JumpOp.values();
        // r1-r5, not r0: a region starts at pc 1, after r0's write, and a region run finds r0 as the previous run
        // left it, which the interpreter and the JIT do not keep alike (regions must be self-contained)
        code[k] = Insn.encode(Opcode.JMP64_IMM + tests[r.nextInt(tests.length)].ordinal(), 1 + r.nextInt(5), 0, 1,
                r.nextInt(8));
        int lowest = 0; // the loop stays in the region the insertion point is in
        for (RuleRegion g : base.regions()) {
            if (g.start() <= k && k < g.end()) {
                lowest = g.start();
            }
        }
        int head = Math.max(lowest, k - r.nextInt(8));
        code[k + 1] = Insn.encode(Opcode.JLOOP, 0, 0, head - (k + 1) - 1, 0);
        List<RuleRegion> regions = new java.util.ArrayList<>();
        for (RuleRegion g : base.regions()) {
            regions.add(new RuleRegion(g.ruleId(), g.start() <= k ? g.start() : g.start() + 2,
                    g.end() <= k ? g.end() : g.end() + 2));
        }
        return pools(code, regions);
    }
}
