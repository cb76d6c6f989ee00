package io.judo.reassembly;

/** Stream anomalies and milestones, reported to the {@link StreamSink} and counted per stream. */
public enum StreamEvent {
    /** A segment overlapped data already received and carried different bytes. */
    OVERLAP_DIFFERENT_DATA("overlap_different_data"),
    /** Data beyond a hole piled up past the gap window: the hole is declared lost and delivery goes on after it. */
    GAP("gap"),
    /** An in-window RST ended the stream. */
    RST("rst"),
    /** A FIN ended the direction. */
    FIN("fin"),
    /** The reassembly depth was reached; later bytes are not delivered. */
    DEPTH_REACHED("depth_reached"),
    /** Data after the FIN's sequence number (ignored). */
    DATA_AFTER_FIN("data_after_fin"),
    /** A segment entirely outside the receive window (ignored). */
    OUT_OF_WINDOW("out_of_window"),
    /** A data segment without the ACK flag after the SYN: receivers drop it (RFC 9293), so reassembly does too. */
    DATA_WITHOUT_ACK("data_without_ack"),
    /**
     * A data segment whose TTL (hop limit) is well below the direction's first one: likely a decoy meant to expire
     * between the sensor and the host (Ptacek and Newsham's insertion), so its data is not reassembled.
     */
    TTL_DECOY("ttl_decoy"),
    /** The per-stream limit on buffered out-of-order bytes was hit; the segment was dropped. */
    MEMCAP("memcap");

    private final String label;

    StreamEvent(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
