package io.judo.vm;

import java.util.Locale;

/**
 * Packet metadata a program can load ({@code ldm}) and, for the writable ones, store ({@code stm}). Values come from
 * the decoder and the flow; unknown values read as 0.
 */
public enum MetaField {
    TAG(true), QUEUE(true), MARK(true), PRIO(true),
    DIRECTION(false), INTERFACE(false),
    /** Length of the packet on the wire (libpcap's {@code len}). */
    PKT_LEN(false),
    /** Captured length. */
    CAP_LEN(false),
    ETHERTYPE(false), IP_VERSION(false), IP_PROTO(false), TTL(false), TOS(false),
    SRC_PORT(false), DST_PORT(false), TCP_FLAGS(false), ICMP_TYPE(false), ICMP_CODE(false),
    PAYLOAD_LEN(false),
    /** Bit 0: a fragment; bit 1: more fragments; bit 2: non-zero offset. */
    FRAG(false),
    FLOW_STATE(false), STREAM_OFFSET(false),
    /** Outer VLAN id, 0 when untagged. */
    VLAN(false),
    /** Length of the inspection buffer the {@code buffer} helper selected (0 before any). */
    BUF_LEN(false),
    /** Stream offset of the selected buffer's first byte (0 for a packet's payload). */
    BUF_BASE(false),
    /** Index of the selected buffer's first byte not inspected before (0 for a packet's payload). */
    BUF_NEW(false),
    /**
     * Size of the flow's client-to-server TCP stream as Suricata's {@code stream_size} reads it (next sequence number
     * minus initial: the SYN counts 1); 0 when the packet has no TCP flow or that direction sent nothing yet.
     */
    STREAM_SIZE_CLIENT(false),
    /** As {@link #STREAM_SIZE_CLIENT}, for the server-to-client stream. */
    STREAM_SIZE_SERVER(false),
    /** The packet's decode problems, one bit per {@code io.judo.packet.decode.Malformed} reason (its ordinal). */
    DECODE_EVENTS(false),
    /** The protocols the decoder identified in the packet, one bit per {@code io.judo.packet.decode.Protocol}. */
    PROTOCOLS(false),
    /**
     * The stream events tracking this packet raised in its flow, one bit per {@code io.judo.reassembly.StreamEvent}
     * (its ordinal); 0 unless the engine supplies them.
     */
    STREAM_EVENTS(false),
    /**
     * What the decoder could judge of the innermost IPv4 header's and transport header's checksums, and what it found:
     * the {@code io.judo.packet.decode.Checksums} bits (IPv4 judged 1, IPv4 bad 2, transport judged 4, transport bad
     * 8, verified 16). A judged checksum without its bad bit is good, or was not verified.
     */
    CHECKSUMS(false);

    private static final MetaField[] VALUES = values();
    private final boolean writable;

    MetaField(boolean writable) {
        this.writable = writable;
    }

    public boolean writable() {
        return writable;
    }

    /**
     * Whether a run reads the same value every time: not for the writable fields, the stream offset, or the
     * selected buffer's fields, which change when the {@code buffer} helper selects another buffer.
     */
    public boolean fixedForRun() {
        return !writable && this != STREAM_OFFSET && this != BUF_LEN && this != BUF_BASE && this != BUF_NEW;
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MetaField of(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }

    /** By assembly name, or null. */
    public static MetaField named(String text) {
        for (MetaField f : VALUES) {
            if (f.text().equals(text)) {
                return f;
            }
        }
        return null;
    }
}
