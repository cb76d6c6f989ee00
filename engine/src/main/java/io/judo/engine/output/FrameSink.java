package io.judo.engine.output;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where packets go as the policy leaves them: a capture file ({@code scan --write}) or an interface (inline). */
public interface FrameSink {
    /** Whether frames of this link type can go out here (a pcap file has one link type). */
    boolean accepts(int linkType);

    /** One frame from an array. */
    void frame(long timeNanos, byte[] bytes, int offset, int length, int originalLength) throws IOException;

    /** One frame from a buffer. */
    void frame(long timeNanos, ByteBuffer buffer, int offset, int length, int originalLength) throws IOException;

    /** The port (bridge side) the current frame goes out of; 0 for a file. */
    default int port() {
        return 0;
    }

    /** A frame to go out of {@code port}, outside the current packet's turn (held bytes sent later). */
    default void frameTo(int port, byte[] bytes, int offset, int length) throws IOException {
        frame(0, bytes, offset, length, length);
    }

    /**
     * Whether rejected packets get an answer here (a live link: a TCP RST or ICMP unreachable back to the sender; a
     * capture file: no).
     */
    default boolean answersRejects() {
        return false;
    }

    /** A frame back out of the interface the current packet came in on (a reject's answer). */
    default void reply(byte[] bytes, int length) throws IOException {
    }

    /** Ends the output. */
    void close() throws IOException;
}
