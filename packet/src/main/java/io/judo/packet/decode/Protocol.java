package io.judo.packet.decode;

/**
 * Protocols counted per packet. A packet counts once for each protocol whose header the decoder identified (even if
 * that header then turned out malformed), which is how tshark lists a frame's protocols.
 */
public enum Protocol {
    ETHERNET("ethernet"),
    VLAN("vlan"),
    SLL("sll"),
    LOOPBACK("loopback"),
    NFLOG("nflog"),
    ARP("arp"),
    IPV4("ipv4"),
    IPV6("ipv6"),
    FRAGMENT("fragments"),
    TCP("tcp"),
    UDP("udp"),
    ICMP("icmp"),
    ICMPV6("icmpv6"),
    OTHER_L3("other_l3"),
    OTHER_L4("other_l4"),
    GRE("gre"),
    ERSPAN("erspan"),
    IPV4_IN_IPV4("ipv4_in_ipv4"),
    IPV4_IN_IPV6("ipv4_in_ipv6"),
    IPV6_IN_IPV4("ipv6_in_ipv4"),
    IPV6_IN_IPV6("ipv6_in_ipv6"),
    TEREDO("teredo"),
    VXLAN("vxlan"),
    GENEVE("geneve"),
    MPLS("mpls"),
    PPPOE("pppoe"),
    PPP("ppp"),
    NSH("nsh");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    /** The lower-case name used in reports and JSON. */
    public String label() {
        return label;
    }

    /** This protocol's bit in {@link PacketView#protocols()}. */
    public int bit() {
        return 1 << ordinal();
    }
}
