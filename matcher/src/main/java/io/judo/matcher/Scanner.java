package io.judo.matcher;

import java.nio.ByteBuffer;

/**
 * Scans with one {@link PatternDatabase}; holds per-thread scratch, so one scanner per thread. Offsets reported to
 * the sink are absolute: from the start of the block, or of the stream.
 */
public interface Scanner extends AutoCloseable {
    /** Scans one self-contained block (a packet payload, a file). */
    void scan(ByteBuffer data, int offset, int length, MatchSink sink);

    /** Opens a stream; matches may span any number of {@link #scan(StreamState, ByteBuffer, int, int, MatchSink)}. */
    StreamState openStream();

    void scan(StreamState stream, ByteBuffer data, int offset, int length, MatchSink sink);

    /** Ends a stream: reports matches anchored at the end of data, then releases the stream. */
    void close(StreamState stream, MatchSink sink);

    @Override
    void close();
}
