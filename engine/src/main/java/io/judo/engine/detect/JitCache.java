package io.judo.engine.detect;

import io.judo.vm.interp.BufferOps;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.verify.VerifiedProgram;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The JIT-compiled classes of a run's programs, one per program, shared by every partition: each partition's stage
 * instantiates the class over its own helpers, so the JVM compiles each program's methods once, not once per worker
 * (ET Open's stream program is a quarter of a million instructions). Thread-safe. A null cache means interpreted.
 */
public final class JitCache {
    private final Map<VerifiedProgram, JitCompiler.Template> templates = new IdentityHashMap<>();

    /** The program over {@code helpers}: compiled (once per program) or, when the JIT declines, interpreted. */
    synchronized JitCompiler.Result runner(VerifiedProgram program, HelperTable helpers) {
        JitCompiler.Template t = templates.computeIfAbsent(program,
                p -> JitCompiler.template(p, BufferOps.bind(new HelperTable(), p.program())));
        return t.runner(helpers);
    }

    /** {@code program} over {@code helpers}: through {@code cache}, or interpreted when it is null. */
    static JitCompiler.Result runner(JitCache cache, VerifiedProgram program, HelperTable helpers) {
        return cache == null ? new JitCompiler.Result(new Interpreter(program, helpers), null)
                : cache.runner(program, helpers);
    }
}
