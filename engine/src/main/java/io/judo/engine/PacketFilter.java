package io.judo.engine;

import io.judo.packet.capture.PacketRecord;
import io.judo.vm.Program;
import io.judo.vm.Verdict;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.ProgramRunner;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Selects packets with a VM program run on the raw frame, as a capture filter does. Filter languages compile per
 * link type (offsets differ), so the program for a link type is made, optimized, verified and cached the first time
 * a packet of that link type arrives. One instance per thread.
 */
public final class PacketFilter {
    private final IntFunction<Program> compiler;
    private final boolean jit;
    private final Map<Integer, ProgramRunner> byLinkType = new HashMap<>();
    private final PacketContext ctx = new PacketContext();
    private final HelperTable helpers = new HelperTable();
    private int lastLinkType = -1;
    private ProgramRunner last;
    private String jitFallback;

    /**
     * @param compiler makes the program for a link type; may throw the front end's syntax error, which reaches the
     *     caller of {@link #matches} for the first packet of that link type
     */
    public PacketFilter(IntFunction<Program> compiler) {
        this(compiler, false);
    }

    /** As {@link #PacketFilter(IntFunction)}, running JIT-compiled programs when {@code jit} (else interpreted). */
    public PacketFilter(IntFunction<Program> compiler, boolean jit) {
        this.compiler = compiler;
        this.jit = jit;
    }

    /** A filter that runs one program whatever the link type (imported classic BPF, an assembled program). */
    public static PacketFilter of(Program program) {
        return new PacketFilter(linkType -> program);
    }

    /** As {@link #of(Program)}, JIT-compiled when {@code jit}. */
    public static PacketFilter of(Program program, boolean jit) {
        return new PacketFilter(linkType -> program, jit);
    }

    /** Why the JIT was not used for some program (it then runs interpreted), or null. */
    public String jitFallback() {
        return jitFallback;
    }

    /** True when the program passes the packet. */
    public boolean matches(PacketRecord record) {
        ProgramRunner runner = record.linkType() == lastLinkType ? last : runner(record.linkType());
        ctx.bind(record.buffer(), record.offset(), record.capturedLength(), record.originalLength());
        return runner.run(ctx) == Verdict.PASS;
    }

    private ProgramRunner runner(int linkType) {
        ProgramRunner runner = byLinkType.get(linkType);
        if (runner == null) {
            Program p = io.judo.vm.opt.Optimizer.optimize(compiler.apply(linkType));
            VerifiedProgram verified;
            try {
                verified = Verifier.verify(p);
            } catch (VerifyException e) {
                throw new IllegalStateException("a compiled filter failed verification: " + e.getMessage(), e);
            }
            if (jit) {
                JitCompiler.Result r = JitCompiler.compile(verified, helpers);
                runner = r.runner();
                if (!r.compiled()) {
                    jitFallback = r.fallbackReason();
                }
            } else {
                runner = new Interpreter(verified, helpers);
            }
            byLinkType.put(linkType, runner);
        }
        lastLinkType = linkType;
        last = runner;
        return runner;
    }
}
