package io.judo.packet.decode;

/**
 * The LINKTYPE_ values (pcap-linktype(7)) Judo decodes. Values are those stored in capture files; the BSD DLT_RAW
 * aliases 12 and 14 are accepted too.
 */
public final class LinkType {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /** PPP with its protocol field, optionally after the HDLC address and control bytes. */
    public static final int PPP = 9;
    /** PPP in HDLC-like framing (address 0xff, control 0x03, protocol). */
    public static final int PPP_HDLC = 50;
    public static final int RAW_ALIAS_12 = 12;
    public static final int RAW_ALIAS_14 = 14;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int NFLOG = 239;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {
    }

    /** True when {@link PacketDecoder} understands the link type. */
    public static boolean isSupported(int linkType) {
        switch (linkType) {
            case NULL: case ETHERNET: case RAW_ALIAS_12: case RAW_ALIAS_14: case RAW: case LOOP: case LINUX_SLL:
            case IPV4: case IPV6: case NFLOG: case LINUX_SLL2: case PPP: case PPP_HDLC:
                return true;
            default:
                return false;
        }
    }

    /** The libpcap name of a link type, or its number. */
    public static String name(int linkType) {
        switch (linkType) {
            case NULL: return "NULL";
            case ETHERNET: return "EN10MB";
            case RAW: case RAW_ALIAS_12: case RAW_ALIAS_14: return "RAW";
            case LOOP: return "LOOP";
            case LINUX_SLL: return "LINUX_SLL";
            case IPV4: return "IPV4";
            case IPV6: return "IPV6";
            case NFLOG: return "NFLOG";
            case LINUX_SLL2: return "LINUX_SLL2";
            case PPP: return "PPP";
            case PPP_HDLC: return "PPP_HDLC";
            default: return Integer.toString(linkType);
        }
    }
}
