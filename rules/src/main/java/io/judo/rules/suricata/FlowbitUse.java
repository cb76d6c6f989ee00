package io.judo.rules.suricata;

import io.judo.rules.ir.Flowbit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which flow bits a rule set checks but never sets, as Suricata reports after loading ("flowbit 'x' is checked but
 * not set"): typically the setter was skipped or not loaded, and the rules that need the bit can never fire. Only
 * {@code set} and {@code toggle} set a bit; {@code isset} checks it ({@code isnotset} of a never-set bit always holds,
 * so it does not count).
 */
public final class FlowbitUse {
    /** One flow bit checked by {@code checkers} rules (the first is {@code first}) and set by none. */
    public record Unset(String name, SuricataRule first, int checkers) {
    }

    private final List<Unset> unset;
    private final int neverFire;

    private FlowbitUse(List<Unset> unset, int neverFire) {
        this.unset = unset;
        this.neverFire = neverFire;
    }

    /** Analyses the loaded {@code rules}. */
    public static FlowbitUse of(List<SuricataRule> rules) {
        Set<String> set = new HashSet<>();
        for (SuricataRule r : rules) {
            for (Flowbit f : r.flowbits()) {
                if (f.command().equals("set") || f.command().equals("toggle")) {
                    set.addAll(f.names());
                }
            }
        }
        Map<String, List<SuricataRule>> checked = new LinkedHashMap<>();
        int dead = 0;
        for (SuricataRule r : rules) {
            boolean canFire = true;
            for (Flowbit f : r.flowbits()) {
                if (!f.command().equals("isset")) {
                    continue;
                }
                boolean anySet = false;
                boolean allSet = true;
                for (String n : f.names()) {
                    if (set.contains(n)) {
                        anySet = true;
                    } else {
                        allSet = false;
                        List<SuricataRule> by = checked.computeIfAbsent(n, k -> new ArrayList<>());
                        if (by.isEmpty() || by.get(by.size() - 1) != r) {
                            by.add(r);
                        }
                    }
                }
                // a|b needs one of them set, a&b (or a single name) all of them
                canFire &= f.any() ? anySet : allSet;
            }
            if (!canFire) {
                dead++;
            }
        }
        List<Unset> out = new ArrayList<>();
        checked.forEach((name, by) -> out.add(new Unset(name, by.get(0), by.size())));
        return new FlowbitUse(List.copyOf(out), dead);
    }

    /** The bits checked and never set, in the order the rules first check them. */
    public List<Unset> unset() {
        return unset;
    }

    /** Rules whose {@code isset} conditions can never hold because a bit they need is never set. */
    public int neverFire() {
        return neverFire;
    }

    /** One warning line per bit, in Suricata's wording (without the "judo: warning: " prefix). */
    public List<String> warnings() {
        List<String> lines = new ArrayList<>();
        for (Unset u : unset) {
            lines.add("flowbit '" + u.name() + "' is checked but not set (checked in " + u.first().gid() + ":"
                    + u.first().sid() + (u.checkers() > 1 ? " and " + (u.checkers() - 1) + " other rules" : "")
                    + ")");
        }
        return lines;
    }
}
