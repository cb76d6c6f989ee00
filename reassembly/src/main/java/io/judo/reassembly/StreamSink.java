package io.judo.reassembly;

/** Receives what reassembly produces. Called on the packet thread; the byte array is only valid during the call. */
public interface StreamSink {
    /**
     * In-order bytes of one direction.
     *
     * @param direction 0 client to server, 1 server to client
     * @param offset stream offset of {@code data[from]} (0 = first byte after the SYN)
     */
    void data(Flow flow, int direction, long offset, byte[] data, int from, int length);

    /** A lost stretch [offset, offset + length) that will never be delivered. */
    default void gap(Flow flow, int direction, long offset, long length) {
    }

    default void event(Flow flow, int direction, StreamEvent event, long offset) {
    }
}
