package io.judo.engine.detect;

/**
 * The application layer's counters, one partition's each ({@link AppLayer#count}); summed over the workers by
 * {@link io.judo.engine.Pipeline#sum(AppLayerCount)} for the summary and {@code --json}. The per-event counts are
 * indexed by each protocol's event enum instead ({@link AppLayer#events()} and its siblings).
 */
public enum AppLayerCount {
    /** Flows detected as HTTP. */
    HTTP_FLOWS,
    /** HTTP transactions completed (or ended with their flow). */
    HTTP_TRANSACTIONS,
    /** Flows whose first bytes were no protocol the layer knows. */
    FAILED_FLOWS,
    /** Flows detected as DNS (over UDP or TCP). */
    DNS_FLOWS,
    /** DNS messages parsed (each a transaction). */
    DNS_MESSAGES,
    /** Flows detected as TLS. */
    TLS_FLOWS,
    /** TLS sessions whose handshake was seen to its end (both sides encrypted) or to the flow's end. */
    TLS_HANDSHAKES,
    /** Flows detected as SMTP. */
    SMTP_FLOWS,
    /** SMTP transactions (mails) completed, reset or ended with their flow. */
    SMTP_MAILS,
    /** FTP command channels parsed. */
    FTP_FLOWS,
    /** FTP commands read. */
    FTP_COMMANDS,
    /** Flows found to be FTP data connections (announced by a command channel of this partition). */
    FTP_DATA_FLOWS,
    /** Flows detected as SSH. */
    SSH_FLOWS,
    /** SSH connections whose key exchange was seen to its end (both sides sent NEWKEYS). */
    SSH_HANDSHAKES
}
