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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a judo-language file. Every problem is a {@link RuleError} at its line and column; parsing stops at the
 * first one of each line and goes on with the next line, so one run reports every bad line.
 */
public final class JudoParser {
    private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "icmp", 1, "icmp6", 58,
            "ipv6-icmp", 58, "gre", 47, "esp", 50, "ah", 51);
    private static final Map<String, Integer> SERVICES = Map.ofEntries(Map.entry("ftp", 21), Map.entry("ssh", 22),
            Map.entry("telnet", 23), Map.entry("smtp", 25), Map.entry("domain", 53), Map.entry("http", 80),
            Map.entry("www", 80), Map.entry("pop3", 110), Map.entry("imap", 143), Map.entry("https", 443),
            Map.entry("ntp", 123), Map.entry("snmp", 161));

    private final String file;
    private final Map<String, CidrSet> tables = new HashMap<>();
    private final Map<String, Integer> queueIds = new LinkedHashMap<>();
    private final List<JudoPolicy.Queue> queues = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();
    private final List<JudoRule> rules = new ArrayList<>();
    private final List<RuleError> errors = new ArrayList<>();

    private JudoParser(String file) {
        this.file = file;
    }

    /** The parse result: the policy of every good line, and the errors of the bad ones. */
    public record Result(JudoPolicy policy, List<RuleError> errors) {
    }

    public static Result parse(String text, String file) {
        JudoParser p = new JudoParser(file);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i;
            StringBuilder line = new StringBuilder(strip(lines[i]));
            while (line.length() > 0 && line.charAt(line.length() - 1) == '\\' && i + 1 < lines.length) {
                line.setLength(line.length() - 1);
                line.append(' ').append(strip(lines[++i]));
            }
            try {
                p.statement(line.toString(), first + 1);
            } catch (RuleError e) {
                p.errors.add(e);
            }
        }
        return new Result(new JudoPolicy(List.copyOf(p.queues), List.copyOf(p.tags), List.copyOf(p.rules)),
                p.errors);
    }

    private static String strip(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** A cursor over one line's tokens. */
    private final class Line {
        final String text;
        final int number;
        final List<Token> tokens;
        int pos;

        Line(String text, int number) {
            this.text = text;
            this.number = number;
            this.tokens = JudoLexer.tokens(file, number, text);
        }

        Token peek() {
            return tokens.get(pos);
        }

        Token next() {
            Token t = tokens.get(pos);
            if (t.kind() != Token.Kind.END) {
                pos++;
            }
            return t;
        }

        boolean accept(String s) {
            if (peek().is(s)) {
                pos++;
                return true;
            }
            return false;
        }

        Token expect(String s) {
            Token t = next();
            if (!t.is(s)) {
                throw error(t, "expected '" + s + "', found " + describe(t));
            }
            return t;
        }

        Token word(String what) {
            Token t = next();
            if (t.kind() != Token.Kind.WORD) {
                throw error(t, "expected " + what + ", found " + describe(t));
            }
            return t;
        }

        String string(String what) {
            Token t = next();
            if (t.kind() != Token.Kind.STRING) {
                throw error(t, "expected " + what + " as a quoted string, found " + describe(t));
            }
            return t.text();
        }

        long number(String what, long min, long max) {
            Token t = word(what);
            try {
                long n = Long.parseLong(t.text());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw error(t, what + " must be a number from " + min + " to " + max + ", found '" + t.text() + "'");
        }

        RuleError error(Token t, String message) {
            return new RuleError(file, number, t.column(), text, message);
        }

        String describe(Token t) {
            return t.kind() == Token.Kind.END ? "the end of the line" : t.kind() == Token.Kind.STRING
                    ? "a string" : "'" + t.text() + "'";
        }
    }

    private void statement(String text, int number) {
        Line l = new Line(text, number);
        Token first = l.peek();
        if (first.kind() == Token.Kind.END) {
            return;
        }
        switch (first.text()) {
            case "queue" -> queue(l);
            case "table" -> table(l);
            case "pass", "block", "match" -> rule(l);
            default -> throw l.error(first, "expected queue, table, pass, block or match, found " + l.describe(first));
        }
        if (l.peek().kind() != Token.Kind.END) {
            throw l.error(l.peek(), "unexpected " + l.describe(l.peek()));
        }
    }

    private void queue(Line l) {
        l.next();
        Token name = l.word("a queue name");
        if (queueIds.containsKey(name.text())) {
            throw l.error(name, "queue '" + name.text() + "' declared twice");
        }
        long rate = -1;
        int prio = 1;
        while (l.peek().kind() != Token.Kind.END) {
            Token t = l.word("rate or prio");
            if (t.text().equals("rate") || t.text().equals("bandwidth")) {
                rate = bandwidth(l);
            } else if (t.text().equals("prio")) {
                prio = (int) l.number("prio", 0, 7);
            } else {
                throw l.error(t, "expected rate or prio, found '" + t.text() + "'");
            }
        }
        if (rate < 0) {
            throw l.error(name, "queue '" + name.text() + "' needs a rate");
        }
        queues.add(new JudoPolicy.Queue(name.text(), rate, prio));
        queueIds.put(name.text(), queues.size() - 1);
    }

    /** {@code 100M}, {@code 10K}, {@code 1G}, {@code 500} (bits per second; {@code b} suffix allowed). */
    private static long bandwidth(Line l) {
        Token t = l.word("a rate such as 100M");
        String s = t.text().toUpperCase(Locale.ROOT);
        if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        long unit = 1;
        if (!s.isEmpty() && "KMG".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = switch (s.charAt(s.length() - 1)) {
                case 'K' -> 1_000L;
                case 'M' -> 1_000_000L;
                default -> 1_000_000_000L;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s);
            if (n > 0) {
                return n * unit;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw l.error(t, "bad rate '" + t.text() + "' (a number with K, M or G)");
    }

    private void table(Line l) {
        l.next();
        l.expect("<");
        Token name = l.word("a table name");
        l.expect(">");
        while (l.peek().is("const") || l.peek().is("persist") || l.peek().is("counters")) {
            l.next();
        }
        if (tables.containsKey(name.text())) {
            throw l.error(name, "table <" + name.text() + "> declared twice");
        }
        if (l.peek().is("file")) {
            throw l.error(l.peek(), "tables from files are not supported; list the addresses in { }");
        }
        l.expect("{");
        List<CidrSet.Entry> entries = new ArrayList<>();
        while (!l.peek().is("}")) {
            boolean negated = l.accept("!");
            Token a = l.word("an address");
            entries.add(entry(l, a, negated));
            l.accept(",");
        }
        l.expect("}");
        tables.put(name.text(), CidrSet.of(entries));
    }

    private CidrSet.Entry entry(Line l, Token a, boolean negated) {
        try {
            Addresses.Prefix p = Addresses.parsePrefix(a.text());
            return new CidrSet.Entry(p.address(), p.bits(), negated);
        } catch (IllegalArgumentException e) {
            throw l.error(a, "bad address '" + a.text() + "'");
        }
    }

    private void rule(Line l) {
        Token actionToken = l.next();
        Action action = switch (actionToken.text()) {
            case "pass" -> Action.PASS;
            case "block" -> Action.BLOCK;
            default -> Action.MATCH;
        };
        boolean blockReturn = false;
        if (action == Action.BLOCK) {
            if (l.accept("return")) {
                blockReturn = true;
            } else {
                l.accept("drop");
            }
        }
        int direction = 0;
        boolean log = false;
        boolean quick = false;
        String iface = null;
        int family = 0;
        while (true) {
            if (l.accept("in")) {
                direction = 1;
            } else if (l.accept("out")) {
                direction = 2;
            } else if (l.accept("log")) {
                log = true;
            } else if (l.accept("quick")) {
                quick = true;
            } else if (l.accept("on")) {
                iface = l.word("an interface name").text();
            } else if (l.accept("inet")) {
                family = 4;
            } else if (l.accept("inet6")) {
                family = 6;
            } else {
                break;
            }
        }
        if (quick && action == Action.MATCH) {
            throw l.error(actionToken, "match rules decide nothing, so 'quick' has no meaning on them");
        }
        List<Integer> protocols = null;
        if (l.accept("proto")) {
            protocols = protocols(l);
        }
        CidrSet from = null;
        boolean fromNegated = false;
        IntRangeSet fromPorts = null;
        CidrSet to = null;
        boolean toNegated = false;
        IntRangeSet toPorts = null;
        if (l.accept("all")) {
            // from any to any
        } else {
            if (l.accept("from")) {
                fromNegated = l.accept("!");
                from = host(l);
                if (l.accept("port")) {
                    fromPorts = ports(l, protocols);
                }
            }
            if (l.accept("to")) {
                toNegated = l.accept("!");
                to = host(l);
                if (l.accept("port")) {
                    toPorts = ports(l, protocols);
                }
            }
        }
        int flags = -1;
        int flagsMask = 0;
        String tag = null;
        String tagged = null;
        boolean taggedNegated = false;
        int queue = -1;
        int prio = -1;
        int tos = -1;
        int ttl = -1;
        Remap natTo = null;
        Remap rdrTo = null;
        List<Inspect> chain = new ArrayList<>();
        Boolean stream = null;
        byte[] replaceWith = null;
        while (l.peek().kind() != Token.Kind.END) {
            Token t = l.next();
            switch (t.text()) {
                case "flags" -> {
                    if (l.accept("any")) {
                        break;
                    }
                    Token f = l.word("flags such as S/SA");
                    String[] parts = f.text().split("/", -1);
                    flags = flagBits(l, f, parts[0]);
                    flagsMask = parts.length > 1 ? flagBits(l, f, parts[1]) : 0xff;
                    if ((flags & ~flagsMask) != 0) {
                        throw l.error(f, "flags " + parts[0] + " are not all inside the mask " + parts[1]);
                    }
                }
                case "tag" -> tag = tagName(l);
                case "!" -> {
                    l.expect("tagged");
                    tagged = tagName(l);
                    taggedNegated = true;
                }
                case "tagged" -> tagged = tagName(l);
                case "set" -> {
                    Token what = l.word("queue, prio, tos or ttl");
                    switch (what.text()) {
                        case "queue" -> {
                            Token q = l.word("a queue name");
                            Integer id = queueIds.get(q.text());
                            if (id == null) {
                                throw l.error(q, "queue '" + q.text() + "' is not declared (queue NAME rate R prio P)");
                            }
                            queue = id;
                        }
                        case "prio" -> prio = (int) l.number("prio", 0, 7);
                        case "tos" -> tos = (int) l.number("tos", 0, 255);
                        case "ttl" -> ttl = (int) l.number("ttl", 1, 255);
                        default -> throw l.error(what, "expected queue, prio, tos or ttl after set");
                    }
                }
                case "nat-to", "rdr-to" -> {
                    Token a = l.word("an address");
                    entry(l, a, false);
                    int port = -1;
                    if (l.accept("port")) {
                        port = (int) l.number("port", 0, 65535);
                    }
                    if (t.text().equals("nat-to")) {
                        natTo = new Remap(a.text(), port);
                    } else {
                        rdrTo = new Remap(a.text(), port);
                    }
                }
                case "content" -> chain.add(content(l.string("the content").getBytes(StandardCharsets.ISO_8859_1),
                        false));
                case "regex" -> chain.add(regex(l, l.peek()));
                case "nocase", "offset", "depth" -> modify(l, t, chain);
                case "stream" -> stream = true;
                case "packet" -> stream = false;
                case "replace" -> {
                    byte[] old = l.string("the text to replace").getBytes(StandardCharsets.ISO_8859_1);
                    l.expect("with");
                    replaceWith = l.string("the replacement").getBytes(StandardCharsets.ISO_8859_1);
                    if (old.length == 0) {
                        throw l.error(t, "replace needs a non-empty text");
                    }
                    chain.add(content(old, false));
                }
                case "log" -> log = true;
                case "keep", "modulate", "synproxy" -> l.word("state");
                case "no" -> l.expect("state");
                case "label" -> l.string("a label");
                default -> throw l.error(t, "unknown option '" + t.text() + "'");
            }
        }
        if (tag != null && action == Action.BLOCK) {
            throw l.error(actionToken, "a blocked packet goes nowhere: tag it with a match rule");
        }
        boolean tcpOnly = protocols != null && protocols.size() == 1 && protocols.get(0) == 6;
        boolean streamed = stream != null ? stream : tcpOnly;
        if (Boolean.TRUE.equals(stream) && !tcpOnly) {
            throw l.error(actionToken, "stream needs proto tcp");
        }
        rules.add(new JudoRule(file, l.number, l.text, action, quick, blockReturn, direction, log, iface, family,
                protocols, from, fromNegated, fromPorts, to, toNegated, toPorts, flags, flagsMask, tag, tagged,
                taggedNegated, queue, prio, tos, ttl, natTo, rdrTo, List.copyOf(chain), !chain.isEmpty() && streamed,
                replaceWith));
    }

    private String tagName(Line l) {
        String name = l.word("a tag name").text();
        if (!tags.contains(name)) {
            tags.add(name);
        }
        return name;
    }

    private List<Integer> protocols(Line l) {
        List<Integer> out = new ArrayList<>();
        boolean list = l.accept("{");
        do {
            Token t = l.word("a protocol");
            Integer p = PROTOCOLS.get(t.text());
            if (p == null) {
                try {
                    p = Integer.parseInt(t.text());
                } catch (NumberFormatException e) {
                    throw l.error(t, "unknown protocol '" + t.text() + "' (tcp, udp, icmp, icmp6, or a number)");
                }
                if (p < 0 || p > 255) {
                    throw l.error(t, "protocol numbers go from 0 to 255");
                }
            }
            out.add(p);
            l.accept(",");
        } while (list && !l.peek().is("}") && l.peek().kind() != Token.Kind.END);
        if (list) {
            l.expect("}");
        }
        return List.copyOf(out);
    }

    /** {@code any}, an address or prefix, {@code <table>}, or a {@code { list }} with {@code !} exclusions. */
    private CidrSet host(Line l) {
        if (l.accept("any")) {
            return null;
        }
        if (l.accept("<")) {
            Token name = l.word("a table name");
            l.expect(">");
            CidrSet t = tables.get(name.text());
            if (t == null) {
                throw l.error(name, "table <" + name.text() + "> is not declared (table <NAME> { ... })");
            }
            return t;
        }
        if (l.accept("{")) {
            List<CidrSet.Entry> entries = new ArrayList<>();
            while (!l.peek().is("}")) {
                boolean negated = l.accept("!");
                entries.add(entry(l, l.word("an address"), negated));
                l.accept(",");
            }
            l.expect("}");
            return CidrSet.of(entries);
        }
        Token a = l.word("an address, <table>, { list } or any");
        return CidrSet.of(List.of(entry(l, a, false)));
    }

    /** pf's port forms: {@code N}, {@code = N}, {@code != N}, {@code < N}, {@code <= N}, {@code > N}, {@code >= N},
     *  {@code A:B} (inclusive), {@code A >< B} (between), {@code A <> B} (outside), service names, {@code { list }}. */
    private IntRangeSet ports(Line l, List<Integer> protocols) {
        if (protocols == null || protocols.stream().anyMatch(p -> p != 6 && p != 17)) {
            throw l.error(l.tokens.get(l.pos - 1), "ports need proto tcp or udp");
        }
        BitSet set = new BitSet(65536);
        if (l.accept("{")) {
            while (!l.peek().is("}")) {
                set.or(portItem(l));
                l.accept(",");
            }
            l.expect("}");
        } else {
            set = portItem(l);
        }
        List<long[]> ranges = new ArrayList<>();
        for (int i = set.nextSetBit(0); i >= 0; ) {
            int end = set.nextClearBit(i);
            ranges.add(new long[] {i, end - 1});
            i = end < 65536 ? set.nextSetBit(end) : -1;
        }
        if (ranges.isEmpty()) {
            throw l.error(l.tokens.get(l.pos - 1), "the port condition selects no port");
        }
        return IntRangeSet.of(ranges);
    }

    private BitSet portItem(Line l) {
        BitSet b = new BitSet(65536);
        Token t = l.peek();
        if (t.kind() == Token.Kind.SYMBOL && !t.is("{") && !t.is("}")) {
            String op = l.next().text();
            int p = port(l, l.word("a port"));
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
                default -> throw l.error(t, "unexpected '" + op + "' before a port");
            }
            return b;
        }
        Token w = l.word("a port");
        int colon = w.text().indexOf(':');
        if (colon > 0) {
            int lo = port(l, new Token(Token.Kind.WORD, w.text().substring(0, colon), w.line(), w.column()));
            int hi = port(l, new Token(Token.Kind.WORD, w.text().substring(colon + 1), w.line(), w.column()));
            if (lo > hi) {
                throw l.error(w, "empty port range " + w.text());
            }
            b.set(lo, hi + 1);
            return b;
        }
        int p = port(l, w);
        if (l.peek().is("><") || l.peek().is("<>")) {
            String op = l.next().text();
            int hi = port(l, l.word("a port"));
            if (op.equals("><")) {
                if (hi > p + 1) {
                    b.set(p + 1, hi);
                }
            } else {
                b.set(0, 65536);
                b.clear(p, hi + 1);
            }
            return b;
        }
        b.set(p);
        return b;
    }

    private int port(Line l, Token t) {
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
        throw l.error(t, "bad port '" + t.text() + "'");
    }

    private int flagBits(Line l, Token at, String letters) {
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
                default -> throw l.error(at, "unknown TCP flag '" + c + "' (F S R P A U E W)");
            };
        }
        return bits;
    }

    private static Content content(byte[] bytes, boolean nocase) {
        return new Content(bytes, false, nocase, Inspect.UNSET, Inspect.UNSET, Inspect.UNSET,
                Inspect.UNSET, false, false, false, null, null);
    }

    private Pcre regex(Line l, Token at) {
        String text = l.string("a regex such as \"/re/i\"");
        int close = text.lastIndexOf('/');
        if (!text.startsWith("/") || close <= 0) {
            throw l.error(at, "regex must look like \"/re/flags\"");
        }
        String expression = text.substring(1, close);
        String flags = text.substring(close + 1);
        for (char f : flags.toCharArray()) {
            if ("ismx".indexOf(f) < 0) {
                throw l.error(at, "unknown regex flag '" + f + "' (i s m x)");
            }
        }
        try {
            BoundedRegex re = BoundedRegex.compile(expression, flags.contains("i"), flags.contains("s"),
                    flags.contains("m"), flags.contains("x"));
            return new Pcre(expression, flags, re, false, false);
        } catch (MatcherException e) {
            throw l.error(at, "regex: " + e.detail());
        }
    }

    /** {@code offset N}, {@code depth N}, {@code nocase} on the last content (offset/depth also on a regex). */
    private void modify(Line l, Token t, List<Inspect> chain) {
        if (chain.isEmpty()) {
            throw l.error(t, "'" + t.text() + "' needs a content or regex before it");
        }
        Inspect last = chain.get(chain.size() - 1);
        if (!(last instanceof Content c)) {
            throw l.error(t, "'" + t.text() + "' applies to a content (a regex takes its flags: /re/i)");
        }
        Content n = switch (t.text()) {
            case "nocase" -> new Content(c.bytes(), false, true, c.offset(), c.depth(), c.distance(), c.within(),
                    false, false, false, null, null);
            case "offset" -> new Content(c.bytes(), false, c.nocase(), (int) l.number("offset", 0, 1 << 30),
                    c.depth(), c.distance(), c.within(), false, false, false, null, null);
            default -> {
                int d = (int) l.number("depth", 1, 1 << 30);
                if (d < c.bytes().length) {
                    throw l.error(t, "depth " + d + " is shorter than the content (" + c.bytes().length + " bytes)");
                }
                yield new Content(c.bytes(), false, c.nocase(), c.offset(), d, c.distance(), c.within(), false,
                        false, false, null, null);
            }
        };
        chain.set(chain.size() - 1, n);
    }
}
