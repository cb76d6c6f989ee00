package io.judo.engine.detect;

import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;

/**
 * One rule stage of a partition (the Suricata stage, {@link Detector}; the policy stage, {@link PolicyEngine}): it
 * hears the stream bytes the partition's {@link FlowPath} reassembles and inspects each tracked packet. Stages run in
 * the order the partition lists them.
 */
public interface Stage extends FlowPath.StreamListener, AutoCloseable {
    /** A packet arrives at {@code timeNanos}, before the flow path tracks it (stream bytes it completes follow). */
    void begin(PacketView v, long timeNanos);

    /**
     * Inspects the tracked packet {@code v} (the whole datagram when fragments completed one) of flow {@code f} (null:
     * not tracked) in direction {@code dir}.
     */
    void inspect(PacketView v, Flow f, int dir);

    /** The packet given to {@link #begin} is a fragment the flow path holds until its datagram is whole. */
    void fragmentHeld();

    /** The clock moved to {@code timeNanos} without a packet of this partition (flows may time out and flush). */
    void clock(long timeNanos);

    /** The input ended: every flow is being flushed (stream bytes still arrive through the listener). */
    default void finishing() {
    }

    @Override
    void close();
}
