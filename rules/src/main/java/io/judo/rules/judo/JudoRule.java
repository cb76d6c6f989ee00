package io.judo.rules.judo;

import io.judo.rules.ir.Inspect;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import java.util.List;

/**
 * One judo-language rule. Sets are null for "any"; a negated set matches addresses outside it.
 *
 * @param direction 0 any, 1 {@code in}, 2 {@code out}
 * @param family 0 any, 4 {@code inet}, 6 {@code inet6}
 * @param protocols IP protocol numbers, null for any
 * @param flags {@code flags S/SA}: the bits that must be set within {@code flagsMask}; -1 when absent
 * @param tagged the tag a packet must (or, {@code taggedNegated}, must not) carry; null when absent
 * @param queue index into the policy's queues, -1 when absent
 * @param chain payload conditions (content, regex), empty when none
 * @param stream whether the payload conditions look at the reassembled stream (TCP's default) or the packet
 * @param tos the TOS / traffic class {@code set tos} gives, -1 when absent
 * @param ttl the TTL / hop limit {@code set ttl} gives (a judo extension), -1 when absent
 * @param replaceWith replacement bytes of a {@code replace "old" with "new"} (the old bytes are the chain's content)
 */
public record JudoRule(String file, int line, String text, Action action, boolean quick, boolean blockReturn,
        int direction, boolean log, String iface, int family, List<Integer> protocols,
        CidrSet from, boolean fromNegated, IntRangeSet fromPorts,
        CidrSet to, boolean toNegated, IntRangeSet toPorts, int flags, int flagsMask,
        String tag, String tagged, boolean taggedNegated, int queue, int prio, int tos, int ttl,
        Remap natTo, Remap rdrTo, List<Inspect> chain, boolean stream, byte[] replaceWith) {

    /** What the rule decides: pass and block decide the verdict, match only applies actions. */
    public enum Action { PASS, BLOCK, MATCH }

    /** A translation target: address text, and a port or -1. */
    public record Remap(String address, int port) {
    }

    /** Whether the rule can only be decided with payload bytes. */
    public boolean payload() {
        return !chain.isEmpty();
    }
}
