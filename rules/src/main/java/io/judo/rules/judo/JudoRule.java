package io.judo.rules.judo;

import io.judo.rules.ir.Inspect;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import java.util.List;

/**
 * One judo-language (pf.conf) rule, with lists, macros and anchors resolved. Sets are null for "any".
 *
 * @param direction 0 any, 1 {@code in}, 2 {@code out}
 * @param ifaces the interfaces of {@code on}, any of which matches (a name with a leading {@code !}: any other
 *     interface), null for any
 * @param family 0 any, 4 {@code inet}, 6 {@code inet6}
 * @param protocols IP protocol numbers, null for any
 * @param flags {@code flags S/SA}: the bits that must be set within {@code flagsMask}; -1 when absent
 * @param icmpTypes {@code icmp-type}/{@code icmp6-type} as {type, code or -1} pairs, any of which matches; empty
 *     when absent
 * @param tosMatch the {@code tos} the packet must carry, -1 when absent
 * @param prioMatch the {@code prio} the packet must carry, -1 when absent
 * @param never the rule can match no packet Judo sees ({@code user}, {@code group}, {@code os}: a warning says why)
 * @param keepState a pass rule that creates state (pf's default; {@code no state} turns it off): the flow's later
 *     packets, both ways, pass without the header-only rules being evaluated
 * @param limits the state options that limit or act ({@code max}, {@code max-src-*}, {@code overload}); null for
 *     none
 * @param tagged the tag a packet must (or, {@code taggedNegated}, must not) carry; null when absent
 * @param queue index into the policy's queues, -1 when absent
 * @param chain payload conditions (content, regex), empty when none
 * @param stream whether the payload conditions look at the reassembled stream (TCP's default) or the packet
 * @param tos the TOS / traffic class {@code set tos} gives, -1 when absent
 * @param ttl the TTL / hop limit {@code set ttl} gives (a judo extension), -1 when absent
 * @param replaceWith replacement bytes of a {@code replace "old" with "new"} (the old bytes are the chain's content)
 * @param shown the rule as {@code judo rules show} prints it, one line per pf rule its lists expand to
 */
public record JudoRule(String file, int line, String text, Action action, boolean quick, boolean blockReturn,
        int direction, boolean log, List<String> ifaces, int family, List<Integer> protocols,
        Hosts from, IntRangeSet fromPorts, Hosts to, IntRangeSet toPorts, int flags, int flagsMask,
        List<int[]> icmpTypes, int tosMatch, int prioMatch, boolean never,
        boolean keepState, StateLimits limits, String tag, String tagged, boolean taggedNegated, int queue, int prio, int tos, int ttl,
        Remap natTo, Remap rdrTo, List<Inspect> chain, boolean stream, byte[] replaceWith, List<String> shown) {

    /** What the rule decides: pass and block decide the verdict, match only applies actions. */
    public enum Action { PASS, BLOCK, MATCH }

    /**
     * The state options Judo enforces. Counts of 0 mean no limit. {@code overload} is the 1-based id of the runtime
     * table ({@link JudoPolicy#runtimeTables}) a source that exceeds {@code maxSrcConn} or the connection rate goes
     * into, 0 for none; {@code flush} then kills its states: 0 none, 1 those this rule created, 2 all of them.
     *
     * @param globalTracking {@code source-track global}: the per-source counts are shared with every rule that says
     *     so, rather than kept for this rule alone
     */
    public record StateLimits(int max, int maxSrcNodes, int maxSrcStates, int maxSrcConn, int rateConnections,
            int rateSeconds, int overload, int flush, boolean globalTracking) {
        /** Whether states of the rule are tracked per source address. */
        public boolean perSource() {
            return maxSrcNodes > 0 || maxSrcStates > 0 || maxSrcConn > 0 || rateConnections > 0 || overload > 0;
        }
    }

    /** A translation target: address text, and a port or -1. */
    public record Remap(String address, int port) {
    }

    /**
     * A host condition: the packet's address must match one of the terms (pf expands a list into one rule per item,
     * so {@code { !10.0.0.1, 10.0.0.0/8 }} matches every address that is not 10.0.0.1 or is in 10.0.0.0/8). No terms
     * match nothing (an interface with no address, {@code self} with no interfaces known).
     */
    public record Hosts(List<Term> terms) {
        /**
         * One item: the address is (or, negated, is not) in the set or in one of the named tables' runtime entries
         * (the addresses {@code overload} puts in them); a table keeps its own {@code !} entries.
         */
        public record Term(CidrSet set, boolean negated, List<String> tables) {
            /** A term that names no table. */
            public Term(CidrSet set, boolean negated) {
                this(set, negated, List.of());
            }
        }

        /** One set, negated or not. */
        public static Hosts of(CidrSet set, boolean negated) {
            return new Hosts(List.of(new Term(set, negated)));
        }
    }

    /** Whether the rule can only be decided with payload bytes. */
    public boolean payload() {
        return !chain.isEmpty();
    }
}
