package io.judo.packet.decode;

/** EtherType values the decoders act on. */
public final class EtherType {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    public static final int VLAN = 0x8100;
    public static final int IPV6 = 0x86DD;
    public static final int QINQ = 0x88A8;
    public static final int QINQ_OLD = 0x9100;
    /** Transparent Ethernet bridging: an Ethernet frame (in GRE and Geneve). */
    public static final int TEB = 0x6558;
    public static final int MPLS = 0x8847;
    public static final int MPLS_MULTICAST = 0x8848;
    public static final int PPPOE_DISCOVERY = 0x8863;
    public static final int PPPOE_SESSION = 0x8864;
    /** PPP (in PPTP's enhanced GRE). */
    public static final int PPP = 0x880B;
    /** ERSPAN type I and II (in GRE). */
    public static final int ERSPAN = 0x88BE;
    /** ERSPAN type III (in GRE). */
    public static final int ERSPAN_3 = 0x22EB;
    public static final int NSH = 0x894F;

    private EtherType() {
    }
}
