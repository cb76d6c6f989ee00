package io.judo.engine.detect;

import io.judo.rules.suricata.SuricataRule;

/**
 * One alert: the rule, the packet's (or stream direction's) endpoints, and where it matched.
 *
 * @param timeNanos capture time of the packet that completed the match, ns since the epoch
 * @param proto IP protocol number
 * @param blocked whether the rule's action blocks (drop, reject)
 * @param streamOffset stream offset of the inspected window's first byte, or -1 for a packet match
 * @param payload the inspected bytes (a bounded excerpt)
 */
public record Alert(long timeNanos, long flowId, String srcIp, int srcPort, String destIp, int destPort, int proto,
        SuricataRule rule, boolean blocked, long streamOffset, byte[] payload) {
}
