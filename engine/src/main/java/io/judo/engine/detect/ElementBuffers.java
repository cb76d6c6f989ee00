package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.rules.suricata.CompiledRuleSet.DerivedBuffer;
import io.judo.vm.Buffer;
import io.judo.vm.interp.PacketContext;
import java.util.List;

/**
 * A buffer source over one application-layer unit (a DNS message, a TLS session) whose buffers are read in place
 * from the parser, one element of a multi-buffer at a time: a subclass fills a buffer row ({@link #row}); a derived
 * buffer (a row with transforms, numbered by the rule compiler) is its base row's current element run through the
 * transforms each time it is selected, since the element changes between runs. Allocates only when a transformed
 * buffer outgrows its scratch array.
 */
abstract class ElementBuffers implements PacketContext.BufferSource {
    private final DerivedBuffer[] derived;
    private final DerivedScratch scratch;
    private final Slice slice = new Slice();
    /** The current element of the multi-buffers (0 for a buffer that has one element). */
    int element;

    /** @param derived the rule set's derived buffers (any order; ids beyond the table's rows) */
    ElementBuffers(List<DerivedBuffer> derived) {
        this.derived = table(derived);
        this.scratch = new DerivedScratch(this.derived.length);
    }

    /** The derived buffers indexed by id, the array as long as the largest id (or the buffer rows) needs. */
    static DerivedBuffer[] table(List<DerivedBuffer> derived) {
        int max = Buffer.values().length;
        for (DerivedBuffer d : derived) {
            max = Math.max(max, d.id() + 1);
        }
        DerivedBuffer[] table = new DerivedBuffer[max];
        for (DerivedBuffer d : derived) {
            table[d.id()] = d;
        }
        return table;
    }

    /** The buffer row buffer id {@code id} (a row or a derived buffer) reads, or null. */
    final Buffer baseOf(int id) {
        Buffer b = Buffer.of(id);
        if (b != null) {
            return b;
        }
        return id >= 0 && id < derived.length && derived[id] != null ? derived[id].base() : null;
    }

    /** Makes element {@code k} of every multi-buffer current (a list shorter than that has no buffer then). */
    final void element(int k) {
        this.element = k;
    }

    /** Fills {@code out} with buffer row {@code b}'s current element; false when the unit has none. */
    abstract boolean row(Buffer b, Slice out);

    @Override
    public final boolean select(int id, PacketContext c) {
        if (!fill(id, slice)) {
            return false;
        }
        c.selectBytes(slice.array, slice.offset, slice.length);
        return true;
    }

    /** Fills {@code out} with buffer {@code id}'s current element (through its transforms); false when absent. */
    final boolean fill(int id, Slice out) {
        Buffer b = Buffer.of(id);
        if (b != null) {
            return row(b, out);
        }
        if (id < 0 || id >= derived.length || derived[id] == null || !row(derived[id].base(), out)) {
            return false;
        }
        int len = scratch.apply(id, derived[id].transforms(), out.array, out.offset, out.length);
        out.set(scratch.bytes(id), 0, len);
        return true;
    }
}
