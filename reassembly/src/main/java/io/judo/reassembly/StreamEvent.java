package io.judo.reassembly;

/**
 * Stream anomalies and milestones, reported to the {@link StreamSink} and counted per stream. Each names the Suricata
 * stream event ({@code stream.reassembly_seq_gap}) it corresponds to, for the {@code stream-event} rule keyword and
 * EVE {@code anomaly} records, or none: milestones, and Judo's own anomalies Suricata does not raise (docs/RULES.md,
 * "Decoder and stream events").
 */
public enum StreamEvent {
    /** A segment overlapped data already received and carried different bytes. */
    OVERLAP_DIFFERENT_DATA("overlap_different_data", "stream.reassembly_overlap_different_data"),
    /**
     * Data beyond a hole piled up past the gap window: the hole is declared lost and delivery goes on after it.
     * Suricata's gap event marks the same thing (reassembly skipping bytes it will never get), decided by its own
     * rules (the receiver acknowledging past the hole), so the packet that raises it may differ.
     */
    GAP("gap", "stream.reassembly_seq_gap"),
    /** An in-window RST ended the stream. */
    RST("rst", null),
    /** A FIN ended the direction. */
    FIN("fin", null),
    /** The reassembly depth was reached; later bytes are not delivered. */
    DEPTH_REACHED("depth_reached", null),
    /** Data after the FIN's sequence number (ignored). */
    DATA_AFTER_FIN("data_after_fin", null),
    /**
     * A segment entirely outside the receive window, or an RST far from the expected sequence number (ignored).
     * Suricata's closest event is the one of its ESTABLISHED state for data beyond the window; Judo raises this in
     * any state, and for the RST too.
     */
    OUT_OF_WINDOW("out_of_window", "stream.est_packet_out_of_window"),
    /** A data segment without the ACK flag after the SYN: receivers drop it (RFC 9293), so reassembly does too. */
    DATA_WITHOUT_ACK("data_without_ack", null),
    /**
     * A data segment whose TTL (hop limit) is well below the direction's first one: likely a decoy meant to expire
     * between the sensor and the host (Ptacek and Newsham's insertion), so its data is not reassembled.
     */
    TTL_DECOY("ttl_decoy", null),
    /** The per-stream limit on buffered out-of-order bytes was hit; the segment was dropped. */
    MEMCAP("memcap", null);

    private static final StreamEvent[] VALUES = values();

    private final String label;
    private final String suricataEvent;

    StreamEvent(String label, String suricataEvent) {
        this.label = label;
        this.suricataEvent = suricataEvent;
    }

    public String label() {
        return label;
    }

    /** The Suricata stream event this is ({@code stream.reassembly_seq_gap}), or null when Suricata has none. */
    public String suricataEvent() {
        return suricataEvent;
    }

    /** This event's bit in a mask of events (one per constant, below bit 32). */
    public int bit() {
        return 1 << ordinal();
    }

    /**
     * The event Suricata calls {@code name} (full name, {@code stream.reassembly_seq_gap}, compared without case as
     * Suricata compares it), or null when no Judo event is it.
     */
    public static StreamEvent ofSuricataEvent(String name) {
        for (StreamEvent e : VALUES) {
            if (e.suricataEvent != null && e.suricataEvent.equalsIgnoreCase(name)) {
                return e;
            }
        }
        return null;
    }
}
