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
    /** pf's reserved words, which cannot name a macro. */
    private static final Set<String> RESERVED = Set.of("pass", "block", "match", "in", "out", "on", "from", "to",
            "all", "any", "proto", "port", "quick", "log", "inet", "inet6", "table", "set", "queue", "anchor",
            "antispoof", "include", "load", "keep", "state", "flags", "tag", "tagged", "label", "no", "self");
    /** Words that start a statement: seen at the start of a line inside a list, the list was left open. */
    private static final Set<String> STATEMENT_WORDS = Set.of("pass", "block", "match", "table", "set", "queue",
            "anchor", "antispoof", "include", "load");
    /** Nested includes and anchors beyond this are refused (a file that includes itself). */
    static final int MAX_DEPTH = 16;
    /** The largest file {@code include}, {@code load anchor} or a table's {@code file} may name. */
    static final long MAX_FILE = 256L << 20;

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
    private int depth;
    /** Files being read (a file that includes itself is refused), and where each file name given was found. */
    private final java.util.Set<Path> reading = new java.util.HashSet<>();
    private final Map<String, Path> opened = new HashMap<>();
    /** Anchors being flattened: an anchor that calls itself is refused. */
    private final java.util.Set<String> flattening = new java.util.HashSet<>();

    private final OptionParser options;
    private final FilterParser filters;

    private JudoParser(Context context) {
        this.context = context;
        this.addresses = new AddressParser(tables, context.interfaces(), warnings::add);
        this.options = new OptionParser(header, skip, queues, queueIds, warnings::add, addresses::overloadTable);
        this.filters = new FilterParser(addresses, tags, queueIds, warnings::add, options::blockReturn,
                options::stateDefaults);
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
        p.flatten(p.main, List.of(), rules, listing, "");
        return new Result(new JudoPolicy(List.copyOf(p.queues), List.copyOf(p.tags), List.copyOf(rules),
                List.copyOf(p.skip), List.copyOf(listing), List.copyOf(p.addresses.runtimeTables())), p.errors,
                p.warnings);
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
        int braces = 0;
        while (true) {
            Token t = lexer.next();
            if (braces > 0 && t.line() != line && STATEMENT_WORDS.contains(t.text())
                    && t.kind() == Token.Kind.WORD) {
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
            if (t.is("{") && depth == 0 && !out.isEmpty() && out.get(0).is("anchor")) {
                // pf wants a line end after an anchor's opening brace: a brace followed by more is a list
                Token after = lexer.next();
                lexer.unread(after);
                if (after.ends()) {
                    out.add(t);
                    out.add(new Token(Token.Kind.END, "end of line", t.line(), t.column() + 1));
                    return out;
                }
            }
            if (t.is("{") || t.is("(")) {
                if (depth == 0) {
                    opened = t;
                }
                depth++;
                braces += t.is("{") ? 1 : 0;
            } else if ((t.is("}") || t.is(")")) && depth > 0) {
                depth--;
                braces -= t.is("}") && braces > 0 ? 1 : 0;
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
            case "set" -> options.option(s);
            case "queue" -> options.queue(s);
            case "table" -> table(s);
            case "pass", "block", "match" -> into.items.add(filters.rule(s));
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
        Path p = resolve(s, path, path.text(), s.lexer.file());
        List<String> lines;
        regularFile(s, path, p);
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
                    boolean not = word.startsWith("!");
                    entries.add(CidrSet.parse((not ? "!" : "") + AddressParser.shortForm(not ? word.substring(1)
                            : word)));
                } catch (IllegalArgumentException e) {
                    throw new RuleError(path.text(), i + 1, line.indexOf(word) + 1, line, "bad address '" + word
                            + "' in table file");
                }
            }
        }
    }

    /** Files named by a policy must be regular files of a sane size: not a device that never ends. */
    private static void regularFile(Statement s, Token at, Path p) {
        try {
            if (Files.isRegularFile(p) && Files.size(p) > MAX_FILE) {
                throw s.error(at, p + " is larger than " + MAX_FILE / (1 << 20) + " MB");
            }
        } catch (IOException e) {
            throw s.error(at, "cannot read " + p + ": " + e.getClass().getSimpleName());
        }
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            throw s.error(at, p + " is not a regular file");
        }
    }

    /** A path as written if it exists (as pfctl opens it), else beside the file that names it, else the context's. */
    private Path resolve(Statement s, Token at, String path, String from) {
        Path p;
        try {
            p = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw s.error(at, "bad file name: " + e.getReason());
        }
        if (Files.exists(p) || p.isAbsolute()) {
            return p;
        }
        Path fromPath = opened.get(from);
        Path parent = fromPath != null ? fromPath.getParent() : Path.of(from).getParent();
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
        Path p = resolve(s, path, path.text(), s.lexer.file());
        String text;
        regularFile(s, path, p);
        try {
            text = io.judo.rules.TextFiles.readRules(p);
        } catch (IOException e) {
            throw s.error(path, "cannot read " + p + ": " + e.getClass().getSimpleName());
        }
        Path real = p.toAbsolutePath().normalize();
        if (reading.contains(real)) {
            throw s.error(path, p + " includes itself (through the files it includes)");
        }
        opened.put(path.text(), real);
        reading.add(real);
        depth++;
        try {
            block(new JudoLexer(path.text(), text, macros), into, null);
        } finally {
            depth--;
            reading.remove(real);
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
        filters.filter(s, filter, true);
        if (!filter.chain.isEmpty() || filter.tag != null || filter.state > 0 || filter.natTo != null
                || filter.rdrTo != null || filter.queue >= 0 || filter.prio >= 0 || filter.tos >= 0) {
            throw s.error(at, "an anchor takes filter parameters only: put actions, state and payload conditions "
                    + "on its rules");
        }
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
        return Set.of("in", "out", "on", "inet", "inet6", "proto", "from", "to", "all", "log", "quick", "tagged",
                "flags", "tos", "prio", "icmp-type", "icmp6-type", "user", "group", "label", "probability", "!")
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
        List<String> names = s.words("an interface name");
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
            String indent) {
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
            Anchor loop = targets.stream().filter(t -> flattening.contains(t.name)).findFirst().orElse(null);
            if (loop != null) {
                errors.add(c.at().error(c.at().tokens.get(0), "anchor \"" + loop.name + "\" calls itself"));
                continue;
            }
            listing.add(indent + "@" + number++ + " anchor" + shownName + filterText + (targets.isEmpty() ? ""
                    : " {"));
            List<RuleSpec> inner = new ArrayList<>(filters);
            inner.add(c.filter());
            for (Anchor t : targets) {
                flattening.add(t.name);
                flatten(t, inner, rules, listing, indent + "  ");
                flattening.remove(t.name);
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
        if (!filter.icmpTypes.isEmpty()) {
            if (!m.icmpTypes.isEmpty()) {
                throw new RuleError(rule.file, rule.line, 1, rule.text, "this rule and its anchor both test "
                        + "icmp-type: not supported yet");
            }
            m.icmpTypes = filter.icmpTypes;
        }
        m.tosMatch = mergeNumber(filter.tosMatch, m.tosMatch, rule, "tos");
        m.prioMatch = mergeNumber(filter.prioMatch, m.prioMatch, rule, "prio");
        if (filter.tagged != null && filter.tagged.equals(rule.tagged) && filter.taggedNegated != rule.taggedNegated) {
            m.never = true; // tagged X inside ! tagged X
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

    private static int mergeNumber(int outer, int inner, RuleSpec rule, String what) {
        if (outer < 0) {
            return inner;
        }
        if (inner >= 0 && inner != outer) {
            throw new RuleError(rule.file, rule.line, 1, rule.text, "this rule and its anchor both test " + what
                    + " with different values: not supported yet");
        }
        return outer;
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
}
