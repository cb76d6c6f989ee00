package io.judo.rewrite.flow;

import java.nio.ByteBuffer;

/**
 * Inline only: the last bytes of a direction's newest segment, held back because they begin a text an edit rewrites.
 * They go out in front of the next segment (so an occurrence cut by the sender's segmentation is still rewritten
 * whole), or on their own after {@link HoldBack#HOLD_NANOS} (see {@link HoldBack#flush}).
 */
final class HeldBytes {
    /**
     * The headers of the segment they came in, made a frame of their own: IP length without payload, sequence
     * number at the held bytes' end (so the bytes go out as its "prefix" when sent alone).
     */
    byte[] header = new byte[128];
    int headerLength;
    int linkType;
    /** The held bytes, their count and stream offset. */
    byte[] bytes = new byte[64];
    int length;
    long from;
    /** When they were first held (a retransmission of the same bytes keeps it). */
    long since;
    int port;
    /** The ISNs when they were held (the other's only if {@link #otherKnown}). */
    long ownIsn;
    long otherIsn;
    boolean otherKnown;
    /** The state of their direction and of the opposite one. */
    DirectionState own;
    DirectionState other;
    /** Listed among the holds waiting to be sent. */
    boolean pending;
    /**
     * The segment they came in carried PSH: the sender had nothing more queued then. Without it more bytes are
     * coming (the sender waits for its window), so the held ones wait for them rather than go out alone.
     */
    boolean push;
    /**
     * When they were held, the receiver's window left the sender no room for another segment: it is mid-stream,
     * its next bytes come when the window opens, however late its application then is to write them.
     */
    boolean windowShut;
    private ByteBuffer headerView;

    long to() {
        return from + length;
    }

    /** The bytes went out (in a segment, or alone). */
    void release() {
        length = 0;
    }

    /** {@link #header} as a buffer, wrapped again only when the array was replaced by a larger one. */
    ByteBuffer headerBuffer() {
        if (headerView == null || headerView.array() != header) {
            headerView = ByteBuffer.wrap(header);
        }
        return headerView;
    }
}
