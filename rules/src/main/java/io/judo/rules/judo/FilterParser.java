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
import io.judo.vm.pool.IntRangeSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import java.util.function.Consumer;

/**
 * A pass, block or match rule of pf.conf(5), and an anchor's filter: the action, the filter parameters (direction,
 * log, quick, interfaces, family, protocols, hosts and ports) and the options in any order, printed in pfctl's order
 * for {@code judo rules show}; Judo's payload extensions ({@code content}, {@code regex}, {@code replace}) among
 * them. Options Judo reads but cannot act on give named warnings.
 */
final class FilterParser {
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


    private final AddressParser addresses;
    private final List<String> tags;
    private final Map<String, Integer> queueIds;
    private final Consumer<RuleError> warnings;
    private final BooleanSupplier blockReturnPolicy;
    private final java.util.function.Supplier<JudoRule.StateLimits> stateDefaults;

    /**
     * @param tags the policy's tag names, added to as rules name them (ids are 1-based positions)
     * @param queueIds the queues declared so far by name
     * @param blockReturnPolicy whether {@code set block-policy return} is in force where the rule stands
     * @param stateDefaults the limits of {@code set state-defaults} in force where the rule stands (null for none)
     */
    FilterParser(AddressParser addresses, List<String> tags, Map<String, Integer> queueIds,
            Consumer<RuleError> warnings, BooleanSupplier blockReturnPolicy,
            java.util.function.Supplier<JudoRule.StateLimits> stateDefaults) {
        this.stateDefaults = stateDefaults;
        this.addresses = addresses;
        this.tags = tags;
        this.queueIds = queueIds;
        this.warnings = warnings;
        this.blockReturnPolicy = blockReturnPolicy;
    }

    private void warn(Statement s, Token at, String message) {
        warnings.accept(s.error(at, message));
    }

    /** One rule statement, its first token the action. */
    RuleSpec rule(Statement s) {
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
            r.blockReturn = blockReturnPolicy.getAsBoolean();
            if (s.accept("return") || s.accept("return-rst") || s.accept("return-icmp")
                    || s.accept("return-icmp6")) {
                r.blockReturn = true;
                if (s.peek().is("(")) {
                    s.skipGroup();
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
        if (!r.stateOptionsGiven && r.action == Action.PASS && r.state >= 0) {
            r.limits = stateDefaults.get(); // set state-defaults: for states whose rule names no options
        }
        return r;
    }

    /** The filter parameters of a rule or an anchor, and (for a rule) its options. */
    void filter(Statement s, RuleSpec r, boolean anchor) {
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
                Side from = side(s, r);
                r.from = from.hosts();
                r.shownFrom = from.shown();
                r.fromPorts = from.ports();
                r.shownFromPorts = from.shownPorts();
                if (s.accept("os")) {
                    Token os = s.peek();
                    if (s.peek().is("{")) {
                        s.words("an OS name");
                    } else {
                        s.word("an OS name");
                    }
                    r.never = true;
                    warn(s, os, "os: Judo does no passive OS fingerprinting, so this rule matches no packet");
                }
            }
            if (s.accept("to")) {
                Side to = side(s, r);
                r.to = to.hosts();
                r.shownTo = to.shown();
                r.toPorts = to.ports();
                r.shownToPorts = to.shownPorts();
            }
        }
        options(s, r, anchor);
    }

    /** One side of {@code from ... to ...}: its hosts (null for any) and ports (null for any), as read and shown. */
    private record Side(JudoRule.Hosts hosts, List<String> shown, IntRangeSet ports, List<String> shownPorts) {
    }

    /** {@code HOST [port PORTS]} or {@code port PORTS} (any host), giving the rule its addresses' family. */
    private Side side(Statement s, RuleSpec r) {
        List<String> shown = new ArrayList<>();
        JudoRule.Hosts hosts = s.peek().is("port") ? null : addresses.host(s, shown);
        family(s, r, hosts == null ? 0 : addresses.family());
        List<String> shownPorts = new ArrayList<>();
        IntRangeSet ports = s.accept("port") ? ports(s, r.protocols, shownPorts) : null;
        return new Side(hosts, shown, ports, shownPorts);
    }

    /**
     * pfctl gives a rule the family of the addresses written in it: {@code from ! 10.0.0.0/8} is an inet rule (it
     * matches no IPv6 packet), and addresses of the other family than the rule's make no rule.
     */
    private static void family(Statement s, RuleSpec r, int written) {
        if (written == 0) {
            return;
        }
        if (r.family != 0 && r.family != written) {
            throw s.error(s.previous(), "an " + (written == 4 ? "IPv4" : "IPv6") + " address in an "
                    + (r.family == 4 ? "inet" : "inet6") + " rule: no packet can match (pfctl refuses it too)");
        }
        r.family = written;
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
            if (names.isEmpty()) {
                throw s.error(s.previous(), "an empty interface list (pfctl refuses it too)");
            }
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
                    shown.put(10, " " + s.joined(from));
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
                    String opts = "";
                    if (s.peek().is("(")) {
                        r.stateOptionsGiven = true;
                        StateOptions o = stateOptions(s, true, addresses::overloadTable);
                        opts = " " + o.text();
                        r.limits = o.limits();
                        if (!o.ignored().isEmpty()) {
                            warn(s, t, "state options " + o.notActedOn());
                        }
                    }
                    shown.put(50, " " + t.text() + " state" + opts);
                    if (!t.is("keep")) {
                        warn(s, t, t.text() + " state: Judo neither rewrites sequence numbers for it nor answers "
                                + "handshakes; it acts as keep state");
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
                    shown.put(extra++, " " + s.joined(from));
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
                    shown.put(extra++, " " + s.joined(from));
                    warn(s, t, "af-to: Judo does not translate between IPv4 and IPv6; packets keep their family");
                }
                case "scrub" -> {
                    int from = s.pos - 1;
                    scrub(s);
                    shown.put(58, " " + s.joined(from));
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
            shown.put(extra, " " + judoExtensions(s));
        }
        if (!anchor && r.implicitFlags()) {
            shown.put(20, " flags S/SA"); // pf's default, shown as pfctl shows it
        }
        r.shownOptions.addAll(shown.values());
    }

    /** The payload part of a rule as written (Judo's extensions to pf), for the listing. */
    private static String judoExtensions(Statement s) {
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
        if (s.peek().is("{")) {
            s.skipGroup();
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
        if (s.peek().is("{") || s.peek().is("(")) {
            s.skipGroup();
        } else if (s.peek().is("<")) {
            s.next();
            s.word("a table name");
            s.expect(">");
        } else {
            s.word("a gateway address or interface");
        }
        poolOptions(s);
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
            List<io.judo.vm.pool.CidrSet.Entry> usable = term.negated() ? List.of()
                    : term.set().entries().stream().filter(e -> !e.negated()).toList();
            if (!usable.isEmpty()) {
                if (usable.size() > 1 || shown.size() > 1) {
                    warn(s, at, at.text() + ": a pool of several addresses; Judo translates to the first");
                }
                return Addresses.format(usable.get(0).address());
            }
        }
        warn(s, at, at.text() + ": the pool has no address here, so nothing is translated");
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
        shown.put(t.is("rdr-to") ? 201 : 200, " " + s.joined(from));
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

    /**
     * What a state's option list said: its text as written, the limits Judo enforces (null when it names none), and
     * the options Judo reads but does not act on.
     */
    record StateOptions(String text, JudoRule.StateLimits limits, List<String> ignored) {
        /** The warning's words for the ignored options. */
        String notActedOn() {
            return String.join(", ", ignored) + ": Judo does not act on them (a Judo state lasts as long as its "
                    + "flow, on every interface, without pfsync, pflow or pf's sequence windows)";
        }
    }

    /**
     * {@code ( max N, max-src-conn N, max-src-conn-rate N/S, overload <T> [flush [global]], ... )}.
     *
     * @param overloadTable registers a table an {@code overload} names and gives its runtime id (null: the
     *     options are only checked, as {@code set state-defaults}' are)
     */
    static StateOptions stateOptions(Statement s, boolean parens, ToIntFunction<Token> overloadTable) {
        int from = s.pos;
        if (parens) {
            s.expect("(");
        }
        int max = 0;
        int srcNodes = 0;
        int srcStates = 0;
        int srcConn = 0;
        int rateConns = 0;
        int rateSeconds = 0;
        int overload = 0;
        int flush = 0;
        boolean global = false;
        List<String> ignored = new ArrayList<>();
        while (!s.atEnd() && !s.peek().is(")")) {
            Token o = s.word("a state option");
            switch (o.text()) {
                case "max" -> max = (int) s.number(o.text(), 0, Integer.MAX_VALUE);
                case "max-src-nodes" -> srcNodes = (int) s.number(o.text(), 0, Integer.MAX_VALUE);
                case "max-src-states" -> srcStates = (int) s.number(o.text(), 0, Integer.MAX_VALUE);
                case "max-src-conn" -> srcConn = (int) s.number(o.text(), 0, Integer.MAX_VALUE);
                case "max-src-conn-rate" -> {
                    Token v = s.word("a rate such as 15/5");
                    String[] parts = v.text().split("/", -1);
                    if (parts.length != 2 || !parts[0].matches("[0-9]{1,9}") || !parts[1].matches("[0-9]{1,9}")
                            || Integer.parseInt(parts[1]) == 0) {
                        throw s.error(v, "max-src-conn-rate is CONNECTIONS/SECONDS, SECONDS above 0, such as 15/5");
                    }
                    rateConns = Integer.parseInt(parts[0]);
                    rateSeconds = Integer.parseInt(parts[1]);
                }
                case "overload" -> {
                    s.expect("<");
                    Token name = s.word("a table name");
                    s.expect(">");
                    overload = overloadTable == null ? 0 : overloadTable.applyAsInt(name);
                    if (s.accept("flush")) {
                        flush = s.accept("global") ? 2 : 1;
                    }
                }
                case "source-track" -> {
                    if (s.accept("global")) {
                        global = true;
                    } else {
                        s.accept("rule");
                    }
                }
                case "if-bound", "floating", "sloppy", "no-sync", "pflow" -> ignored.add(o.text());
                default -> {
                    if (!o.text().matches("(tcp|udp|icmp|other)\\.[a-z]+|frag|interval|src\\.track|adaptive\\."
                            + "(start|end)")) {
                        throw s.error(o, "unknown state option '" + o.text() + "'");
                    }
                    s.number("a timeout", 0, Integer.MAX_VALUE);
                    ignored.add(o.text());
                }
            }
            s.comma();
        }
        if (parens) {
            s.expect(")");
        }
        JudoRule.StateLimits limits = new JudoRule.StateLimits(max, srcNodes, srcStates, srcConn, rateConns,
                rateSeconds, overload, flush, global);
        boolean limited = max > 0 || limits.perSource();
        return new StateOptions(s.joined(from), limited ? limits : null, List.copyOf(ignored));
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
        return namedNumber(s, t, names, 255, "bad ICMP type or code '" + t.text() + "' (a number from 0 to 255 or a "
                + "name such as echoreq or port-unr)");
    }

    /** A name from {@code names}, or a number from 0 to {@code max}; anything else is {@code error}. */
    private static int namedNumber(Statement s, Token t, Map<String, Integer> names, int max, String error) {
        Integer v = names.get(t.text());
        if (v != null) {
            return v;
        }
        try {
            int n = Integer.parseInt(t.text());
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw s.error(t, error);
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
            Token hiToken = s.word("a port");
            int hi = port(s, hiToken);
            if (hi < p) {
                throw s.error(hiToken, "empty port range " + p + " " + op + " " + hi + " (the first port is the "
                        + "lower)");
            }
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
        return namedNumber(s, t, SERVICES, 65535, "bad port '" + t.text() + "'");
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
