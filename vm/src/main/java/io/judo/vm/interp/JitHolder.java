package io.judo.vm.interp;

/**
 * One generated class of a program too large for one: static chunk methods over a {@link JitState}, reached through
 * a switch in {@link #run}. Holders are stateless, so one instance of each serves every runner of a template.
 */
interface JitHolder {
    /** Runs chunk {@code chunk} (one of this holder's) from {@code start}; a result as a chunk method returns it. */
    int run(JitState state, PacketContext ctx, int start, int stop, int chunk);
}
