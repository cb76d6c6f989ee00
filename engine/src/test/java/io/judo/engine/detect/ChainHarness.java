package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.confirm.BoundedRegex;
import io.judo.rules.ChainCompiler;
import io.judo.rules.ir.Inspect;
import io.judo.vm.AluOp;
import io.judo.vm.Buffer;
import io.judo.vm.JumpOp;
import io.judo.vm.Program;
import io.judo.vm.Verdict;
import io.judo.vm.asm.Label;
import io.judo.vm.asm.ProgramBuilder;
import io.judo.vm.interp.BufferOps;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.interp.ProgramRunner;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One inspection chain compiled by the chain compiler into a region that exits with pass when the chain holds on a
 * buffer (packet semantics), run in the interpreter and the JIT; {@link #matches} asserts the two agree.
 */
final class ChainHarness {
    private static final ByteBuffer NO_FRAME = ByteBuffer.allocate(0);

    private final ProgramRunner interpreter;
    private final ProgramRunner jit;
    private final PacketContext interpreted = new PacketContext();
    private final PacketContext jitted = new PacketContext();

    ChainHarness(List<Inspect> chain) throws Exception {
        ChainCompiler.Strings strings = new ChainCompiler.Strings();
        Program p = program(chain, false, strings);
        VerifiedProgram v = Verifier.verify(p);
        BoundedRegex[] regexes = strings.regexTable(p.strings().size());
        interpreter = new Interpreter(v, helpers(p, regexes));
        JitCompiler.Result r = JitCompiler.compile(v, helpers(p, regexes));
        assertTrue(r.compiled(), () -> "the JIT fell back: " + r.fallbackReason());
        jit = r.runner();
    }

    /**
     * A program of one region (rule 0) that exits with pass when {@code chain} holds on the {@code stream} buffer,
     * with the packet or ({@code stream}) the stream chain semantics; its strings go to {@code strings}.
     */
    static Program program(List<Inspect> chain, boolean stream, ChainCompiler.Strings strings)
            throws ChainCompiler.TooComplex {
        ProgramBuilder b = new ProgramBuilder();
        b.defaultVerdict(Verdict.DROP);
        Label out = b.newLabel();
        b.beginRule(1);
        b.alu(AluOp.MOV, 1, Buffer.STREAM.id()).call(Helpers.BUFFER).jump(JumpOp.JSLT, 0, 0, out);
        ChainCompiler.emit(b, strings, chain, stream, 0, out);
        b.ret(Verdict.PASS, 1);
        b.endRule();
        b.bind(out);
        b.ret(Verdict.DROP, 0);
        return b.build();
    }

    private static HelperTable helpers(Program p, BoundedRegex[] regexes) {
        return BufferOps.bind(new HelperTable(), p).bind(Helpers.REGEX, new RegexHelper(regexes));
    }

    /** Whether the chain holds on {@code payload}: the interpreter's answer, which the JIT's must equal. */
    boolean matches(byte[] payload) {
        boolean interp = run(interpreter, interpreted, payload);
        boolean compiled = run(jit, jitted, payload);
        assertEquals(interp, compiled, "JIT vs interpreter");
        assertEquals(interpreted.fuelExhausted(), jitted.fuelExhausted(), "fuel exhausted, JIT vs interpreter");
        return interp;
    }

    /** Checks stopped by the fuel budget so far (interpreter). */
    long fuelExhausted() {
        return interpreted.fuelExhausted();
    }

    private static boolean run(ProgramRunner runner, PacketContext ctx, byte[] payload) {
        ctx.bind(NO_FRAME, 0, 0, 0).stream(payload, payload.length, 0, 0);
        return runner.run(ctx) == Verdict.PASS;
    }
}
