package io.judo.packet.decode;

/**
 * Every packet-level problem the decoders recognise. One enum so that every counter, report and test names the same
 * reasons. Fatal reasons stop decoding at their layer; checksum reasons are recorded and decoding goes on (whether a
 * packet with a bad checksum is processed further is a policy decision of the caller, as Suricata's
 * {@code -k none}).
 */
public enum Malformed {
    UNKNOWN_LINK_TYPE("unknown_link_type", true),
    TRUNCATED_LINK_HEADER("truncated_link_header", true),
    TOO_MANY_VLAN_TAGS("too_many_vlan_tags", true),
    TRUNCATED_IPV4("truncated_ipv4", true),
    BAD_IP_VERSION("bad_ip_version", true),
    BAD_IHL("bad_ihl", true),
    BAD_IPV4_TOTAL_LENGTH("bad_ipv4_total_length", true),
    BAD_IPV4_OPTIONS("bad_ipv4_options", false),
    BAD_IPV4_CHECKSUM("bad_ipv4_checksum", false),
    TRUNCATED_IPV6("truncated_ipv6", true),
    BAD_IPV6_PAYLOAD_LENGTH("bad_ipv6_payload_length", true),
    TRUNCATED_IPV6_EXT_HEADER("truncated_ipv6_ext_header", true),
    TOO_MANY_IPV6_EXT_HEADERS("too_many_ipv6_ext_headers", true),
    BAD_FRAGMENT("bad_fragment", true),
    TRUNCATED_TCP("truncated_tcp", true),
    BAD_TCP_DATA_OFFSET("bad_tcp_data_offset", true),
    BAD_TCP_OPTIONS("bad_tcp_options", false),
    BAD_TCP_CHECKSUM("bad_tcp_checksum", false),
    TRUNCATED_UDP("truncated_udp", true),
    BAD_UDP_LENGTH("bad_udp_length", true),
    BAD_UDP_CHECKSUM("bad_udp_checksum", false),
    TRUNCATED_ICMP("truncated_icmp", true),
    BAD_ICMP_CHECKSUM("bad_icmp_checksum", false),
    TRUNCATED_ICMPV6("truncated_icmpv6", true),
    BAD_ICMPV6_CHECKSUM("bad_icmpv6_checksum", false),
    /** A tunnel or link encapsulation header (GRE, ERSPAN, VXLAN, Geneve, Teredo, MPLS, PPPoE, PPP, NSH) cut short. */
    TRUNCATED_ENCAPSULATION("truncated_encapsulation", true),
    /** A GRE header with a version or flags no GRE variant allows. */
    BAD_GRE("bad_gre", true),
    /** An encapsulation header whose version or fields are impossible (ERSPAN, Geneve, NSH, PPPoE). */
    BAD_ENCAPSULATION("bad_encapsulation", true),
    /** More nested encapsulations than a real network builds (Suricata's decoder.max-layers). */
    TOO_MANY_LAYERS("too_many_layers", true);

    private static final Malformed[] VALUES = values();

    private final String label;
    private final boolean fatal;

    Malformed(String label, boolean fatal) {
        this.label = label;
        this.fatal = fatal;
    }

    /** The snake_case name used in reports and JSON. */
    public String label() {
        return label;
    }

    /** True when decoding stops at the layer that has this problem. */
    public boolean fatal() {
        return fatal;
    }

    /** This reason's bit in {@link PacketView#problems()}. */
    public long bit() {
        return 1L << ordinal();
    }

    /** All reasons, shared (do not modify). */
    static Malformed[] all() {
        return VALUES;
    }
}
