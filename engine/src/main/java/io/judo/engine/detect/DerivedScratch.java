package io.judo.engine.detect;

import io.judo.vm.Transform;
import java.util.List;

/**
 * Per derived buffer id, two scratch arrays that a buffer's transforms run through in turn (each output becomes the
 * next input), shared by the transaction buffer sources (HTTP, DNS, TLS). Allocates only when an output outgrows its array.
 */
final class DerivedScratch {
    private final byte[][] scratch;
    private final byte[][] spare;

    /** @param ids one more than the largest derived buffer id */
    DerivedScratch(int ids) {
        this.scratch = new byte[ids][];
        this.spare = new byte[ids][];
    }

    /**
     * Applies {@code transforms} in order to {@code in[off, off + len)} for buffer {@code id}.
     *
     * @return the output's length; the output is {@link #bytes(int)} from index 0 (a copy of the input when there
     *     are no transforms)
     */
    int apply(int id, List<Transform> transforms, byte[] in, int off, int len) {
        for (Transform t : transforms) {
            byte[] out = room(spare, id, t.maxOutput(len));
            len = t.apply(in, off, len, out);
            spare[id] = scratch[id]; // the output becomes the next input: swap this buffer's two arrays
            scratch[id] = out;
            in = out;
            off = 0;
        }
        if (in != scratch[id]) { // no transform (not made by the compiler, but harmless): copy the base
            byte[] out = room(scratch, id, len);
            System.arraycopy(in, off, out, 0, len);
        }
        return len;
    }

    /** Buffer {@code id}'s last output. */
    byte[] bytes(int id) {
        return scratch[id];
    }

    private static byte[] room(byte[][] arrays, int id, int n) {
        byte[] a = arrays[id];
        if (a == null || a.length < n) {
            a = new byte[Math.max(n, a == null ? 64 : a.length * 2)];
            arrays[id] = a;
        }
        return a;
    }
}
