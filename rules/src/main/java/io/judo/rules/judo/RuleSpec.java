package io.judo.rules.judo;

import io.judo.rules.ir.Inspect;
import io.judo.rules.judo.JudoRule.Action;
import io.judo.rules.judo.JudoRule.Hosts;
import io.judo.rules.judo.JudoRule.Remap;
import io.judo.vm.pool.IntRangeSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule while it is parsed (and while an anchor's conditions are merged into it), with the printable atoms of each
 * list so that {@link #shown()} can expand lists into one line per rule as {@code pfctl -nv} does.
 */
final class RuleSpec {
    String file;
    int line;
    String text;
    Action action;
    boolean quick;
    boolean blockReturn;
    int direction;
    boolean log;
    String logOptions = "";
    List<String> ifaces;
    int family;
    List<Integer> protocols;
    Hosts from;
    IntRangeSet fromPorts;
    Hosts to;
    IntRangeSet toPorts;
    int flags = -1;
    int flagsMask;
    boolean flagsAny;
    /** {@code icmp-type}: {type, code or -1} pairs, any of which matches; empty for none. */
    List<int[]> icmpTypes = new ArrayList<>();
    int tosMatch = -1;
    int prioMatch = -1;
    boolean never;
    /** 1 {@code keep}/{@code modulate}/{@code synproxy state}, -1 {@code no state}, 0 as written (pass keeps state). */
    int state;
    /** The enforced state options of {@code keep state (...)}, null for none. */
    JudoRule.StateLimits limits;
    /** Whether {@code keep state (...)} named options (then {@code set state-defaults} does not apply). */
    boolean stateOptionsGiven;
    String tag;
    String tagged;
    boolean taggedNegated;
    int queue = -1;
    int prio = -1;
    int tos = -1;
    int ttl = -1;
    Remap natTo;
    Remap rdrTo;
    List<Inspect> chain = new ArrayList<>();
    Boolean stream;
    byte[] replaceWith;

    /** Printable atoms: one shown rule per combination, as pfctl expands lists. */
    List<String> shownIfaces = List.of();
    List<String> shownProtocols = List.of();
    List<String> shownFrom = List.of();
    List<String> shownFromPorts = List.of();
    List<String> shownTo = List.of();
    List<String> shownToPorts = List.of();
    /** Everything after the hosts, in pfctl's order, each with its leading space. */
    final List<String> shownOptions = new ArrayList<>();

    /** A copy to merge an anchor's conditions into (lists are shared: they are not changed after parsing). */
    RuleSpec copy() {
        RuleSpec c = new RuleSpec();
        c.file = file;
        c.line = line;
        c.text = text;
        c.action = action;
        c.quick = quick;
        c.blockReturn = blockReturn;
        c.direction = direction;
        c.log = log;
        c.logOptions = logOptions;
        c.ifaces = ifaces;
        c.family = family;
        c.protocols = protocols;
        c.from = from;
        c.fromPorts = fromPorts;
        c.to = to;
        c.toPorts = toPorts;
        c.flags = flags;
        c.flagsMask = flagsMask;
        c.flagsAny = flagsAny;
        c.icmpTypes = icmpTypes;
        c.tosMatch = tosMatch;
        c.prioMatch = prioMatch;
        c.never = never;
        c.state = state;
        c.limits = limits;
        c.stateOptionsGiven = stateOptionsGiven;
        c.tag = tag;
        c.tagged = tagged;
        c.taggedNegated = taggedNegated;
        c.queue = queue;
        c.prio = prio;
        c.tos = tos;
        c.ttl = ttl;
        c.natTo = natTo;
        c.rdrTo = rdrTo;
        c.chain = chain;
        c.stream = stream;
        c.replaceWith = replaceWith;
        c.shownIfaces = shownIfaces;
        c.shownProtocols = shownProtocols;
        c.shownFrom = shownFrom;
        c.shownFromPorts = shownFromPorts;
        c.shownTo = shownTo;
        c.shownToPorts = shownToPorts;
        c.shownOptions.addAll(shownOptions);
        return c;
    }

    /**
     * pf's default for a stateful pass rule that names no flags: {@code flags S/SA}, so that only a connection's
     * first SYN creates its state. Not for rules with payload conditions (Judo's extension: no SYN carries the bytes
     * they look for) nor for rules that cannot match TCP.
     */
    boolean implicitFlags() {
        boolean tcpOrAny = protocols == null || protocols.contains(6);
        return action == Action.PASS && state >= 0 && flags < 0 && !flagsAny && tcpOrAny && chain.isEmpty();
    }

    JudoRule toRule() {
        int flags = this.flags;
        int flagsMask = this.flagsMask;
        if (implicitFlags()) {
            flags = 0x02;
            flagsMask = 0x12;
        }
        boolean tcpOnly = protocols != null && protocols.size() == 1 && protocols.get(0) == 6;
        boolean streamed = stream != null ? stream : tcpOnly;
        return new JudoRule(file, line, text, action, quick, blockReturn, direction, log,
                ifaces == null ? null : List.copyOf(ifaces), family,
                protocols == null ? null : List.copyOf(protocols), from, fromPorts, to, toPorts, flags, flagsMask,
                List.copyOf(icmpTypes), tosMatch, prioMatch, never,
                action == Action.PASS && state >= 0,
                action == Action.PASS && state >= 0 ? limits : null, tag, tagged, taggedNegated, queue, prio, tos, ttl,
                natTo, rdrTo, List.copyOf(chain), !chain.isEmpty() && streamed, replaceWith, shown());
    }

    /** The rule as pfctl -nv prints it, one line per expanded rule. */
    List<String> shown() {
        List<String> out = new ArrayList<>();
        for (String i : orAny(shownIfaces)) {
            for (String p : orAny(shownProtocols)) {
                // pfctl's expansion order: source hosts, destination hosts, source ports, destination ports
                for (String f : orAny(shownFrom)) {
                    for (String t : orAny(shownTo)) {
                        for (String fp : orAny(shownFromPorts)) {
                            for (String tp : orAny(shownToPorts)) {
                                out.add(line(i, p, f, fp, t, tp));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<String> orAny(List<String> atoms) {
        return atoms.isEmpty() ? java.util.Collections.singletonList(null) : atoms;
    }

    private String line(String iface, String proto, String from, String fromPort, String to, String toPort) {
        StringBuilder sb = new StringBuilder();
        sb.append(switch (action) {
            case PASS -> "pass";
            case MATCH -> "match";
            case BLOCK -> blockReturn ? "block return" : "block drop";
        });
        if (direction == 1) {
            sb.append(" in");
        } else if (direction == 2) {
            sb.append(" out");
        }
        if (log) {
            sb.append(" log").append(logOptions);
        }
        if (quick) {
            sb.append(" quick");
        }
        if (iface != null) {
            sb.append(" on ").append(iface);
        }
        if (family == 4) {
            sb.append(" inet");
        } else if (family == 6) {
            sb.append(" inet6");
        }
        if (proto != null) {
            sb.append(" proto ").append(proto);
        }
        if (from == null && fromPort == null && to == null && toPort == null) {
            sb.append(" all");
        } else {
            sb.append(" from ").append(from == null ? "any" : from);
            if (fromPort != null) {
                sb.append(" port ").append(fromPort);
            }
            sb.append(" to ").append(to == null ? "any" : to);
            if (toPort != null) {
                sb.append(" port ").append(toPort);
            }
        }
        for (String o : shownOptions) {
            sb.append(o);
        }
        return sb.toString();
    }
}
