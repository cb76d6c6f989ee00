package io.judo.rules.judo;

import io.judo.rules.RuleError;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * pf.conf(5)'s {@code set} options and queue definitions. Every option is read; {@code skip on} and
 * {@code block-policy} act, and the options Judo cannot act on give named warnings. The listing lines go to the
 * policy's header, as pfctl prints options before the rules.
 */
final class OptionParser {
    private final List<String> header;
    private final List<String> skip;
    private final List<JudoPolicy.Queue> queues;
    private final Map<String, Integer> queueIds;
    private final Consumer<RuleError> warnings;
    private boolean blockReturnPolicy;
    private JudoRule.StateLimits stateDefaults;
    /** Registers an {@code overload} table (the address parser's), for {@code set state-defaults}. */
    private final java.util.function.ToIntFunction<Token> overloadTable;

    OptionParser(List<String> header, List<String> skip, List<JudoPolicy.Queue> queues, Map<String, Integer> queueIds,
            Consumer<RuleError> warnings, java.util.function.ToIntFunction<Token> overloadTable) {
        this.overloadTable = overloadTable;
        this.header = header;
        this.skip = skip;
        this.queues = queues;
        this.queueIds = queueIds;
        this.warnings = warnings;
    }

    /** The limits of the last {@code set state-defaults} read, or null. */
    JudoRule.StateLimits stateDefaults() {
        return stateDefaults;
    }

    /** Whether {@code set block-policy return} was the last block-policy read. */
    boolean blockReturn() {
        return blockReturnPolicy;
    }

    private void warn(Statement s, Token at, String message) {
        warnings.accept(s.error(at, message));
    }

    /** {@code set OPTION ...}: the pf.conf(5) options; what Judo cannot act on is read and warned about. */
    void option(Statement s) {
        int start = s.pos;
        s.next();
        Token what = s.word("an option name");
        switch (what.text()) {
            case "skip" -> {
                s.expect("on");
                List<String> names = s.words("an interface name");
                skip.addAll(names);
                header.add("set skip on { " + String.join(" ", names) + " }");
                return;
            }
            case "block-policy" -> {
                Token v = s.word("drop or return");
                if (!v.is("drop") && !v.is("return")) {
                    throw s.error(v, "block-policy is drop or return, found '" + v.text() + "'");
                }
                blockReturnPolicy = v.is("return");
            }
            case "state-policy" -> {
                oneOf(s, "if-bound", "floating");
                warn(s, what, "set state-policy: a Judo state belongs to its flow on every interface (floating)");
            }
            case "optimization" -> oneOf(s, "normal", "high-latency", "satellite", "aggressive", "conservative");
            case "ruleset-optimization" -> oneOf(s, "none", "basic", "profile");
            case "limit" -> {
                pairs(s, Set.of("states", "frags", "src-nodes", "tables", "table-entries", "pktdelay-pkts",
                        "pktdelay_pkts", "anchors"));
                warn(s, what, "set limit: Judo sizes its flow table and fragment queues itself; the limits are "
                        + "not applied");
            }
            case "timeout" -> {
                pairs(s, null);
                warn(s, what, "set timeout: a Judo state lasts as long as its flow (Judo's flow timeouts); pf's state "
                        + "timeouts are not applied");
            }
            case "loginterface" -> s.word("an interface name or none");
            case "reassemble" -> {
                Token v = oneOf(s, "yes", "no");
                s.accept("no-df");
                if (v.is("no")) {
                    warn(s, v, "set reassemble no: Judo always reassembles fragments before the rules see them");
                }
            }
            case "syncookies" -> {
                Token v = oneOf(s, "never", "always", "adaptive");
                if (v.is("adaptive") && s.accept("(")) {
                    while (!s.peek().is(")") && !s.atEnd()) {
                        s.next();
                    }
                    s.expect(")");
                }
                warn(s, what, "set syncookies: Judo answers no SYN itself, so syncookies are not sent");
            }
            case "state-defaults" -> {
                FilterParser.StateOptions o = FilterParser.stateOptions(s, false, overloadTable);
                stateDefaults = o.limits();
                if (!o.ignored().isEmpty()) {
                    warn(s, what, "set state-defaults " + o.notActedOn());
                }
            }
            case "fingerprints" -> {
                s.word("a file name");
                warn(s, what, "set fingerprints: Judo does no passive OS fingerprinting");
            }
            case "hostid" -> s.word("a host id");
            case "debug" -> oneOf(s, "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
                    "none", "urgent", "misc", "loud");
            case "prio" -> s.number("prio", 0, 7);
            default -> throw s.error(what, "unknown option 'set " + what.text() + "' (skip, block-policy, "
                    + "state-policy, optimization, ruleset-optimization, limit, timeout, loginterface, reassemble, "
                    + "syncookies, state-defaults, fingerprints, hostid, debug, prio)");
        }
        header.add(s.joined(start));
    }

    private static Token oneOf(Statement s, String... choices) {
        Token v = s.word(String.join(", ", choices));
        for (String c : choices) {
            if (v.is(c) || v.kind() == Token.Kind.STRING && v.text().equals(c)) {
                return v;
            }
        }
        throw s.error(v, "expected " + String.join(", ", choices) + ", found '" + v.text() + "'");
    }

    /** {@code NAME VALUE} or {@code { NAME VALUE [,] ... }}; {@code names} null for any name. */
    private static void pairs(Statement s, Set<String> names) {
        boolean list = s.accept("{");
        do {
            Token n = s.word("a name");
            if (names != null && !names.contains(n.text())) {
                throw s.error(n, "unknown limit '" + n.text() + "' (" + String.join(", ", new java.util.TreeSet<>(
                        names)) + ")");
            }
            s.word("a value");
            s.comma();
        } while (list && !s.peek().is("}") && !s.atEnd());
        if (list) {
            s.expect("}");
        }
    }

    /**
     * pf's queue ({@code queue NAME on IF [parent P] bandwidth B [min B] [max B] [burst B for MS] [qlimit N]
     * [default] [flows N] [quantum N]}) or judo's ({@code queue NAME rate R [prio P]}). Judo shapes each queue by
     * itself: a queue's {@code max} if given, else its {@code bandwidth}; a hierarchy is flattened, with a warning.
     */
    void queue(Statement s) {
        int start = s.pos;
        s.next();
        Token name = s.word("a queue name");
        if (queueIds.containsKey(name.text())) {
            throw s.error(name, "queue '" + name.text() + "' declared twice");
        }
        long rate = -1;
        long max = -1;
        int prio = 1;
        boolean flows = false;
        while (!s.atEnd()) {
            s.comma();
            Token t = s.word("rate, bandwidth, on, parent, min, max, burst, qlimit, default, flows, quantum or prio");
            switch (t.text()) {
                case "rate", "bandwidth" -> rate = bandwidth(s);
                case "max" -> max = bandwidth(s);
                case "min" -> bandwidth(s);
                case "burst" -> {
                    bandwidth(s);
                    s.expect("for");
                    s.word("a time such as 100ms");
                }
                case "prio" -> prio = (int) s.number("prio", 0, 7);
                case "on" -> s.word("an interface name");
                case "parent" -> {
                    Token p = s.word("a queue name");
                    warn(s, p, "queue " + name.text() + ": Judo shapes every queue on its own rate; the hierarchy "
                            + "under " + p.text() + " is flattened");
                }
                case "qlimit" -> s.number("qlimit", 1, 1 << 20);
                case "flows" -> {
                    s.number("flows", 1, 32767);
                    flows = true;
                }
                case "quantum" -> s.number("quantum", 1, 1 << 20);
                case "default" -> {
                    // pf sends unqueued traffic here; Judo leaves it unqueued
                }
                default -> throw s.error(t, "expected rate, bandwidth, on, parent, min, max, burst, qlimit, "
                        + "default, flows, quantum or prio, found '" + t.text() + "'");
            }
        }
        if (max > 0) {
            rate = max;
        }
        if (rate < 0 && !flows) {
            throw s.error(name, "queue '" + name.text() + "' needs a rate");
        }
        rate = Math.max(0, rate); // a flow queue without bandwidth is not shaped
        queues.add(new JudoPolicy.Queue(name.text(), rate, prio));
        queueIds.put(name.text(), queues.size() - 1);
        header.add(s.joined(start));
    }

    /** {@code 100M}, {@code 10K}, {@code 1G}, {@code 500} (bits per second; {@code b} suffix allowed). */
    private static long bandwidth(Statement s) {
        Token t = s.word("a rate such as 100M");
        String v = t.text().toUpperCase(Locale.ROOT);
        if (v.endsWith("B")) {
            v = v.substring(0, v.length() - 1);
        }
        long unit = 1;
        if (!v.isEmpty() && "KMG".indexOf(v.charAt(v.length() - 1)) >= 0) {
            unit = switch (v.charAt(v.length() - 1)) {
                case 'K' -> 1_000L;
                case 'M' -> 1_000_000L;
                default -> 1_000_000_000L;
            };
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n > 0) {
                return Math.multiplyExact(n, unit);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // below
        }
        throw s.error(t, "bad rate '" + t.text() + "' (a number with K, M or G)");
    }
}
