package io.judo.engine.detect;

import io.judo.packet.Addresses;
import io.judo.packet.decode.OuterPacket;
import io.judo.rules.suricata.SuricataRule;

/**
 * One alert: the rule, the packet's (or stream direction's) endpoints, and where it matched. Addresses are kept as
 * their bytes (4 or 16), as the journal stores them; {@link #srcIp()} and {@link #destIp()} give the text EVE prints.
 *
 * @param timeNanos capture time of the packet that completed the match, ns since the epoch
 * @param src the source address's bytes, or an empty array for a packet without IP
 * @param dest the destination address's bytes, likewise
 * @param proto IP protocol number
 * @param blocked whether the rule's action blocks (drop, reject)
 * @param streamOffset stream offset of the inspected window's first byte, or -1 for a packet match
 * @param payload the inspected bytes (a bounded excerpt)
 * @param http the HTTP transaction the rule matched in, or null for a packet or stream match
 * @param dns the DNS message (transaction) the rule matched in, or null
 * @param tls the TLS session the rule matched in, or null
 * @param tunnel the outermost packet when the alerting packet came through a tunnel, else null
 * @param prevented whether the alert's action is "blocked" as Suricata reports it: a reject rule, or a drop rule in
 *                  prevention (IPS) mode; a drop rule in IDS mode only alerts ("allowed")
 */
public record Alert(long timeNanos, long flowId, byte[] src, int srcPort, byte[] dest, int destPort, int proto,
        SuricataRule rule, boolean blocked, long streamOffset, byte[] payload, HttpFields http, DnsFields dns,
        TlsFields tls, OuterPacket tunnel, boolean prevented) {

    /** An alert outside DNS and TLS (packet, stream or HTTP). */
    public Alert(long timeNanos, long flowId, byte[] src, int srcPort, byte[] dest, int destPort, int proto,
            SuricataRule rule, boolean blocked, long streamOffset, byte[] payload, HttpFields http) {
        this(timeNanos, flowId, src, srcPort, dest, destPort, proto, rule, blocked, streamOffset, payload, http, null,
                null, null, blocked);
    }

    /** An alert outside TLS. */
    public Alert(long timeNanos, long flowId, byte[] src, int srcPort, byte[] dest, int destPort, int proto,
            SuricataRule rule, boolean blocked, long streamOffset, byte[] payload, HttpFields http, DnsFields dns) {
        this(timeNanos, flowId, src, srcPort, dest, destPort, proto, rule, blocked, streamOffset, payload, http, dns,
                null, null, blocked);
    }

    /** The source address as text (dotted quad, or RFC 5952 IPv6). */
    public String srcIp() {
        return Addresses.format(src);
    }

    /** The destination address as text. */
    public String destIp() {
        return Addresses.format(dest);
    }
}
