package io.judo.rewrite.flow;

/** Receives held-back bytes that {@link FlowRewriter#flushHeld} sends as segments of their own. */
@FunctionalInterface
public interface FrameSink {
    /** One frame of {@code length} bytes in {@code frame}, to go out of bridge port {@code port}. */
    void frame(int port, byte[] frame, int length);
}
