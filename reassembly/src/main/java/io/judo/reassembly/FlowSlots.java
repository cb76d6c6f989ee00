package io.judo.reassembly;

/**
 * Hands out the {@link Flow#SLOTS} slots of one flow table's flows, once each: one allocator per flow table (a
 * partition owns one), so modules sharing the table get distinct slots without a numbering convention.
 */
public final class FlowSlots {
    private int next;

    /**
     * The next free slot, for state of type {@code type} kept by {@code owner}.
     *
     * @throws IllegalStateException when all {@link Flow#SLOTS} are taken (a programming error: the set of modules
     *     sharing a flow table is fixed at build time)
     */
    public <T> FlowSlot<T> allocate(Class<T> type, String owner) {
        if (next == Flow.SLOTS) {
            throw new IllegalStateException("all " + Flow.SLOTS + " flow slots are taken; " + owner + " needs one");
        }
        return new FlowSlot<>(next++, type, owner);
    }
}
