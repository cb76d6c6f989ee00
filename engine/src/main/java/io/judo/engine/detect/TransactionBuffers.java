package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.applayer.http.HttpBuffer;
import io.judo.applayer.http.HttpTransaction;
import io.judo.rules.suricata.CompiledRuleSet.DerivedBuffer;
import io.judo.vm.Buffer;
import io.judo.vm.interp.PacketContext;
import java.util.List;

/**
 * The buffers of one HTTP transaction for the VM's buffer table: each {@link Buffer} row of the transaction scope is
 * the parser's {@link HttpBuffer} of the same name (read in place), taken from the side the run inspects for buffers
 * both sides have; a derived buffer (a row with transforms, numbered by the rule compiler) is computed from its base
 * the first time a run asks for it and kept for the rest of the inspection. Reused for every inspection: allocates
 * only when a transformed buffer outgrows its scratch array.
 */
final class TransactionBuffers implements PacketContext.BufferSource {
    private static final Buffer[] ROWS = Buffer.values();
    /** Per buffer row, the parser's buffer of that name, or null (payload, stream). */
    private static final HttpBuffer[] HTTP = new HttpBuffer[ROWS.length];

    static {
        for (HttpBuffer h : HttpBuffer.values()) {
            Buffer b = Buffer.named(h.text());
            if (b != null) {
                HTTP[b.id()] = h;
            }
        }
    }

    private final DerivedBuffer[] derived;
    private final DerivedScratch scratch;
    private final int[] lengths;
    /** Per derived buffer, the inspection it was last computed for (-1 when it had no base). */
    private final long[] computedAt;
    private final Slice slice = new Slice();
    private HttpTransaction tx;
    private int direction;
    private long inspection;

    /** @param derived the rule set's derived buffers (any order; ids beyond the table's rows) */
    TransactionBuffers(List<DerivedBuffer> derived) {
        this.derived = ElementBuffers.table(derived);
        int max = this.derived.length;
        this.scratch = new DerivedScratch(max);
        this.lengths = new int[max];
        this.computedAt = new long[max];
        java.util.Arrays.fill(computedAt, -1);
    }

    /** The parser's name for a buffer row, or null when the row is not an HTTP buffer. */
    static HttpBuffer http(Buffer b) {
        return HTTP[b.id()];
    }

    /**
     * Starts an inspection of {@code tx} from direction {@code dir} (0: the request side, 1: the response side):
     * derived buffers computed for an earlier inspection are stale.
     */
    void inspect(HttpTransaction tx, int dir) {
        this.tx = tx;
        this.direction = dir;
        this.streamLength = -1;
        inspection++;
    }

    /**
     * The stream window of this inspection (the chunk that completed it and what is kept before it), for the
     * prefilter of rules with packet data; the VM selects it from the context itself.
     */
    void stream(byte[] window, int length) {
        this.streamBytes = window;
        this.streamLength = length;
    }

    private byte[] streamBytes;
    private int streamLength = -1;

    @Override
    public boolean select(int id, PacketContext c) {
        if (id < ROWS.length) {
            HttpBuffer h = HTTP[id];
            if (h == null || tx == null || !tx.fill(h, direction, slice)) {
                return false;
            }
            c.selectBytes(slice.array, slice.offset, slice.length);
            return true;
        }
        if (id >= derived.length || derived[id] == null || !compute(id)) {
            return false;
        }
        c.selectBytes(scratch.bytes(id), 0, lengths[id]);
        return true;
    }

    /** Fills {@code out} with buffer {@code id} of the current inspection; false when it is absent. */
    boolean fill(int id, Slice out) {
        if (id == Buffer.STREAM.id()) {
            if (streamLength < 0) {
                return false;
            }
            out.array = streamBytes;
            out.offset = 0;
            out.length = streamLength;
            return true;
        }
        if (id < ROWS.length) {
            HttpBuffer h = HTTP[id];
            return h != null && tx != null && tx.fill(h, direction, out);
        }
        if (id >= derived.length || derived[id] == null || !compute(id)) {
            return false;
        }
        out.array = scratch.bytes(id);
        out.offset = 0;
        out.length = lengths[id];
        return true;
    }

    /** Computes derived buffer {@code id} once per inspection: its base, then each transform into a scratch array. */
    private boolean compute(int id) {
        if (computedAt[id] == inspection) {
            return lengths[id] >= 0;
        }
        computedAt[id] = inspection;
        DerivedBuffer d = derived[id];
        HttpBuffer h = HTTP[d.base().id()];
        if (h == null || tx == null || !tx.fill(h, direction, slice)) {
            lengths[id] = -1;
            return false;
        }
        int len = scratch.apply(id, d.transforms(), slice.array, slice.offset, slice.length);
        lengths[id] = len;
        return true;
    }
}
