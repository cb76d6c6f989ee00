package io.judo.rules.suricata;

import io.judo.rules.ir.Xbit;
import io.judo.vm.interp.Helpers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Xbit names numbered once per rule set, as Suricata registers them: host bits (tracked by {@code ip_src} or
 * {@code ip_dst}, one namespace, so a bit set on a request's destination is the one its response's source checks)
 * and address-pair bits apart. The rule compiler lowers each rule's xbits to {@code xbit} helper calls.
 */
public final class Xbits extends RuleCalls<Xbits.Call> {
    /** One helper call: its r1 (operation and place), r2 (bit) and r3 (lifetime in seconds). */
    public record Call(String command, int op, int bit, long expireSeconds) {
    }

    private final Map<String, Integer> hostBits = new HashMap<>();
    private final Map<String, Integer> pairBits = new HashMap<>();

    Xbits(List<SuricataRule> rules) {
        for (SuricataRule r : rules) {
            List<Call> t = new ArrayList<>();
            List<Call> c = new ArrayList<>();
            for (Xbit x : r.xbits()) {
                Map<String, Integer> names = x.track().host() ? hostBits : pairBits;
                int bit = names.computeIfAbsent(x.name(), k -> names.size());
                int place = switch (x.track()) {
                    case IP_SRC -> Helpers.XBIT_TRACK_SRC;
                    case IP_DST -> Helpers.XBIT_TRACK_DST;
                    case IP_PAIR -> Helpers.XBIT_TRACK_PAIR;
                };
                int op = switch (x.command()) {
                    case "set" -> Helpers.FLOWBIT_SET;
                    case "unset" -> Helpers.FLOWBIT_UNSET;
                    case "toggle" -> Helpers.FLOWBIT_TOGGLE;
                    default -> Helpers.FLOWBIT_TEST;
                };
                (x.changes() ? c : t).add(new Call(x.command(), op | place, bit, x.expireSeconds()));
            }
            add(t, c);
        }
    }

    /** Distinct host bits and pair bits: the engine's per-host and per-pair state sizes. */
    public int hostBitCount() {
        return hostBits.size();
    }

    public int pairBitCount() {
        return pairBits.size();
    }
}
