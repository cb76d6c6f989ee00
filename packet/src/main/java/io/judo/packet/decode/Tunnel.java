package io.judo.packet.decode;

/**
 * The encapsulations whose inner packet is a flow of its own (a tunnel), as opposed to link-layer encapsulations
 * (VLAN, MPLS, PPPoE, PPP, NSH) that only stand between a frame and its network layer.
 */
public enum Tunnel {
    /** GRE (RFC 2784/2890), PPTP's enhanced GRE, and ERSPAN carried in GRE. */
    GRE("GRE", "gre tunnel"),
    /** IPv4 inside IPv4 or IPv6 (IP protocol 4). */
    IPV4("IPv4", "ipv4 tunnel"),
    /** IPv6 inside IPv4 (6in4) or IPv6 (IP protocol 41). */
    IPV6("IPv6", "ipv6 tunnel"),
    /** IPv6 over UDP (RFC 4380), port 3544. */
    TEREDO("Teredo", "teredo tunnel"),
    /** Ethernet over UDP (RFC 7348), port 4789. */
    VXLAN("VXLAN", "vxlan encapsulation"),
    /** Ethernet or IP over UDP (RFC 8926), port 6081. */
    GENEVE("Geneve", "geneve encapsulation");

    private final String label;
    private final String packetSource;

    Tunnel(String label, String packetSource) {
        this.label = label;
        this.packetSource = packetSource;
    }

    /** The name reports use. */
    public String label() {
        return label;
    }

    /** What Suricata's EVE prints as {@code pkt_src} for a packet this tunnel's decoder produced. */
    public String packetSource() {
        return packetSource;
    }
}
