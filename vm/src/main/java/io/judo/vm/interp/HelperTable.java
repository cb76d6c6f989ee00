package io.judo.vm.interp;

/**
 * Binds helper ids to implementations. A call to an unbound helper returns 0 (a MATCH that finds nothing), so a
 * program can run where, say, no pattern matcher is wired in; {@link #unboundCalls()} counts how often that happened.
 */
public final class HelperTable {
    private final Helper[] helpers = new Helper[256];
    /** Ids bound to the VM's own implementation ({@link BufferOps}), which the JIT calls directly. */
    private final boolean[] builtin = new boolean[256];
    /** The program's strings, for the built-in {@code find} (set by {@link BufferOps#bind}). */
    byte[][] strings = new byte[0][];
    private long unboundCalls;

    public HelperTable bind(int id, Helper helper) {
        if (Helpers.byId(id) == null) {
            throw new IllegalArgumentException("no helper with id " + id);
        }
        helpers[id] = helper;
        builtin[id] = false;
        return this;
    }

    /** Binds one of {@link BufferOps}'s helpers: the same code whether interpreted or called directly by the JIT. */
    HelperTable bindBuiltin(int id, Helper helper) {
        bind(id, helper);
        builtin[id] = true;
        return this;
    }

    /** Whether helper {@code id} is bound to the VM's own implementation. */
    boolean builtin(int id) {
        return id >= 0 && id < builtin.length && builtin[id];
    }

    long call(int id, PacketContext ctx, long r1, long r2, long r3, long r4, long r5) {
        Helper h = helpers[id];
        if (h == null) {
            unboundCalls++;
            return 0;
        }
        return h.call(ctx, r1, r2, r3, r4, r5);
    }

    public long unboundCalls() {
        return unboundCalls;
    }
}
