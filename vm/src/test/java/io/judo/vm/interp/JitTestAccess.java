package io.judo.vm.interp;

import io.judo.vm.verify.VerifiedProgram;

/** Lets tests in other packages compile with small chunks, so that jumps cross JVM methods often. */
public final class JitTestAccess {
    private JitTestAccess() {
    }

    public static JitCompiler.Result compile(VerifiedProgram v, HelperTable helpers, int chunk) {
        return JitCompiler.compile(v, helpers, chunk);
    }

    /** Compiles with at most about {@code entries} constant-pool entries per generated class; also its class count. */
    public static JitCompiler.Result compile(VerifiedProgram v, HelperTable helpers, int chunk, int entries,
            int[] classes) {
        JitCompiler.Template t = JitCompiler.template(v, helpers, chunk, entries);
        classes[0] = t.classes();
        return t.runner(helpers);
    }
}
