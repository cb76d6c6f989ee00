package io.judo.engine.detect;

import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.rewrite.SegmentRewriter;

/**
 * A rule engine whose rules can alter the packets they decide ({@link PolicyEngine}: judo's replace, nat-to, rdr-to,
 * set tos; {@link Detector}: Suricata's replace): what an output writing or sending the packets as they leave needs.
 */
public interface Rewriting {
    /** The packet last decided (the whole datagram for a reassembled one). */
    PacketView lastPacket();

    /** Its time, nanoseconds since the epoch. */
    long lastTime();

    /** Its flow, or null. */
    Flow lastFlow();

    /** Its direction within the flow (0: client to server). */
    int lastDirection();

    /**
     * Rewrites the packet last decided, for a packet going out of bridge port {@code port} (0 for a file).
     *
     * @return the rewritten frame's length in {@code rewriter.output()}, 0 when it goes out unchanged, or a negative
     *     {@link SegmentRewriter} result
     */
    int rewriteLast(SegmentRewriter rewriter, int port);

    /** The rewriting state and counters. */
    PolicyRewrites rewrites();

    /** See {@link PolicyRewrites#flushHeld}. */
    default int flushHeld(long timeNanos, boolean all, SegmentRewriter rewriter, PolicyRewrites.HeldSink out) {
        return rewrites().flushHeld(timeNanos, all, rewriter, out);
    }
}
