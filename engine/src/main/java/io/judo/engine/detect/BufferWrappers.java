package io.judo.engine.detect;

import java.nio.ByteBuffer;

/**
 * Per prefilter buffer, {@link ByteBuffer} wrappers of the last two arrays its bytes were in, so that scanning a
 * transaction's buffers wraps nothing in steady state: an untransformed buffer lies in the parser's own array, a
 * transformed one in one of its two scratch arrays, which swap from one computation to the next.
 */
final class BufferWrappers {
    private final ByteBuffer[] wrapped;
    private final ByteBuffer[] wrappedOther;

    /** @param n the number of buffers */
    BufferWrappers(int n) {
        this.wrapped = new ByteBuffer[n];
        this.wrappedOther = new ByteBuffer[n];
    }

    /** A wrapper of {@code a} for buffer {@code i}: one of the last two made for it when {@code a} is theirs. */
    ByteBuffer wrap(int i, byte[] a) {
        if (wrapped[i] != null && wrapped[i].array() == a) {
            return wrapped[i];
        }
        ByteBuffer other = wrappedOther[i];
        wrappedOther[i] = wrapped[i];
        wrapped[i] = other != null && other.array() == a ? other : ByteBuffer.wrap(a);
        return wrapped[i];
    }
}
