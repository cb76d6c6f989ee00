package io.judo.engine.detect;

import io.judo.vm.Background;
import io.judo.vm.interp.BufferOps;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.verify.VerifiedProgram;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The JIT-compiled classes of a run's programs, one per program, shared by every partition: each partition's stage
 * instantiates the class over its own helpers, so the JVM compiles each program's methods once, not once per worker
 * (ET Open's stream program is 1.2 million instructions). Thread-safe. A null cache means interpreted.
 */
public final class JitCache {
    private final Map<VerifiedProgram, CompletableFuture<JitCompiler.Template>> templates = new IdentityHashMap<>();

    /**
     * Starts compiling {@code programs} on threads of their own (see {@link Background}), so that their classes are
     * generated while the caller builds the prefilter databases; {@link #runner} waits for them. Nulls are skipped.
     */
    public synchronized void prepare(VerifiedProgram... programs) {
        for (VerifiedProgram p : programs) {
            if (p != null && !templates.containsKey(p)) {
                templates.put(p, Background.start("judo-jit", () -> template(p)));
            }
        }
    }

    /** The program over {@code helpers}: compiled (once per program) or, when the JIT declines, interpreted. */
    JitCompiler.Result runner(VerifiedProgram program, HelperTable helpers) {
        CompletableFuture<JitCompiler.Template> t;
        synchronized (this) {
            t = templates.computeIfAbsent(program, p -> CompletableFuture.completedFuture(template(p)));
        }
        return Background.join(t).runner(helpers);
    }

    private static JitCompiler.Template template(VerifiedProgram p) {
        return JitCompiler.template(p, BufferOps.bind(new HelperTable(), p.program()));
    }

    /** {@code program} over {@code helpers}: through {@code cache}, or interpreted when it is null. */
    static JitCompiler.Result runner(JitCache cache, VerifiedProgram program, HelperTable helpers) {
        return cache == null ? new JitCompiler.Result(new Interpreter(program, helpers), null)
                : cache.runner(program, helpers);
    }
}
