package io.judo.packet.decode;

/**
 * Every packet-level problem the decoders recognise. One enum so that every counter, report and test names the same
 * reasons. Fatal reasons stop decoding at their layer; checksum reasons are recorded and decoding goes on (whether a
 * packet with a bad checksum is processed further is a policy decision of the caller, as Suricata's
 * {@code -k none}).
 *
 * <p>Each reason also names the Suricata decoder events ({@code decoder.ipv4.trunc_pkt}, the names of Suricata's
 * {@code decode-events.c} table) whose condition it covers, for the {@code decode-event} rule keyword and for EVE
 * {@code anomaly} records. Where Judo's reason is coarser than Suricata's events (one Judo reason for several
 * Suricata conditions), it lists all of them and a rule naming any one of them matches every packet with the reason;
 * the events of a reason that spans protocols name the protocol that must have been seen too. docs/RULES.md
 * ("Decoder and stream events") has the table and the differences. Reasons with no Suricata counterpart (unknown
 * link type, checksums, which Suricata tests with {@code ipv4-csum} and its kin) name none.
 */
public enum Malformed {
    UNKNOWN_LINK_TYPE("unknown_link_type", true),
    /** Suricata raises one event per link type; Judo has one reason, so each event is tied to its link protocol. */
    TRUNCATED_LINK_HEADER("truncated_link_header", true, ev("ethernet.pkt_too_small", Protocol.ETHERNET),
            ev("sll.pkt_too_small", Protocol.SLL), ev("ltnull.pkt_too_small", Protocol.LOOPBACK),
            ev("vlan.header_too_small", Protocol.VLAN)),
    /** Judo allows 8 tags, Suricata 2: Suricata raises its event from the third tag on, Judo from the ninth. */
    TOO_MANY_VLAN_TAGS("too_many_vlan_tags", true, ev("vlan.too_many_layers", null)),
    /** Fewer than 20 bytes, or fewer than the IHL says (Suricata: trunc_pkt or iplen_smaller_than_hlen there). */
    TRUNCATED_IPV4("truncated_ipv4", true, ev("ipv4.pkt_too_small", null)),
    /** The version nibble disagrees with the EtherType (or the raw link's first byte is neither 4 nor 6). */
    BAD_IP_VERSION("bad_ip_version", true, ev("ipv4.wrong_ip_version", Protocol.IPV4),
            ev("ipv6.wrong_ip_version", Protocol.IPV6), ev("ipraw.invalid_ip_version", null)),
    BAD_IHL("bad_ihl", true, ev("ipv4.hlen_too_small", null)),
    /** Total length below the header length, or beyond the captured bytes of a frame the capture did not cut. */
    BAD_IPV4_TOTAL_LENGTH("bad_ipv4_total_length", true, ev("ipv4.trunc_pkt", null),
            ev("ipv4.iplen_smaller_than_hlen", null)),
    /** An option whose length byte is missing, below 2, or runs past the header. */
    BAD_IPV4_OPTIONS("bad_ipv4_options", false, ev("ipv4.opt_invalid_len", null), ev("ipv4.opt_malformed", null)),
    BAD_IPV4_CHECKSUM("bad_ipv4_checksum", false),
    TRUNCATED_IPV6("truncated_ipv6", true, ev("ipv6.pkt_too_small", null)),
    BAD_IPV6_PAYLOAD_LENGTH("bad_ipv6_payload_length", true, ev("ipv6.trunc_pkt", null)),
    TRUNCATED_IPV6_EXT_HEADER("truncated_ipv6_ext_header", true, ev("ipv6.trunc_exthdr", null)),
    TOO_MANY_IPV6_EXT_HEADERS("too_many_ipv6_ext_headers", true),
    /** A fragment reaching past 65535 bytes of datagram. */
    BAD_FRAGMENT("bad_fragment", true, ev("ipv4.frag_pkt_too_large", Protocol.IPV4),
            ev("ipv6.frag_pkt_too_large", Protocol.IPV6)),
    /** Fewer than 20 bytes, or the header cut by the capture (Suricata: hlen_too_small there). */
    TRUNCATED_TCP("truncated_tcp", true, ev("tcp.pkt_too_small", null)),
    /** A data offset below 20 bytes (Suricata: invalid_optlen) or past the datagram (Suricata: hlen_too_small). */
    BAD_TCP_DATA_OFFSET("bad_tcp_data_offset", true, ev("tcp.hlen_too_small", null), ev("tcp.invalid_optlen", null)),
    BAD_TCP_OPTIONS("bad_tcp_options", false, ev("tcp.opt_invalid_len", null)),
    BAD_TCP_CHECKSUM("bad_tcp_checksum", false),
    TRUNCATED_UDP("truncated_udp", true, ev("udp.hlen_too_small", null)),
    /** A UDP length past the datagram (Suricata: pkt_too_small) or below 8 (Suricata: len_invalid). */
    BAD_UDP_LENGTH("bad_udp_length", true, ev("udp.pkt_too_small", null), ev("udp.len_invalid", null)),
    BAD_UDP_CHECKSUM("bad_udp_checksum", false),
    /** Fewer than 4 bytes (Suricata's bound is 8). */
    TRUNCATED_ICMP("truncated_icmp", true, ev("icmpv4.pkt_too_small", null)),
    BAD_ICMP_CHECKSUM("bad_icmp_checksum", false),
    /** Fewer than 4 bytes (Suricata's bound is 8). */
    TRUNCATED_ICMPV6("truncated_icmpv6", true, ev("icmpv6.pkt_too_small", null)),
    BAD_ICMPV6_CHECKSUM("bad_icmpv6_checksum", false),
    /** A tunnel or link encapsulation header (GRE, ERSPAN, VXLAN, Geneve, Teredo, MPLS, PPPoE, PPP, NSH) cut short. */
    TRUNCATED_ENCAPSULATION("truncated_encapsulation", true, ev("gre.pkt_too_small", Protocol.GRE),
            ev("erspan.header_too_small", Protocol.ERSPAN), ev("mpls.header_too_small", Protocol.MPLS),
            ev("pppoe.pkt_too_small", Protocol.PPPOE), ev("ppp.pkt_too_small", Protocol.PPP),
            ev("nsh.header_too_small", Protocol.NSH)),
    /** A GRE header with a version or flags no GRE variant allows. */
    BAD_GRE("bad_gre", true, ev("gre.wrong_version", null), ev("gre.version1_chksum", null),
            ev("gre.version1_route", null), ev("gre.version1_no_key", null), ev("gre.version1_wrong_protocol", null)),
    /** An encapsulation header whose version or fields are impossible (ERSPAN, Geneve, NSH, PPPoE). */
    BAD_ENCAPSULATION("bad_encapsulation", true, ev("pppoe.wrong_code", Protocol.PPPOE),
            ev("erspan.unsupported_version", Protocol.ERSPAN), ev("nsh.unsupported_version", Protocol.NSH),
            ev("nsh.bad_header_length", Protocol.NSH)),
    /** More nested encapsulations than a real network builds (Suricata's decoder.max-layers). */
    TOO_MANY_LAYERS("too_many_layers", true, ev("too_many_layers", null));

    /**
     * One Suricata decoder event a reason covers: its full name ({@code decoder.ipv4.trunc_pkt}) and, when the
     * reason spans protocols, the protocol the packet must have shown for this event rather than a sibling (null:
     * any packet with the reason).
     */
    public record SuricataEvent(String name, Malformed reason, Protocol layer) {
    }

    /** A reason's event before the reason exists: the enum constant is filled in by {@link #byName}. */
    private record Named(String name, Protocol layer) {
    }

    private static Named ev(String name, Protocol layer) {
        return new Named("decoder." + name, layer);
    }

    private static final Malformed[] VALUES = values();

    /** Every Suricata event name any reason covers, lower-case, to its event. */
    private static final java.util.Map<String, SuricataEvent> BY_NAME = byName();

    private final String label;
    private final boolean fatal;
    private final Named[] events;

    Malformed(String label, boolean fatal, Named... events) {
        this.label = label;
        this.fatal = fatal;
        this.events = events;
    }

    private static java.util.Map<String, SuricataEvent> byName() {
        java.util.Map<String, SuricataEvent> map = new java.util.HashMap<>();
        for (Malformed m : VALUES) {
            for (Named n : m.events) {
                map.put(n.name(), new SuricataEvent(n.name(), m, n.layer()));
            }
        }
        return java.util.Map.copyOf(map);
    }

    /**
     * The Suricata decoder event an anomaly record names for this reason ({@code decoder.ipv4.trunc_pkt}): the first
     * of {@link #suricataEvents()}, or null when Suricata has none.
     */
    public String suricataEvent() {
        return events.length == 0 ? null : events[0].name();
    }

    /** Every Suricata decoder event whose condition this reason covers, by full name; empty when none. */
    public java.util.List<String> suricataEvents() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Named n : events) {
            names.add(n.name());
        }
        return java.util.List.copyOf(names);
    }

    /**
     * The reason (and protocol) behind Suricata decoder event {@code name}, the full name as in Suricata's table
     * ({@code decoder.ipv4.trunc_pkt}), compared without case as Suricata compares it; null when no Judo reason
     * covers it (Suricata's own name, or no name at all: the caller tells them apart).
     */
    public static SuricataEvent ofSuricataEvent(String name) {
        return BY_NAME.get(name.toLowerCase(java.util.Locale.ROOT));
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
