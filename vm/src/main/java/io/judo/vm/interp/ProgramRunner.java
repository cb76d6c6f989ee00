package io.judo.vm.interp;

import io.judo.vm.RuleRegion;

/** Runs a verified program: the {@link Interpreter}, or a JIT-compiled program ({@link JitCompiler}). */
public interface ProgramRunner {
    /**
     * Runs the program on the packet bound to {@code ctx}.
     *
     * @return the verdict (also in {@link PacketContext#verdict()}, with the rule id)
     */
    int run(PacketContext ctx);

    /**
     * Runs one rule region from its first instruction until control leaves it.
     *
     * @return the verdict of a {@code ret} inside the region, or -1
     */
    int runRegion(PacketContext ctx, RuleRegion region);
}
