package io.judo.rules.suricata;

import io.judo.rules.ir.Flowint;
import io.judo.vm.interp.Helpers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flow integer names numbered once per rule set (the integers a rule changes or tests, and those it compares with),
 * and each rule's flowint operations as {@code flowint} helper calls: tests among the rule's conditions, changes once
 * the rest of it matched.
 */
public final class Flowints extends RuleCalls<Flowints.Call> {
    /** One helper call: its r1 (operation, and whether r3 is an integer's number), r2 (the integer) and r3. */
    public record Call(String op, int r1, int var, long operand) {
    }

    private final Map<String, Integer> index = new HashMap<>();

    Flowints(List<SuricataRule> rules) {
        for (SuricataRule r : rules) {
            List<Call> t = new ArrayList<>();
            List<Call> c = new ArrayList<>();
            for (Flowint f : r.flowints()) {
                int var = index.computeIfAbsent(f.name(), k -> index.size());
                int r1 = switch (f.op()) {
                    case "=" -> Helpers.FLOWINT_SET;
                    case "+" -> Helpers.FLOWINT_ADD;
                    case "-" -> Helpers.FLOWINT_SUB;
                    case "==" -> Helpers.FLOWINT_EQ;
                    case "!=" -> Helpers.FLOWINT_NE;
                    case "<" -> Helpers.FLOWINT_LT;
                    case ">" -> Helpers.FLOWINT_GT;
                    case "<=" -> Helpers.FLOWINT_LE;
                    case ">=" -> Helpers.FLOWINT_GE;
                    case "isset" -> Helpers.FLOWINT_ISSET;
                    default -> Helpers.FLOWINT_NOTSET;
                };
                long operand = f.value();
                if (f.var() != null) {
                    operand = index.computeIfAbsent(f.var(), k -> index.size());
                    r1 |= Helpers.FLOWINT_OPERAND_VAR;
                }
                (f.changes() ? c : t).add(new Call(f.op(), r1, var, operand));
            }
            add(t, c);
        }
    }

    /** Distinct flow integers: the size of a flow's state. */
    public int size() {
        return index.size();
    }
}
