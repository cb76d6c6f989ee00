package io.judo.reassembly;

import java.util.function.Supplier;

/**
 * A typed place in every {@link Flow} for one module's per-flow state (a rule stage's flow bits and windows, the
 * rewriter's delta maps): the slot number is handed out by {@link FlowSlots}, so two modules sharing one flow table
 * can never pick the same number by convention.
 *
 * @param <T> the state kept
 */
public final class FlowSlot<T> {
    private final int index;
    private final Class<T> type;
    private final String owner;

    FlowSlot(int index, Class<T> type, String owner) {
        this.index = index;
        this.type = type;
        this.owner = owner;
    }

    /** The state kept in {@code f}, or null when none was kept yet. */
    public T get(Flow f) {
        return type.cast(f.slot(index));
    }

    /** The state kept in {@code f}, made with {@code make} on first use. */
    public T get(Flow f, Supplier<? extends T> make) {
        Object o = f.slot(index);
        if (o == null) {
            T made = make.get();
            f.slot(index, made);
            return made;
        }
        return type.cast(o);
    }

    /** Keeps {@code value} in {@code f} for the flow's lifetime. */
    public void set(Flow f, T value) {
        f.slot(index, value);
    }

    /** Who asked for the slot (for messages and listings). */
    public String owner() {
        return owner;
    }

    @Override
    public String toString() {
        return "slot " + index + " (" + owner + ")";
    }
}
