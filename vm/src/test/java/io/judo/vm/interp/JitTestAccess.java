package io.judo.vm.interp;

import io.judo.vm.verify.VerifiedProgram;

/** Lets tests in other packages compile with small chunks, so that jumps cross JVM methods often. */
public final class JitTestAccess {
    private JitTestAccess() {
    }

    public static JitCompiler.Result compile(VerifiedProgram v, HelperTable helpers, int chunk) {
        return JitCompiler.compile(v, helpers, chunk);
    }
}
