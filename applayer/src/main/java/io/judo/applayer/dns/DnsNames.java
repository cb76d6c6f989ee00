package io.judo.applayer.dns;

/**
 * The mnemonics EVE prints for record types and response codes (IANA's DNS parameters registry, as Suricata's
 * {@code dns_rrtype_string} and {@code dns_rcode_string} name them); a number without a mnemonic prints as itself.
 */
public final class DnsNames {
    private static final String[] TYPES = new String[260];

    static {
        String[][] known = {{"1", "A"}, {"2", "NS"}, {"3", "MD"}, {"4", "MF"}, {"5", "CNAME"}, {"6", "SOA"},
            {"7", "MB"}, {"8", "MG"}, {"9", "MR"}, {"10", "NULL"}, {"11", "WKS"}, {"12", "PTR"}, {"13", "HINFO"},
            {"14", "MINFO"}, {"15", "MX"}, {"16", "TXT"}, {"17", "RP"}, {"18", "AFSDB"}, {"19", "X25"},
            {"20", "ISDN"}, {"21", "RT"}, {"22", "NSAP"}, {"23", "NSAPPTR"}, {"24", "SIG"}, {"25", "KEY"},
            {"26", "PX"}, {"27", "GPOS"}, {"28", "AAAA"}, {"29", "LOC"}, {"30", "NXT"}, {"33", "SRV"},
            {"34", "ATMA"}, {"35", "NAPTR"}, {"36", "KX"}, {"37", "CERT"}, {"38", "A6"}, {"39", "DNAME"},
            {"41", "OPT"}, {"42", "APL"}, {"43", "DS"}, {"44", "SSHFP"}, {"45", "IPSECKEY"}, {"46", "RRSIG"},
            {"47", "NSEC"}, {"48", "DNSKEY"}, {"49", "DHCID"}, {"50", "NSEC3"}, {"51", "NSEC3PARAM"},
            {"52", "TLSA"}, {"55", "HIP"}, {"59", "CDS"}, {"60", "CDNSKEY"}, {"64", "SVCB"}, {"65", "HTTPS"},
            {"99", "SPF"}, {"249", "TKEY"}, {"250", "TSIG"}, {"251", "IXFR"}, {"252", "AXFR"}, {"253", "MAILB"},
            {"254", "MAILA"}, {"255", "ANY"}, {"256", "URI"}};
        for (String[] k : known) {
            TYPES[Integer.parseInt(k[0])] = k[1];
        }
    }

    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
        "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};

    private DnsNames() {
    }

    /** The record type's mnemonic ({@code A}, {@code AAAA}), or its number as text. */
    public static String rrtype(int type) {
        String s = type >= 0 && type < TYPES.length ? TYPES[type] : null;
        return s != null ? s : Integer.toString(type);
    }

    /** The response code's mnemonic ({@code NOERROR}, {@code NXDOMAIN}), or its number as text. */
    public static String rcode(int rcode) {
        return rcode >= 0 && rcode < RCODES.length ? RCODES[rcode] : Integer.toString(rcode);
    }
}
