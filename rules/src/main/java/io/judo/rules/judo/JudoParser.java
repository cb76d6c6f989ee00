package io.judo.rules.judo;

import io.judo.matcher.MatcherException;
import io.judo.matcher.confirm.BoundedRegex;
import io.judo.packet.Addresses;
import io.judo.rules.RuleError;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Pcre;
import io.judo.rules.judo.JudoRule.Action;
import io.judo.rules.judo.JudoRule.Remap;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parses a judo-language file: pf.conf(5) as OpenBSD writes it (macros, lists, tables, options, queues, anchors,
 * {@code include}, {@code antispoof}, every filter parameter) plus Judo's payload extensions. Every problem is a
 * {@link RuleError} at its line and column; parsing stops at the first one of each statement and goes on with the
 * next, so one run reports every bad statement. Keywords Judo reads but cannot act on give named warnings that say
 * what will not happen.
 */
public final class JudoParser {
    private static final Map<String, Integer> PROTOCOLS = Map.ofEntries(Map.entry("tcp", 6), Map.entry("udp", 17),
            Map.entry("icmp", 1), Map.entry("icmp6", 58), Map.entry("ipv6-icmp", 58), Map.entry("gre", 47),
            Map.entry("esp", 50), Map.entry("ah", 51), Map.entry("igmp", 2), Map.entry("ipv6", 41),
            Map.entry("ipencap", 4), Map.entry("sctp", 132), Map.entry("carp", 112), Map.entry("pfsync", 240),
            Map.entry("ospf", 89), Map.entry("pim", 103), Map.entry("vrrp", 112), Map.entry("etherip", 97));
    private static final Map<String, Integer> SERVICES = Map.ofEntries(Map.entry("ftp-data", 20),
            Map.entry("ftp", 21), Map.entry("ssh", 22), Map.entry("telnet", 23), Map.entry("smtp", 25),
            Map.entry("domain", 53), Map.entry("bootps", 67), Map.entry("bootpc", 68), Map.entry("tftp", 69),
            Map.entry("http", 80), Map.entry("www", 80), Map.entry("kerberos", 88), Map.entry("pop3", 110),
            Map.entry("sunrpc", 111), Map.entry("auth", 113), Map.entry("ident", 113), Map.entry("nntp", 119),
            Map.entry("ntp", 123), Map.entry("netbios-ns", 137), Map.entry("netbios-dgm", 138),
            Map.entry("netbios-ssn", 139), Map.entry("imap", 143), Map.entry("snmp", 161),
            Map.entry("snmptrap", 162), Map.entry("bgp", 179), Map.entry("ldap", 389), Map.entry("https", 443),
            Map.entry("microsoft-ds", 445), Map.entry("isakmp", 500), Map.entry("syslog", 514),
            Map.entry("submission", 587), Map.entry("ldaps", 636), Map.entry("imaps", 993), Map.entry("pop3s", 995),
            Map.entry("openvpn", 1194), Map.entry("ipsec-nat-t", 4500), Map.entry("sip", 5060),
            Map.entry("x11", 6000), Map.entry("http-alt", 8080), Map.entry("spamd", 8025),
            Map.entry("spamd-cfg", 8026), Map.entry("ftp-proxy", 8021), Map.entry("rsync", 873),
            Map.entry("mysql", 3306), Map.entry("postgresql", 5432), Map.entry("ms-sql-s", 1433),
            Map.entry("rdp", 3389), Map.entry("ms-wbt-server", 3389), Map.entry("vnc", 5900),
            Map.entry("domain-s", 853), Map.entry("radius", 1812), Map.entry("ipp", 631),
            Map.entry("nfsd", 2049), Map.entry("socks", 1080), Map.entry("squid", 3128), Map.entry("irc", 6667));
    private static final Map<String, Integer> ICMP_TYPES = Map.ofEntries(Map.entry("echorep", 0),
            Map.entry("unreach", 3), Map.entry("squench", 4), Map.entry("redir", 5), Map.entry("althost", 6),
            Map.entry("echoreq", 8), Map.entry("routeradv", 9), Map.entry("routersol", 10),
            Map.entry("timex", 11), Map.entry("paramprob", 12), Map.entry("timereq", 13),
            Map.entry("timerep", 14), Map.entry("inforeq", 15), Map.entry("inforep", 16),
            Map.entry("maskreq", 17), Map.entry("maskrep", 18), Map.entry("trace", 30));
    private static final Map<String, Integer> ICMP6_TYPES = Map.ofEntries(Map.entry("unreach", 1),
            Map.entry("toobig", 2), Map.entry("timex", 3), Map.entry("paramprob", 4), Map.entry("echoreq", 128),
            Map.entry("echorep", 129), Map.entry("groupqry", 130), Map.entry("listqry", 130),
            Map.entry("grouprep", 131), Map.entry("listenrep", 131), Map.entry("groupterm", 132),
            Map.entry("listendone", 132), Map.entry("routersol", 133), Map.entry("routeradv", 134),
            Map.entry("neighbrsol", 135), Map.entry("neighbradv", 136), Map.entry("redir", 137));
    /** ICMP codes by name, per type family (pf.conf(5)'s names). */
    private static final Map<String, Integer> ICMP_CODES = Map.ofEntries(Map.entry("net-unr", 0),
            Map.entry("host-unr", 1), Map.entry("proto-unr", 2), Map.entry("port-unr", 3), Map.entry("needfrag", 4),
            Map.entry("srcfail", 5), Map.entry("net-unk", 6), Map.entry("host-unk", 7), Map.entry("isolate", 8),
            Map.entry("net-prohib", 9), Map.entry("host-prohib", 10), Map.entry("net-tos", 11),
            Map.entry("host-tos", 12), Map.entry("filter-prohib", 13), Map.entry("host-preced", 14),
            Map.entry("cutoff-preced", 15), Map.entry("redir-net", 0), Map.entry("redir-host", 1),
            Map.entry("redir-tos-net", 2), Map.entry("redir-tos-host", 3), Map.entry("normal-adv", 0),
            Map.entry("common-adv", 16), Map.entry("transit", 0), Map.entry("reassemb", 1),
            Map.entry("badhead", 0), Map.entry("optmiss", 1), Map.entry("badlen", 2));
    private static final Map<String, Integer> ICMP6_CODES = Map.ofEntries(Map.entry("noroute-unr", 0),
            Map.entry("admin-unr", 1), Map.entry("beyond-unr", 2), Map.entry("addr-unr", 3),
            Map.entry("port-unr", 4), Map.entry("transit", 0), Map.entry("reassemb", 1), Map.entry("badhead", 0),
            Map.entry("nxthdr", 1), Map.entry("redironlink", 0), Map.entry("redirrouter", 1));
    private static final Map<String, Integer> TOS_NAMES = tosNames();

    /** pf's TOS names and the DiffServ code points (af11..af43, cs0..cs7, ef, va) shifted into the TOS byte. */
    private static Map<String, Integer> tosNames() {
        Map<String, Integer> m = new HashMap<>(Map.of("lowdelay", 0x10, "throughput", 0x08, "reliability", 0x04,
                "critical", 0xa0, "inetcontrol", 0xc0, "netcontrol", 0xe0, "ef", 46 << 2, "va", 44 << 2));
        for (int c = 1; c <= 4; c++) {
            for (int d = 1; d <= 3; d++) {
                m.put("af" + c + d, (8 * c + 2 * d) << 2);
            }
        }
        for (int c = 0; c <= 7; c++) {
            m.put("cs" + c, (8 * c) << 2);
        }
        return Map.copyOf(m);
    }
    /** pf's reserved words, which cannot name a macro. */
    private static final Set<String> RESERVED = Set.of("pass", "block", "match", "in", "out", "on", "from", "to",
            "all", "any", "proto", "port", "quick", "log", "inet", "inet6", "table", "set", "queue", "anchor",
            "antispoof", "include", "load", "keep", "state", "flags", "tag", "tagged", "label", "no", "self");
    /** Words that start a statement: seen at the start of a line inside a list, the list was left open. */
    private static final Set<String> STATEMENT_WORDS = Set.of("pass", "block", "match", "table", "set", "queue",
            "anchor", "antispoof", "include", "load");
    /** Nested includes and anchors beyond this are refused (a file that includes itself). */
    static final int MAX_DEPTH = 16;

    private final Context context;
    private final Map<String, String> macros = new LinkedHashMap<>();
    private final Map<String, CidrSet> tables = new HashMap<>();
    private final Map<String, Integer> queueIds = new LinkedHashMap<>();
    private final List<JudoPolicy.Queue> queues = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();
    private final List<RuleError> errors = new ArrayList<>();
    private final List<RuleError> warnings = new ArrayList<>();
    private final List<String> skip = new ArrayList<>();
    private final AddressParser addresses;
    /** Anchors by name, in the order they were first named; their rules are filled by inline blocks or loads. */
    private final Map<String, Anchor> anchors = new LinkedHashMap<>();
    private final Anchor main = new Anchor("", null);
    private final List<String> header = new ArrayList<>();
    private boolean blockReturnPolicy;
    private int depth;

    private JudoParser(Context context) {
        this.context = context;
        this.addresses = new AddressParser(tables, context.interfaces(), warnings::add);
    }

    /**
     * Where a policy is read: the addresses of the interfaces its {@code (if)} forms name (offline there are no live
     * interfaces: {@code judo scan --interface em0=192.0.2.1/24}), and the directory {@code include},
     * {@code load anchor} and {@code table ... file} paths fall back to when they do not exist as written.
     */
    public record Context(Map<String, List<Addresses.Prefix>> interfaces, Path directory) {
        /** No interfaces, paths relative to the working directory. */
        public static Context none() {
            return new Context(Map.of(), null);
        }
    }

    /** The parse result: the policy of every good statement, the errors of the bad ones, and the warnings. */
    public record Result(JudoPolicy policy, List<RuleError> errors, List<RuleError> warnings) {
    }

    /** Parses with no interface addresses, paths relative to the working directory. */
    public static Result parse(String text, String file) {
        return parse(text, file, Context.none());
    }

    public static Result parse(String text, String file, Context context) {
        JudoParser p = new JudoParser(context);
        p.block(new JudoLexer(file, text, p.macros), p.main, null);
        List<JudoRule> rules = new ArrayList<>();
        List<String> listing = new ArrayList<>(p.header);
        p.flatten(p.main, List.of(), rules, listing, "", new int[1]);
        return new Result(new JudoPolicy(List.copyOf(p.queues), List.copyOf(p.tags), List.copyOf(rules),
                List.copyOf(p.skip), List.copyOf(listing)), p.errors, p.warnings);
    }

    /** A ruleset: the main one or a named anchor's, with the anchor rules that call it. */
    private static final class Anchor {
        final String name;
        final RuleSpec filter;
        /** Rules and anchor calls in order: a RuleSpec or a Call. */
        final List<Object> items = new ArrayList<>();
        boolean filled;

        Anchor(String name, RuleSpec filter) {
            this.name = name;
            this.filter = filter;
        }
    }

    /** {@code anchor "name" [filter]} in a ruleset: evaluate the named ruleset in place when the filter matches. */
    private record Call(String name, RuleSpec filter, boolean wildcard, Statement at) {
    }

    /** Reads statements until the end of the file, or (inside an anchor's braces) until its closing brace. */
    private void block(JudoLexer lexer, Anchor into, Statement opener) {
        boolean braced = opener != null;
        while (true) {
            List<Token> tokens;
            try {
                tokens = collect(lexer);
            } catch (RuleError e) {
                errors.add(e);
                if (!lexer.hasPending()) {
                    lexer.skipLine();
                }
                continue;
            }
            if (tokens == null) {
                if (braced) {
                    errors.add(opener.error(opener.tokens.get(0), "missing '}': anchor \"" + into.name
                            + "\" is not closed by the end of the file"));
                }
                return;
            }
            if (tokens.size() == 1) {
                continue;
            }
            Statement s = new Statement(tokens, lexer);
            if (s.peek().is("}")) {
                if (braced) {
                    return;
                }
                errors.add(s.error(s.peek(), "'}' closes no anchor"));
                continue;
            }
            try {
                statement(s, into, lexer);
            } catch (RuleError e) {
                errors.add(e);
            }
        }
    }

    /**
     * One statement's tokens, ended by an END token: up to a line end outside {@code { }} and {@code ( )} (pf lets
     * lists and option lists span lines), or up to an anchor's opening brace. Null at the end of the file.
     */
    private static List<Token> collect(JudoLexer lexer) {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        Token opened = null;
        int line = -1;
        while (true) {
            Token t = lexer.next();
            if (depth > 0 && t.line() != line && STATEMENT_WORDS.contains(t.text()) && t.kind() == Token.Kind.WORD) {
                // a list may span lines, but no list holds "pass" or "table": the list was never closed
                lexer.unread(t);
                throw new RuleError(lexer.file(), opened.line(), opened.column(), lexer.text(opened.line()),
                        "missing '" + (opened.is("{") ? "}" : ")") + "': this list is not closed before line "
                        + t.line());
            }
            line = t.line();
            if (t.kind() == Token.Kind.END) {
                if (out.isEmpty()) {
                    return null;
                }
                out.add(new Token(Token.Kind.END, "end of file", t.line(), t.column()));
                return out;
            }
            if (t.kind() == Token.Kind.NEWLINE) {
                if (depth == 0) {
                    out.add(new Token(Token.Kind.END, "end of line", t.line(), t.column()));
                    return out;
                }
                continue;
            }
            if (t.is("{") && depth == 0 && !out.isEmpty() && out.get(0).is("anchor") && !out.get(out.size() - 1)
                    .is("from") && !out.get(out.size() - 1).is("to") && !out.get(out.size() - 1).is("port")
                    && !out.get(out.size() - 1).is("proto") && !out.get(out.size() - 1).is("on")
                    && !out.get(out.size() - 1).is("!")) {
                out.add(t);
                out.add(new Token(Token.Kind.END, "end of line", t.line(), t.column() + 1));
                return out;
            }
            if (t.is("{") || t.is("(")) {
                if (depth == 0) {
                    opened = t;
                }
                depth++;
            } else if ((t.is("}") || t.is(")")) && depth > 0) {
                depth--;
            }
            out.add(t);
        }
    }

    private void warn(Statement s, Token at, String message) {
        warnings.add(s.error(at, message));
    }

    private void statement(Statement s, Anchor into, JudoLexer lexer) {
        Token first = s.peek();
        if (first.kind() == Token.Kind.WORD && s.peek(1).is("=")) {
            macro(s);
            return;
        }
        switch (first.text()) {
            case "set" -> option(s);
            case "queue" -> queue(s);
            case "table" -> table(s);
            case "pass", "block", "match" -> into.items.add(rule(s));
            case "antispoof" -> antispoof(s, into);
            case "anchor" -> anchor(s, into, lexer);
            case "load" -> load(s);
            case "include" -> include(s, into);
            case "scrub" -> throw s.error(first, "scrub rules are gone from pf since OpenBSD 4.6: write "
                    + "match in all scrub (...)");
            case "nat", "rdr", "binat" -> throw s.error(first, first.text() + " rules are gone from pf since "
                    + "OpenBSD 4.7: write match out ... nat-to ADDR or pass in ... rdr-to ADDR");
            case "altq" -> throw s.error(first, "altq is gone from pf since OpenBSD 5.5: write queue NAME on IF "
                    + "bandwidth B");
            default -> throw s.error(first, "expected pass, block, match, anchor, antispoof, table, queue, set, "
                    + "include, load or a macro definition, found " + Statement.describe(first));
        }
        if (!s.atEnd()) {
            throw s.error(s.peek(), "unexpected " + Statement.describe(s.peek()));
        }
    }

    /** {@code name = "value" ["more" ...]}: the strings joined by spaces, as pf joins them. */
    private void macro(Statement s) {
        Token name = s.next();
        if (!name.text().matches("[A-Za-z0-9_]+")) {
            throw s.error(name, "a macro name has only letters, digits and '_'");
        }
        if (RESERVED.contains(name.text())) {
            throw s.error(name, "'" + name.text() + "' is a reserved word and cannot name a macro");
        }
        s.expect("=");
        StringBuilder value = new StringBuilder();
        while (!s.atEnd()) {
            Token t = s.next();
            // words and strings, and the symbols an expanded macro brings ("{" $list "}" with a list inside)
            if (value.length() > 0) {
                value.append(' ');
            }
            value.append(t.text());
        }
        macros.put(name.text(), value.toString());
        header.add(name.text() + " = \"" + value + "\"");
    }

    /** {@code set OPTION ...}: the pf.conf(5) options; what Judo cannot act on is read and warned about. */
    private void option(Statement s) {
        int start = s.pos;
        s.next();
        Token what = s.word("an option name");
        switch (what.text()) {
            case "skip" -> {
                s.expect("on");
                List<String> names = words(s, "an interface name");
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
                stateOptions(s, false);
                warn(s, what, "set state-defaults: Judo does not enforce state options yet");
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
        header.add(joined(s, start));
    }

    /** The statement's tokens from {@code start} to where the cursor is, as pfctl would print them. */
    private static String joined(Statement s, int start) {
        StringBuilder sb = new StringBuilder();
        for (int i = start; i < s.pos; i++) {
            Token t = s.tokens.get(i);
            String text = t.kind() == Token.Kind.STRING ? "\"" + t.text() + "\"" : t.text();
            if (t.is("<") && i + 2 < s.pos && s.tokens.get(i + 2).is(">")) {
                text = "<" + s.tokens.get(i + 1).text() + ">"; // a table name
                i += 2;
            }
            boolean tight = t.is(",") || t.is(")") || i > start && s.tokens.get(i - 1).is("(");
            if (sb.length() > 0 && !tight) {
                sb.append(' ');
            }
            sb.append(text);
        }
        return sb.toString();
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

    /** A word or a {@code { list }} of words (interfaces, names), commas optional. */
    private static List<String> words(Statement s, String what) {
        List<String> out = new ArrayList<>();
        if (s.accept("{")) {
            while (!s.peek().is("}")) {
                if (s.atEnd()) {
                    throw s.error(s.peek(), "missing '}' at the end of the list");
                }
                out.add(s.word(what).text());
                s.comma();
            }
            s.expect("}");
        } else {
            out.add(s.word(what).text());
        }
        return out;
    }

    /**
     * pf's queue ({@code queue NAME on IF [parent P] bandwidth B [min B] [max B] [burst B for MS] [qlimit N]
     * [default] [flows N] [quantum N]}) or judo's ({@code queue NAME rate R [prio P]}). Judo shapes each queue by
     * itself: a queue's {@code max} if given, else its {@code bandwidth}; a hierarchy is flattened, with a warning.
     */
    private void queue(Statement s) {
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
        header.add(joined(s, start));
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
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw s.error(t, "bad rate '" + t.text() + "' (a number with K, M or G)");
    }

    /**
     * {@code table <NAME> [const] [persist] [counters] [{ ADDR ... }] [file "PATH" ...]}: addresses, {@code !}
     * exclusions (the longest matching prefix decides), other tables, interface forms; files hold one address per
     * line with {@code #} comments.
     */
    private void table(Statement s) {
        s.next();
        s.expect("<");
        Token name = s.word("a table name");
        s.expect(">");
        if (tables.containsKey(name.text())) {
            throw s.error(name, "table <" + name.text() + "> declared twice");
        }
        List<CidrSet.Entry> entries = new ArrayList<>();
        StringBuilder shown = new StringBuilder("table <" + name.text() + ">");
        List<String> shownEntries = new ArrayList<>();
        while (!s.atEnd()) {
            Token t = s.peek();
            if (t.is("const") || t.is("persist") || t.is("counters")) {
                shown.append(' ').append(s.next().text());
            } else if (t.is("{")) {
                s.next();
                int open = 1;
                while (open > 1 || !s.peek().is("}")) {
                    if (s.atEnd()) {
                        throw s.error(s.peek(), "missing '}' at the end of the table");
                    }
                    if (s.accept("{")) {
                        open++; // braces may nest in a table's list; they add nothing
                        continue;
                    }
                    if (s.accept("}")) {
                        open--;
                        continue;
                    }
                    AddressParser.Item item = addresses.item(s);
                    for (CidrSet.Entry e : item.entries()) {
                        entries.add(item.negated() ? new CidrSet.Entry(e.address(), e.prefix(), !e.negated()) : e);
                    }
                    shownEntries.add(item.shown());
                    s.comma();
                }
                s.expect("}");
            } else if (t.is("file")) {
                s.next();
                Token path = s.next();
                if (path.kind() != Token.Kind.STRING && path.kind() != Token.Kind.WORD) {
                    throw s.error(path, "expected a file name after file");
                }
                tableFile(s, path, entries);
                shown.append(" file \"").append(path.text()).append('"');
            } else {
                throw s.error(t, "expected const, persist, counters, { addresses } or file \"PATH\", found "
                        + Statement.describe(t));
            }
        }
        tables.put(name.text(), CidrSet.of(entries));
        if (!shownEntries.isEmpty()) {
            shown.append(" { ").append(String.join(" ", shownEntries)).append(" }");
        }
        header.add(shown.toString());
    }

    private void tableFile(Statement s, Token path, List<CidrSet.Entry> entries) {
        Path p = resolve(path.text(), s.lexer.file());
        List<String> lines;
        try {
            lines = Files.readAllLines(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw s.error(path, "cannot read table file " + p + ": " + e.getClass().getSimpleName());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            for (String word : text.split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                try {
                    entries.add(CidrSet.parse(word));
                } catch (IllegalArgumentException e) {
                    throw new RuleError(path.text(), i + 1, line.indexOf(word) + 1, line, "bad address '" + word
                            + "' in table file");
                }
            }
        }
    }

    /** A path as written if it exists (as pfctl opens it), else beside the file that names it, else the context's. */
    private Path resolve(String path, String from) {
        Path p = Path.of(path);
        if (Files.exists(p) || p.isAbsolute()) {
            return p;
        }
        Path parent = Path.of(from).getParent();
        if (parent != null && Files.exists(parent.resolve(path))) {
            return parent.resolve(path);
        }
        if (context.directory() != null) {
            return context.directory().resolve(path);
        }
        return p;
    }

    /** {@code include "FILE"}: its statements read in place, with the macros and tables defined so far. */
    private void include(Statement s, Anchor into) {
        s.next();
        Token path = s.word("a file name");
        readFile(s, path, into);
    }

    private void readFile(Statement s, Token path, Anchor into) {
        if (depth >= MAX_DEPTH) {
            throw s.error(path, "files include each other more than " + MAX_DEPTH + " deep (a file that includes "
                    + "itself?)");
        }
        Path p = resolve(path.text(), s.lexer.file());
        String text;
        try {
            text = io.judo.rules.TextFiles.readRules(p);
        } catch (IOException e) {
            throw s.error(path, "cannot read " + p + ": " + e.getClass().getSimpleName());
        }
        depth++;
        try {
            block(new JudoLexer(path.text(), text, macros), into, null);
        } finally {
            depth--;
        }
    }

    /**
     * {@code anchor ["NAME"] [filter] [{ rules }]}: the named ruleset is evaluated here, for packets the filter
     * matches. Its rules come from the braces, from {@code load anchor NAME from "FILE"}, or (wildcard
     * {@code "NAME/*"}) from every anchor directly below NAME, in name order.
     */
    private void anchor(Statement s, Anchor into, JudoLexer lexer) {
        Token at = s.next();
        String name = "";
        if (s.peek().kind() == Token.Kind.STRING || s.peek().kind() == Token.Kind.WORD && !isFilterWord(s.peek())) {
            name = s.next().text();
        }
        RuleSpec filter = new RuleSpec();
        filter.action = Action.MATCH;
        filter.file = lexer.file();
        filter.line = s.line();
        filter.text = s.text();
        filter(s, filter, true);
        if (filter.quick) {
            warn(s, at, "anchor ... quick: a match inside the anchor does not end the evaluation here; only its "
                    + "quick rules do");
        }
        boolean wildcard = name.endsWith("/*");
        if (s.accept("{")) {
            if (wildcard) {
                throw s.error(at, "a wildcard anchor has no rules of its own");
            }
            if (name.isEmpty()) {
                name = "_" + anchors.size();
            }
            Anchor a = anchors.computeIfAbsent(qualified(into, name), n -> new Anchor(n, null));
            a.filled = true;
            if (depth >= MAX_DEPTH) {
                throw s.error(at, "anchors nest more than " + MAX_DEPTH + " deep");
            }
            depth++;
            try {
                block(lexer, a, s);
            } finally {
                depth--;
            }
            into.items.add(new Call(a.name, filter, false, s));
            return;
        }
        if (name.isEmpty()) {
            throw s.error(at, "an anchor without a name needs its rules in { }");
        }
        String full = qualified(into, wildcard ? name.substring(0, name.length() - 2) : name);
        if (!wildcard) {
            anchors.computeIfAbsent(full, n -> new Anchor(n, null));
        }
        into.items.add(new Call(full, filter, wildcard, s));
    }

    private static String qualified(Anchor into, String name) {
        return into.name.isEmpty() || name.startsWith("/") ? name.replaceFirst("^/", "") : into.name + "/" + name;
    }

    private static boolean isFilterWord(Token t) {
        return Set.of("in", "out", "on", "inet", "inet6", "proto", "from", "to", "all", "log", "quick", "tagged")
                .contains(t.text());
    }

    /** {@code load anchor NAME from "FILE"}: the file's rules become the anchor's. */
    private void load(Statement s) {
        s.next();
        s.expect("anchor");
        Token name = s.word("an anchor name");
        s.expect("from");
        Token path = s.word("a file name");
        Anchor a = anchors.computeIfAbsent(name.text(), n -> new Anchor(n, null));
        a.filled = true;
        readFile(s, path, a);
    }

    /**
     * {@code antispoof [log] [quick] for IF [inet|inet6] [label "L"]}: per address of each interface, block what
     * arrives from its network on any other interface, and (except on loopback) what arrives from its own address.
     */
    private void antispoof(Statement s, Anchor into) {
        Token at = s.next();
        boolean log = s.accept("log");
        boolean quick = s.accept("quick");
        s.expect("for");
        boolean paren = s.accept("(");
        List<String> names = words(s, "an interface name");
        if (paren) {
            s.expect(")");
        }
        int family = s.accept("inet") ? 4 : s.accept("inet6") ? 6 : 0;
        String label = s.accept("label") ? s.word("a label").text() : null;
        for (String name : names) {
            List<Addresses.Prefix> ps = context.interfaces().get(name);
            if (ps == null || ps.isEmpty()) {
                warn(s, at, "antispoof for " + name + ": " + name + " has no address here (give --interface " + name
                        + "=ADDR/N), so no rule is made");
                continue;
            }
            for (Addresses.Prefix p : ps) {
                int f = p.address().length == 4 ? 4 : 6;
                if (family != 0 && family != f) {
                    continue;
                }
                int full = p.address().length * 8;
                byte[] net = AddressParser.network(p.address(), p.bits());
                into.items.add(spoofRule(s, log, quick, name, true, f,
                        new CidrSet.Entry(net, p.bits(), false), label));
                if (!name.startsWith("lo") && p.bits() < full) {
                    into.items.add(spoofRule(s, log, quick, null, false, f,
                            new CidrSet.Entry(p.address(), full, false), label));
                }
            }
        }
    }

    private RuleSpec spoofRule(Statement s, boolean log, boolean quick, String iface, boolean negated, int family,
            CidrSet.Entry from, String label) {
        RuleSpec r = new RuleSpec();
        r.file = s.lexer.file();
        r.line = s.line();
        r.text = s.text();
        r.action = Action.BLOCK;
        r.direction = 1;
        r.log = log;
        r.quick = quick;
        if (iface != null) {
            r.ifaces = List.of((negated ? "!" : "") + iface);
            r.shownIfaces = List.of((negated ? "! " : "") + iface);
        }
        r.family = family;
        r.from = JudoRule.Hosts.of(CidrSet.of(List.of(from)), false);
        String text = Addresses.format(from.address());
        r.shownFrom = List.of(from.prefix() == from.address().length * 8 ? text : text + "/" + from.prefix());
        if (label != null) {
            r.shownOptions.add(" label \"" + label + "\"");
        }
        return r;
    }

    /** Orders the anchors' rules into one list, merging each anchor's filter into the rules it calls. */
    private void flatten(Anchor a, List<RuleSpec> filters, List<JudoRule> rules, List<String> listing,
            String indent, int[] unused) {
        int number = 0;
        for (Object item : a.items) {
            if (item instanceof RuleSpec r) {
                RuleSpec merged = r;
                try {
                    for (int i = filters.size() - 1; i >= 0; i--) {
                        merged = merge(filters.get(i), merged);
                    }
                } catch (RuleError e) {
                    errors.add(e);
                    continue;
                }
                rules.add(merged.toRule());
                for (String line : r.shown()) {
                    listing.add(indent + "@" + number++ + " " + line);
                }
                continue;
            }
            Call c = (Call) item;
            List<Anchor> targets = new ArrayList<>();
            if (c.wildcard()) {
                new TreeMap<>(anchors).forEach((n, x) -> {
                    if (n.startsWith(c.name() + "/") && n.indexOf('/', c.name().length() + 1) < 0) {
                        targets.add(x);
                    }
                });
            } else {
                Anchor x = anchors.get(c.name());
                if (x.filled) {
                    targets.add(x);
                }
            }
            boolean unnamed = c.name().substring(c.name().lastIndexOf('/') + 1).startsWith("_");
            String shownName = unnamed ? "" : " \"" + c.name() + (c.wildcard() ? "/*" : "") + "\"";
            List<String> head = c.filter().shown();
            String filterText = head.get(0).substring("match".length());
            if (targets.isEmpty()) {
                warnings.add(c.at().error(c.at().tokens.get(0), "anchor \"" + c.name() + (c.wildcard() ? "/*" : "")
                        + "\" has no rules here (pf loads them at run time with pfctl -a; Judo reads only this "
                        + "policy and its load anchor lines)"));
            }
            if (filters.size() + 1 > MAX_DEPTH) {
                errors.add(c.at().error(c.at().tokens.get(0), "anchors nest more than " + MAX_DEPTH + " deep"));
                continue;
            }
            listing.add(indent + "@" + number++ + " anchor" + shownName + filterText + (targets.isEmpty() ? ""
                    : " {"));
            List<RuleSpec> inner = new ArrayList<>(filters);
            inner.add(c.filter());
            for (Anchor t : targets) {
                flatten(t, inner, rules, listing, indent + "  ", unused);
            }
            if (!targets.isEmpty()) {
                listing.add(indent + "}");
            }
        }
    }

    /**
     * A rule inside an anchor holds only where the anchor's filter holds too: the filter's conditions are added to
     * the rule's. Where both restrict the same field differently, directions and families that differ match nothing,
     * protocol lists intersect, and the rest is refused at the rule (not yet expressible as one rule).
     */
    private static RuleSpec merge(RuleSpec filter, RuleSpec rule) {
        RuleSpec m = rule.copy();
        if (filter.direction != 0) {
            if (m.direction != 0 && m.direction != filter.direction) {
                m.never = true;
            }
            m.direction = filter.direction;
        }
        if (filter.family != 0) {
            if (m.family != 0 && m.family != filter.family) {
                m.never = true;
            }
            m.family = filter.family;
        }
        if (filter.protocols != null) {
            if (m.protocols == null) {
                m.protocols = filter.protocols;
            } else {
                List<Integer> both = new ArrayList<>(m.protocols);
                both.retainAll(filter.protocols);
                if (both.isEmpty()) {
                    m.never = true;
                } else {
                    m.protocols = both;
                }
            }
        }
        m.ifaces = mergeField(filter.ifaces, m.ifaces, rule, "interface");
        m.from = mergeField(filter.from, m.from, rule, "source address");
        m.to = mergeField(filter.to, m.to, rule, "destination address");
        m.fromPorts = mergeField(filter.fromPorts, m.fromPorts, rule, "source port");
        m.toPorts = mergeField(filter.toPorts, m.toPorts, rule, "destination port");
        m.tagged = mergeField(filter.tagged, m.tagged, rule, "tagged");
        if (filter.tagged != null && m.tagged == filter.tagged) {
            m.taggedNegated = filter.taggedNegated;
        }
        if (filter.flags >= 0) {
            if (m.flags >= 0) {
                throw new RuleError(rule.file, rule.line, 1, rule.text, "this rule and its anchor both test "
                        + "flags: not supported yet");
            }
            m.flags = filter.flags;
            m.flagsMask = filter.flagsMask;
        }
        m.never |= filter.never;
        return m;
    }

    private static <T> T mergeField(T outer, T inner, RuleSpec rule, String what) {
        if (outer == null) {
            return inner;
        }
        if (inner != null && !inner.equals(outer)) {
            throw new RuleError(rule.file, rule.line, 1, rule.text, "this rule and its anchor both restrict the "
                    + what + ": not supported yet (move one of the conditions)");
        }
        return outer;
    }

    private RuleSpec rule(Statement s) {
        RuleSpec r = new RuleSpec();
        r.file = s.lexer.file();
        r.line = s.line();
        r.text = s.text();
        Token actionToken = s.next();
        r.action = switch (actionToken.text()) {
            case "pass" -> Action.PASS;
            case "block" -> Action.BLOCK;
            default -> Action.MATCH;
        };
        if (r.action == Action.BLOCK) {
            r.blockReturn = blockReturnPolicy;
            if (s.accept("return") || s.accept("return-rst") || s.accept("return-icmp")
                    || s.accept("return-icmp6")) {
                r.blockReturn = true;
                if (s.peek().is("(")) {
                    skipParens(s);
                }
            } else if (s.accept("drop")) {
                r.blockReturn = false;
            }
        }
        filter(s, r, false);
        if (r.quick && r.action == Action.MATCH) {
            throw s.error(actionToken, "match rules decide nothing, so 'quick' has no meaning on them");
        }
        if (r.tag != null && r.action == Action.BLOCK) {
            throw s.error(actionToken, "a blocked packet goes nowhere: tag it with a match rule");
        }
        if (r.state > 0 && r.action != Action.PASS) {
            throw s.error(actionToken, "keep state is only for pass rules (as pfctl says): block and match rules "
                    + "create no state");
        }
        boolean tcpOnly = r.protocols != null && r.protocols.size() == 1 && r.protocols.get(0) == 6;
        if (Boolean.TRUE.equals(r.stream) && !tcpOnly) {
            throw s.error(actionToken, "stream needs proto tcp");
        }
        return r;
    }

    private static void skipParens(Statement s) {
        s.expect("(");
        while (!s.peek().is(")")) {
            if (s.atEnd()) {
                throw s.error(s.peek(), "missing ')'");
            }
            s.next();
        }
        s.expect(")");
    }

    /** The filter parameters of a rule or an anchor, and (for a rule) its options. */
    private void filter(Statement s, RuleSpec r, boolean anchor) {
        while (true) {
            if (s.accept("in")) {
                r.direction = 1;
            } else if (s.accept("out")) {
                r.direction = 2;
            } else if (s.accept("log")) {
                r.log = true;
                if (s.accept("(")) {
                    r.logOptions = " (" + String.join(", ", logOptions(s)) + ")";
                }
            } else if (s.accept("quick")) {
                r.quick = true;
            } else if (s.accept("on")) {
                interfaces(s, r);
            } else if (s.accept("inet")) {
                r.family = 4;
            } else if (s.accept("inet6")) {
                r.family = 6;
            } else {
                break;
            }
        }
        if (s.accept("proto")) {
            protocols(s, r);
        }
        if (s.accept("all")) {
            // from any to any
        } else {
            if (s.accept("from")) {
                List<String> shown = new ArrayList<>();
                r.from = s.peek().is("port") ? null : addresses.host(s, shown); // "to port 22": any host
                r.shownFrom = shown;
                if (s.accept("port")) {
                    List<String> ps = new ArrayList<>();
                    r.fromPorts = ports(s, r.protocols, ps);
                    r.shownFromPorts = ps;
                }
                if (s.accept("os")) {
                    Token os = s.peek();
                    if (s.peek().is("{")) {
                        words(s, "an OS name");
                    } else {
                        s.word("an OS name");
                    }
                    r.never = true;
                    warn(s, os, "os: Judo does no passive OS fingerprinting, so this rule matches no packet");
                }
            }
            if (s.accept("to")) {
                List<String> shown = new ArrayList<>();
                r.to = s.peek().is("port") ? null : addresses.host(s, shown); // "to port 22": any host
                r.shownTo = shown;
                if (s.accept("port")) {
                    List<String> ps = new ArrayList<>();
                    r.toPorts = ports(s, r.protocols, ps);
                    r.shownToPorts = ps;
                }
            }
        }
        options(s, r, anchor);
    }

    /** {@code log (all, matches, user, to pflogN)}'s options, in pfctl's order; the {@code (} is read. */
    private static List<String> logOptions(Statement s) {
        String[] got = new String[4];
        while (!s.peek().is(")")) {
            Token o = s.word("all, matches, user or to pflogN");
            switch (o.text()) {
                case "all" -> got[0] = "all";
                case "matches" -> got[1] = "matches";
                case "user" -> got[2] = "user";
                case "to" -> got[3] = "to " + s.word("a pflog interface").text();
                default -> throw s.error(o, "unknown log option '" + o.text() + "' (all, matches, user, to pflogN)");
            }
            s.comma();
        }
        s.expect(")");
        List<String> out = new ArrayList<>();
        for (String g : got) {
            if (g != null) {
                out.add(g);
            }
        }
        return out;
    }

    /** {@code on [!] IF}, {@code on { IF [!] IF ... }} (one of them), {@code on any}; names keep a leading "!". */
    private void interfaces(Statement s, RuleSpec r) {
        if (s.accept("rdomain")) {
            Token n = s.word("a routing domain");
            warn(s, n, "on rdomain: Judo has no routing domains; the rule matches as if it were absent");
            return;
        }
        boolean negated = s.accept("!");
        if (s.accept("any")) {
            if (negated) {
                throw s.error(s.previous(), "'on ! any' matches nothing");
            }
            return;
        }
        List<String> names = new ArrayList<>();
        if (!negated && s.accept("{")) {
            while (!s.peek().is("}")) {
                if (s.atEnd()) {
                    throw s.error(s.peek(), "missing '}' at the end of the interface list");
                }
                boolean not = s.accept("!");
                names.add((not ? "!" : "") + s.word("an interface name").text());
                s.comma();
            }
            s.expect("}");
        } else {
            names.add((negated ? "!" : "") + s.word("an interface name").text());
        }
        r.ifaces = names;
        r.shownIfaces = names.stream().map(n -> n.startsWith("!") ? "! " + n.substring(1) : n).toList();
    }

    private static void protocols(Statement s, RuleSpec r) {
        List<Integer> out = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        boolean list = s.accept("{");
        do {
            Token t = s.word("a protocol");
            Integer p = PROTOCOLS.get(t.text());
            if (p == null) {
                try {
                    p = Integer.parseInt(t.text());
                } catch (NumberFormatException e) {
                    throw s.error(t, "unknown protocol '" + t.text() + "' (tcp, udp, icmp, icmp6, or a number)");
                }
                if (p < 0 || p > 255) {
                    throw s.error(t, "protocol numbers go from 0 to 255");
                }
            }
            out.add(p);
            shown.add(t.text());
            s.comma();
        } while (list && !s.peek().is("}") && !s.atEnd());
        if (list) {
            s.expect("}");
        }
        r.protocols = List.copyOf(out);
        r.shownProtocols = shown;
    }

    /** Rule options in any order; their printed forms go in pfctl's order. */
    private void options(Statement s, RuleSpec r, boolean anchor) {
        TreeMap<Integer, String> shown = new TreeMap<>();
        int extra = 1000;
        while (!s.atEnd() && !(anchor && s.peek().is("{"))) {
            Token t = s.next();
            switch (t.text()) {
                case "user", "group" -> {
                    int from = s.pos - 1;
                    userSpec(s);
                    r.never = true;
                    shown.put(10, " " + joined(s, from));
                    warn(s, t, t.text() + ": pf matches it only on the sockets of its own host; Judo sees traffic "
                            + "between other hosts, so this rule matches no packet");
                }
                case "flags" -> {
                    if (s.accept("any")) {
                        r.flagsAny = true;
                        shown.put(20, " flags any");
                        break;
                    }
                    Token f = s.word("flags such as S/SA");
                    String[] parts = f.text().split("/", -1);
                    r.flags = parts[0].isEmpty() ? 0 : flagBits(s, f, parts[0]);
                    r.flagsMask = parts.length > 1 ? flagBits(s, f, parts[1]) : 0xff;
                    if ((r.flags & ~r.flagsMask) != 0) {
                        throw s.error(f, "flags " + parts[0] + " are not all inside the mask " + parts[1]);
                    }
                    shown.put(20, " flags " + f.text());
                }
                case "icmp-type", "icmp6-type" -> icmpType(s, t, r, shown);
                case "tos" -> {
                    r.tosMatch = tos(s);
                    shown.put(40, String.format(" tos 0x%02x", r.tosMatch));
                }
                case "prio" -> {
                    r.prioMatch = (int) s.number("prio", 0, 7);
                    shown.put(45, " prio " + r.prioMatch);
                }
                case "keep", "modulate", "synproxy" -> {
                    s.expect("state");
                    r.state = 1;
                    String opts = s.peek().is("(") ? " " + stateOptions(s, true) : "";
                    shown.put(50, " " + t.text() + " state" + opts);
                    if (!t.is("keep")) {
                        warn(s, t, t.text() + " state: Judo neither rewrites sequence numbers for it nor answers "
                                + "handshakes; it acts as keep state");
                    }
                    if (!opts.isEmpty()) {
                        warn(s, t, "state options" + opts + ": Judo keeps the state but does not enforce its "
                                + "options yet (limits, overload)");
                    }
                }
                case "no" -> {
                    s.expect("state");
                    r.state = -1;
                    shown.put(50, " no state");
                }
                case "fragment" -> shown.put(55, " fragment");
                case "allow-opts" -> shown.put(56, " allow-opts");
                case "label" -> shown.put(60, " label \"" + s.word("a label").text() + "\"");
                case "tag" -> {
                    r.tag = tagName(s);
                    shown.put(70, " tag " + r.tag);
                }
                case "!" -> {
                    if (s.accept("received-on")) {
                        s.word("an interface name");
                        warn(s, t, "received-on: not tested; the rule matches as if it were absent");
                        break;
                    }
                    s.expect("tagged");
                    r.tagged = tagName(s);
                    r.taggedNegated = true;
                    shown.put(71, " ! tagged " + r.tagged);
                }
                case "tagged" -> {
                    r.tagged = tagName(s);
                    shown.put(71, " tagged " + r.tagged);
                }
                case "set" -> set(s, r, shown);
                case "probability" -> {
                    Token p = s.word("a probability such as 20%");
                    if (!p.text().matches("[0-9]+(\\.[0-9]+)?%?")) {
                        throw s.error(p, "probability is a percentage such as 20%");
                    }
                    shown.put(85, " probability " + p.text());
                    warn(s, p, "probability: Judo applies this rule to every packet it matches");
                }
                case "rtable" -> {
                    s.number("rtable", 0, 255);
                    warn(s, t, "rtable: Judo has no routing tables; packets go where they were going");
                }
                case "received-on" -> {
                    s.accept("!");
                    s.word("an interface name");
                    warn(s, t, "received-on: not tested; the rule matches as if it were absent");
                }
                case "once" -> {
                    shown.put(95, " once");
                    warn(s, t, "once: Judo keeps the rule after its first match");
                }
                case "max-pkt-rate" -> {
                    s.word("a rate such as 100/10");
                    warn(s, t, "max-pkt-rate: not enforced");
                }
                case "divert-to", "divert-reply", "divert-packet" -> {
                    if (!t.is("divert-reply")) {
                        if (!t.is("divert-packet")) {
                            s.word("an address");
                        }
                        s.expect("port");
                        s.word("a port");
                    }
                    warn(s, t, t.text() + ": Judo diverts nothing to local sockets");
                }
                case "route-to", "reply-to", "dup-to" -> {
                    int from = s.pos - 1;
                    routeTarget(s);
                    shown.put(extra++, " " + joined(s, from));
                    warn(s, t, t.text() + ": Judo does not route; packets go where they were going");
                }
                case "nat-to", "rdr-to", "binat-to" -> translation(s, t, r, shown);
                case "af-to" -> {
                    int from = s.pos - 1;
                    s.word("inet or inet6");
                    s.expect("from");
                    poolHost(s, t);
                    if (s.accept("to")) {
                        poolHost(s, t);
                    }
                    shown.put(extra++, " " + joined(s, from));
                    warn(s, t, "af-to: Judo does not translate between IPv4 and IPv6; packets keep their family");
                }
                case "scrub" -> {
                    int from = s.pos - 1;
                    scrub(s);
                    shown.put(58, " " + joined(s, from));
                    warn(s, t, "scrub: Judo normalizes nothing beyond fragment reassembly; the scrub options are "
                            + "not applied");
                }
                case "content" -> r.chain.add(content(s.string("the content").getBytes(
                        StandardCharsets.ISO_8859_1), false));
                case "regex" -> r.chain.add(regex(s, s.peek()));
                case "nocase", "offset", "depth" -> modify(s, t, r.chain);
                case "stream" -> r.stream = true;
                case "packet" -> r.stream = false;
                case "replace" -> {
                    byte[] old = s.string("the text to replace").getBytes(StandardCharsets.ISO_8859_1);
                    s.expect("with");
                    r.replaceWith = s.string("the replacement").getBytes(StandardCharsets.ISO_8859_1);
                    if (old.length == 0) {
                        throw s.error(t, "replace needs a non-empty text");
                    }
                    r.chain.add(content(old, false));
                }
                case "log" -> r.log = true;
                default -> throw s.error(t, "unknown option '" + t.text() + "'");
            }
        }
        if (!r.chain.isEmpty()) {
            shown.put(extra, " " + judoExtensions(s, r));
        }
        if (!anchor && r.implicitFlags()) {
            shown.put(20, " flags S/SA"); // pf's default, shown as pfctl shows it
        }
        r.shownOptions.addAll(shown.values());
    }

    /** The payload part of a rule as written (Judo's extensions to pf), for the listing. */
    private static String judoExtensions(Statement s, RuleSpec r) {
        String text = s.text();
        for (String k : List.of(" content ", " regex ", " replace ")) {
            int at = text.indexOf(k);
            if (at >= 0) {
                return text.substring(at + 1).strip();
            }
        }
        return "content";
    }

    private static void userSpec(Statement s) {
        if (s.accept("{")) {
            while (!s.peek().is("}") && !s.atEnd()) {
                s.next();
            }
            s.expect("}");
            return;
        }
        if (s.peek().kind() == Token.Kind.SYMBOL && !s.peek().is("{")) {
            s.next();
        }
        s.word("a user or group");
        if (s.peek().is("><") || s.peek().is("<>")) {
            s.next();
            s.word("a user or group");
        }
    }

    private static void routeTarget(Statement s) {
        if (s.peek().is("{")) {
            skipBraces(s);
        } else if (s.peek().is("(")) {
            skipParens(s);
        } else if (s.peek().is("<")) {
            s.next();
            s.word("a table name");
            s.expect(">");
        } else {
            s.word("a gateway address or interface");
        }
        poolOptions(s);
    }

    private static void skipBraces(Statement s) {
        s.expect("{");
        int d = 1;
        while (d > 0) {
            if (s.atEnd()) {
                throw s.error(s.peek(), "missing '}'");
            }
            Token t = s.next();
            d += t.is("{") ? 1 : t.is("}") ? -1 : 0;
        }
    }

    private static void poolOptions(Statement s) {
        while (true) {
            if (s.accept("bitmask") || s.accept("least-states") || s.accept("random") || s.accept("round-robin")
                    || s.accept("static-port") || s.accept("sticky-address")) {
                continue;
            }
            if (s.accept("source-hash")) {
                if (s.peek().kind() == Token.Kind.STRING
                        || s.peek().wordLike() && s.peek().text().matches("0x[0-9a-fA-F]+")) {
                    s.next();
                }
                continue;
            }
            return;
        }
    }

    /** The first address a pool names, or null (with a warning) when it names none known here. */
    private String poolHost(Statement s, Token at) {
        List<String> shown = new ArrayList<>();
        JudoRule.Hosts h = addresses.host(s, shown);
        if (h == null) {
            throw s.error(at, at.text() + " needs an address, not any");
        }
        for (JudoRule.Hosts.Term term : h.terms()) {
            if (!term.negated() && !term.set().entries().isEmpty()) {
                if (term.set().entries().size() > 1 || shown.size() > 1) {
                    warn(s, at, at.text() + ": a pool of several addresses; Judo translates to the first");
                }
                return Addresses.format(term.set().entries().get(0).address());
            }
        }
        return null;
    }

    private void translation(Statement s, Token t, RuleSpec r, TreeMap<Integer, String> shown) {
        int from = s.pos - 1;
        String address = poolHost(s, t);
        int port = -1;
        if (s.accept("port")) {
            Token p = s.word("a port");
            String text = p.text();
            if (text.equals("*")) {
                text = "-1";
            }
            int colon = text.indexOf(':');
            if (colon > 0) {
                warn(s, p, t.text() + " port " + text + ": Judo translates to the first port of the range");
                text = text.substring(0, colon);
            }
            port = text.equals("-1") ? -1 : port(s, new Token(Token.Kind.WORD, text, p.line(), p.column()));
        }
        poolOptions(s);
        shown.put(t.is("rdr-to") ? 201 : 200, " " + joined(s, from));
        if (address == null) {
            return; // warned: an interface without an address
        }
        Remap remap = new Remap(address, port);
        if (t.is("rdr-to")) {
            r.rdrTo = remap;
        } else {
            r.natTo = remap;
            if (t.is("binat-to")) {
                warn(s, t, "binat-to: Judo translates outbound as nat-to; the inbound rdr-to is not made");
            }
        }
    }

    private static void scrub(Statement s) {
        s.expect("(");
        while (!s.peek().is(")")) {
            Token o = s.word("a scrub option");
            switch (o.text()) {
                case "no-df", "random-id" -> {
                    // flags
                }
                case "min-ttl" -> s.number("min-ttl", 1, 255);
                case "max-mss" -> s.number("max-mss", 1, 65535);
                case "set-tos" -> s.word("a TOS");
                case "reassemble" -> s.expect("tcp");
                default -> throw s.error(o, "unknown scrub option '" + o.text() + "' (no-df, random-id, min-ttl, "
                        + "max-mss, set-tos, reassemble tcp)");
            }
            s.comma();
        }
        s.expect(")");
    }

    /** {@code ( max N, max-src-conn N, max-src-conn-rate N/S, overload <T> [flush [global]], ... )}. */
    private static String stateOptions(Statement s, boolean parens) {
        int from = s.pos;
        if (parens) {
            s.expect("(");
        }
        while (!s.atEnd() && !s.peek().is(")")) {
            Token o = s.word("a state option");
            switch (o.text()) {
                case "max", "max-src-nodes", "max-src-states", "max-src-conn" -> s.number(o.text(), 0,
                        Integer.MAX_VALUE);
                case "max-src-conn-rate" -> {
                    Token v = s.word("a rate such as 15/5");
                    if (!v.text().matches("[0-9]+/[0-9]+")) {
                        throw s.error(v, "max-src-conn-rate is CONNECTIONS/SECONDS, such as 15/5");
                    }
                }
                case "overload" -> {
                    s.expect("<");
                    s.word("a table name");
                    s.expect(">");
                    if (s.accept("flush")) {
                        s.accept("global");
                    }
                }
                case "source-track" -> {
                    if (!s.accept("rule")) {
                        s.accept("global");
                    }
                }
                case "if-bound", "floating", "sloppy", "no-sync", "pflow" -> {
                    // flags
                }
                default -> {
                    if (!o.text().matches("(tcp|udp|icmp|other)\\.[a-z]+|frag|interval|src\\.track|adaptive\\."
                            + "(start|end)")) {
                        throw s.error(o, "unknown state option '" + o.text() + "'");
                    }
                    s.number("a timeout", 0, Integer.MAX_VALUE);
                }
            }
            s.comma();
        }
        if (parens) {
            s.expect(")");
        }
        return joined(s, from);
    }

    /** {@code set prio N|(N, M)}, {@code set queue Q|(Q, ACK)}, {@code set tos T}, {@code set ttl N}, ... */
    private void set(Statement s, RuleSpec r, TreeMap<Integer, String> shown) {
        if (s.accept("(")) {
            // set (prio 3, queue q, tos lowdelay): several at once
            while (!s.peek().is(")")) {
                if (s.atEnd()) {
                    throw s.error(s.peek(), "missing ')'");
                }
                setOne(s, r, shown);
                s.comma();
            }
            s.expect(")");
            return;
        }
        setOne(s, r, shown);
    }

    private void setOne(Statement s, RuleSpec r, TreeMap<Integer, String> shown) {
        Token what = s.word("queue, prio, tos or ttl");
        switch (what.text()) {
            case "queue" -> {
                List<String> names = tuple(s, "a queue name");
                Integer id = queueIds.get(names.get(0));
                if (id == null) {
                    throw s.error(s.previous(), "queue '" + names.get(0) + "' is not declared (queue NAME "
                            + "bandwidth B)");
                }
                if (names.size() > 1) {
                    warn(s, what, "set queue (" + String.join(", ", names) + "): Judo queues every packet of the "
                            + "rule on " + names.get(0));
                }
                r.queue = id;
                shown.put(80, " set queue " + (names.size() > 1 ? "(" + String.join(", ", names) + ")"
                        : names.get(0)));
            }
            case "prio" -> {
                List<String> ps = tuple(s, "a prio");
                for (String p : ps) {
                    if (!p.matches("[0-7]")) {
                        throw s.error(s.previous(), "prio must be a number from 0 to 7, found '" + p + "'");
                    }
                }
                if (ps.size() > 1) {
                    warn(s, what, "set prio (" + String.join(", ", ps) + "): Judo gives every packet of the rule "
                            + "prio " + ps.get(0));
                }
                r.prio = Integer.parseInt(ps.get(0));
                shown.put(81, " set prio " + (ps.size() > 1 ? "(" + String.join(", ", ps) + ")" : ps.get(0)));
            }
            case "tos" -> {
                r.tos = tos(s);
                shown.put(82, String.format(" set tos 0x%02x", r.tos));
            }
            case "ttl" -> {
                r.ttl = (int) s.number("ttl", 1, 255);
                shown.put(83, " set ttl " + r.ttl);
            }
            case "delay" -> {
                s.number("delay", 0, 10_000);
                warn(s, what, "set delay: Judo delays no packet");
            }
            default -> throw s.error(what, "expected queue, prio, tos or ttl after set");
        }
    }

    /** A word, or {@code ( a [,] b )}. */
    private static List<String> tuple(Statement s, String what) {
        List<String> out = new ArrayList<>();
        if (s.accept("(")) {
            while (!s.peek().is(")")) {
                out.add(s.word(what).text());
                s.comma();
            }
            s.expect(")");
            if (out.isEmpty() || out.size() > 2) {
                throw s.error(s.previous(), "expected one or two values in ( )");
            }
        } else {
            out.add(s.word(what).text());
        }
        return out;
    }

    /** A TOS value: a number (decimal or 0x hex) or one of pf's names (lowdelay, throughput, ...). */
    private static int tos(Statement s) {
        Token t = s.word("a TOS such as 0x10 or lowdelay");
        Integer named = TOS_NAMES.get(t.text());
        if (named != null) {
            return named;
        }
        try {
            int v = t.text().startsWith("0x") ? Integer.parseInt(t.text().substring(2), 16)
                    : Integer.parseInt(t.text());
            if (v >= 0 && v <= 255) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw s.error(t, "tos must be a number from 0 to 255 (or lowdelay, throughput, reliability, ...), found '"
                + t.text() + "'");
    }

    private static void icmpType(Statement s, Token t, RuleSpec r, TreeMap<Integer, String> shown) {
        boolean six = t.is("icmp6-type");
        int proto = six ? 58 : 1;
        if (r.protocols == null || r.protocols.size() != 1 || r.protocols.get(0) != proto) {
            throw s.error(t, t.text() + " needs proto " + (six ? "icmp6" : "icmp"));
        }
        boolean list = s.accept("{");
        List<String> texts = new ArrayList<>();
        do {
            Token type = s.word("an ICMP type");
            int v = icmpNumber(s, type, six ? ICMP6_TYPES : ICMP_TYPES);
            String text = type.text();
            int code = -1;
            if (s.accept("code")) {
                Token c = s.word("an ICMP code");
                code = icmpNumber(s, c, six ? ICMP6_CODES : ICMP_CODES);
                text += " code " + c.text();
            }
            r.icmpTypes.add(new int[] {v, code});
            texts.add(text);
            s.comma();
        } while (list && !s.peek().is("}") && !s.atEnd());
        if (list) {
            s.expect("}");
        }
        // pfctl expands the list into one rule per type; the listing keeps them on one line
        shown.put(30, " " + t.text() + " " + (texts.size() == 1 ? texts.get(0) : "{ " + String.join(", ", texts)
                + " }"));
    }

    private static int icmpNumber(Statement s, Token t, Map<String, Integer> names) {
        Integer v = names.get(t.text());
        if (v != null) {
            return v;
        }
        try {
            int n = Integer.parseInt(t.text());
            if (n >= 0 && n <= 255) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw s.error(t, "bad ICMP type or code '" + t.text() + "' (a number from 0 to 255 or a name such as "
                + "echoreq or port-unr)");
    }

    private String tagName(Statement s) {
        String name = s.word("a tag name").text();
        if (!tags.contains(name)) {
            tags.add(name);
        }
        return name;
    }

    /** pf's port forms: {@code N}, {@code = N}, {@code != N}, {@code < N}, {@code <= N}, {@code > N}, {@code >= N},
     *  {@code A:B} (inclusive), {@code A >< B} (between), {@code A <> B} (outside), service names, {@code { list }}. */
    private static IntRangeSet ports(Statement s, List<Integer> protocols, List<String> shown) {
        if (protocols == null || protocols.stream().anyMatch(p -> p != 6 && p != 17)) {
            throw s.error(s.previous(), "ports need proto tcp or udp");
        }
        BitSet set = new BitSet(65536);
        if (s.accept("{")) {
            while (!s.peek().is("}")) {
                if (s.atEnd()) {
                    throw s.error(s.peek(), "missing '}' at the end of the port list");
                }
                set.or(portItem(s, shown));
                s.comma();
            }
            s.expect("}");
        } else {
            set = portItem(s, shown);
        }
        List<long[]> ranges = new ArrayList<>();
        for (int i = set.nextSetBit(0); i >= 0; ) {
            int end = set.nextClearBit(i);
            ranges.add(new long[] {i, end - 1});
            i = end < 65536 ? set.nextSetBit(end) : -1;
        }
        if (ranges.isEmpty()) {
            throw s.error(s.previous(), "the port condition selects no port");
        }
        return IntRangeSet.of(ranges);
    }

    private static BitSet portItem(Statement s, List<String> shown) {
        BitSet b = new BitSet(65536);
        Token t = s.peek();
        if (t.kind() == Token.Kind.SYMBOL && !t.is("{") && !t.is("}")) {
            String op = s.next().text();
            int p = port(s, s.word("a port"));
            switch (op) {
                case "=" -> b.set(p);
                case "!=" -> {
                    b.set(0, 65536);
                    b.clear(p);
                }
                case "<" -> b.set(0, p);
                case "<=" -> b.set(0, p + 1);
                case ">" -> b.set(p + 1, 65536);
                case ">=" -> b.set(p, 65536);
                default -> throw s.error(t, "unexpected '" + op + "' before a port");
            }
            shown.add(op + " " + p);
            return b;
        }
        Token w = s.word("a port");
        int colon = w.text().indexOf(':');
        if (colon > 0) {
            int lo = port(s, new Token(Token.Kind.WORD, w.text().substring(0, colon), w.line(), w.column()));
            int hi = port(s, new Token(Token.Kind.WORD, w.text().substring(colon + 1), w.line(), w.column()));
            if (lo > hi) {
                throw s.error(w, "empty port range " + w.text());
            }
            b.set(lo, hi + 1);
            shown.add(lo + ":" + hi);
            return b;
        }
        int p = port(s, w);
        if (s.peek().is("><") || s.peek().is("<>")) {
            String op = s.next().text();
            int hi = port(s, s.word("a port"));
            if (op.equals("><")) {
                if (hi > p + 1) {
                    b.set(p + 1, hi);
                }
            } else {
                b.set(0, 65536);
                b.clear(p, hi + 1);
            }
            shown.add(p + " " + op + " " + hi);
            return b;
        }
        b.set(p);
        shown.add("= " + p);
        return b;
    }

    private static int port(Statement s, Token t) {
        Integer named = SERVICES.get(t.text());
        if (named != null) {
            return named;
        }
        try {
            int p = Integer.parseInt(t.text());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw s.error(t, "bad port '" + t.text() + "'");
    }

    private static int flagBits(Statement s, Token at, String letters) {
        int bits = 0;
        for (char c : letters.toCharArray()) {
            bits |= switch (c) {
                case 'F' -> 0x01;
                case 'S' -> 0x02;
                case 'R' -> 0x04;
                case 'P' -> 0x08;
                case 'A' -> 0x10;
                case 'U' -> 0x20;
                case 'E' -> 0x40;
                case 'W' -> 0x80;
                default -> throw s.error(at, "unknown TCP flag '" + c + "' (F S R P A U E W)");
            };
        }
        return bits;
    }

    private static Content content(byte[] bytes, boolean nocase) {
        return new Content(bytes, false, nocase, Inspect.UNSET, Inspect.UNSET, Inspect.UNSET,
                Inspect.UNSET, false, false, false, null, null);
    }

    private static Pcre regex(Statement s, Token at) {
        String text = s.string("a regex such as \"/re/i\"");
        int close = text.lastIndexOf('/');
        if (!text.startsWith("/") || close <= 0) {
            throw s.error(at, "regex must look like \"/re/flags\"");
        }
        String expression = text.substring(1, close);
        String flags = text.substring(close + 1);
        for (char f : flags.toCharArray()) {
            if ("ismx".indexOf(f) < 0) {
                throw s.error(at, "unknown regex flag '" + f + "' (i s m x)");
            }
        }
        try {
            BoundedRegex re = BoundedRegex.compile(expression, flags.contains("i"), flags.contains("s"),
                    flags.contains("m"), flags.contains("x"));
            return new Pcre(expression, flags, re, false, false);
        } catch (MatcherException e) {
            throw s.error(at, "regex: " + e.detail());
        }
    }

    /** {@code offset N}, {@code depth N}, {@code nocase} on the last content (offset/depth also on a regex). */
    private static void modify(Statement s, Token t, List<Inspect> chain) {
        if (chain.isEmpty()) {
            throw s.error(t, "'" + t.text() + "' needs a content or regex before it");
        }
        Inspect last = chain.get(chain.size() - 1);
        if (!(last instanceof Content c)) {
            throw s.error(t, "'" + t.text() + "' applies to a content (a regex takes its flags: /re/i)");
        }
        Content n = switch (t.text()) {
            case "nocase" -> new Content(c.bytes(), false, true, c.offset(), c.depth(), c.distance(), c.within(),
                    false, false, false, null, null);
            case "offset" -> new Content(c.bytes(), false, c.nocase(), (int) s.number("offset", 0, 1 << 30),
                    c.depth(), c.distance(), c.within(), false, false, false, null, null);
            default -> {
                int d = (int) s.number("depth", 1, 1 << 30);
                if (d < c.bytes().length) {
                    throw s.error(t, "depth " + d + " is shorter than the content (" + c.bytes().length + " bytes)");
                }
                yield new Content(c.bytes(), false, c.nocase(), c.offset(), d, c.distance(), c.within(), false,
                        false, false, null, null);
            }
        };
        chain.set(chain.size() - 1, n);
    }
}
