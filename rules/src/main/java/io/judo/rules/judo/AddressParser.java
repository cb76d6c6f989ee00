package io.judo.rules.judo;

import io.judo.packet.Addresses;
import io.judo.rules.judo.JudoRule.Hosts;
import io.judo.vm.pool.CidrSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * pf's address forms, in rules and in tables: {@code any}, {@code self}, an address or prefix, a range {@code a - b},
 * {@code <table>}, {@code (if)}, {@code if}, {@code if:network}, {@code if:broadcast}, {@code if:peer}, {@code if:0}
 * (with or without parentheses), {@code no-route}, {@code urpf-failed}, {@code !} before any item, and lists
 * {@code { ... }} that may nest and span lines. Interface addresses come from {@link JudoParser.Context}: offline
 * there are no live interfaces, so an interface the context does not know has no address, and a warning says so.
 * Host names are refused (Judo resolves no names at load time).
 */
final class AddressParser {
    /** An interface name: letters and a unit number ({@code em0}, {@code vlan5}, {@code em0.100}). */
    private static final Pattern INTERFACE = Pattern.compile("[a-z][a-z_]*[0-9]+(\\.[0-9]+)?");
    /** Interface groups every OpenBSD system has ({@code egress} holds the interface of the default route). */
    private static final java.util.Set<String> GROUPS = java.util.Set.of("egress", "lo", "all", "enc", "carp",
            "pflog", "pfsync", "tun", "tap", "vlan", "bridge", "wg", "gif", "gre", "pppoe");

    private final Map<String, CidrSet> tables;
    private final Map<String, List<Addresses.Prefix>> interfaces;
    private final Consumer<io.judo.rules.RuleError> warn;

    AddressParser(Map<String, CidrSet> tables, Map<String, List<Addresses.Prefix>> interfaces,
            Consumer<io.judo.rules.RuleError> warn) {
        this.tables = tables;
        this.interfaces = interfaces;
        this.warn = warn;
    }

    /** The address families (bit 1 IPv4, bit 2 IPv6) the last {@link #host} wrote as literals. */
    private int families;

    /** The families of the literal addresses the last {@link #host} read: 4, 6, or 0 for none or both. */
    int family() {
        return families == 1 ? 4 : families == 2 ? 6 : 0;
    }

    private void literal(byte[] address) {
        families |= address.length == 4 ? 1 : 2;
    }

    /** One list item: its entries (a table's may carry {@code !}) and whether {@code !} stood before it. */
    record Item(List<CidrSet.Entry> entries, boolean negated, String shown, String table) {
        Item(List<CidrSet.Entry> entries, boolean negated, String shown) {
            this(entries, negated, shown, null);
        }
    }

    /** The tables an {@code overload} names, in the order first named (their runtime ids are 1-based positions). */
    private final List<String> runtimeTables = new ArrayList<>();

    List<String> runtimeTables() {
        return runtimeTables;
    }

    /**
     * The runtime id of the table {@code overload <name>} puts sources in. A table not declared starts empty, as pf
     * creates the tables rules name.
     */
    int overloadTable(Token name) {
        if (!runtimeTables.contains(name.text())) {
            runtimeTables.add(name.text());
        }
        return runtimeTables.indexOf(name.text()) + 1;
    }

    /**
     * A rule's host: null for {@code any}. {@code shown} receives the printable atoms (one per list item, as pfctl
     * expands them).
     */
    Hosts host(Statement s, List<String> shown) {
        families = 0;
        if (s.peek().is("any")) {
            s.next();
            return null;
        }
        List<Item> items = new ArrayList<>();
        boolean negatedList = false;
        if (s.peek().is("!") && s.peek(1).is("{")) {
            // judo's extension: "! { list }" is the addresses outside the list
            s.next();
            negatedList = true;
        }
        Token at = s.peek();
        if (s.peek().is("{")) {
            list(s, items);
            if (items.isEmpty()) {
                throw s.error(at, "an empty address list (pfctl refuses it too)");
            }
        } else {
            items.add(item(s));
        }
        if (negatedList) {
            List<CidrSet.Entry> all = new ArrayList<>();
            StringBuilder text = new StringBuilder("! {");
            for (Item i : items) {
                if (i.negated()) {
                    throw s.error(s.previous(), "'!' inside a negated list: write the list without it");
                }
                all.addAll(i.entries());
                text.append(' ').append(i.shown());
            }
            shown.add(text.append(" }").toString());
            return new Hosts(List.of(new Hosts.Term(CidrSet.of(all), true, tableNames(items))));
        }
        List<Hosts.Term> terms = new ArrayList<>();
        List<CidrSet.Entry> positive = new ArrayList<>();
        boolean anyPositive = false;
        for (Item i : items) {
            shown.add(i.shown());
            if (i.negated()) {
                if (i.entries().isEmpty()) {
                    return null; // "! (if)" of an interface without addresses: every address
                }
                terms.add(new Hosts.Term(CidrSet.of(i.entries()), true, tableNames(List.of(i))));
            } else {
                anyPositive |= i.shown().startsWith("<");
                positive.addAll(i.entries());
            }
        }
        if (!positive.isEmpty() || anyPositive) {
            List<Item> positives = items.stream().filter(i -> !i.negated()).toList();
            terms.add(0, new Hosts.Term(CidrSet.of(positive), false, tableNames(positives)));
        }
        return new Hosts(List.copyOf(terms));
    }

    /** The tables the items name (their runtime entries, if an overload fills them, belong to the term too). */
    private static List<String> tableNames(List<Item> items) {
        return items.stream().map(Item::table).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** {@code { item [,] item ... }}, lists nesting, newlines allowed. */
    private void list(Statement s, List<Item> items) {
        s.expect("{");
        while (!s.peek().is("}")) {
            if (s.atEnd()) {
                throw s.error(s.peek(), "missing '}' at the end of the address list");
            }
            if (s.peek().is("{")) {
                list(s, items);
            } else {
                items.add(item(s));
            }
            if (s.accept("weight")) {
                s.number("weight", 1, 65535); // a pool member's share: Judo translates to the first member
            }
            s.comma();
        }
        s.expect("}");
    }

    /** One address item, with its own {@code !}. */
    Item item(Statement s) {
        boolean negated = s.accept("!");
        Token t = s.peek();
        String bang = negated ? "! " : "";
        if (t.is("<")) {
            s.next();
            Token name = s.word("a table name");
            s.expect(">");
            CidrSet table = tables.get(name.text());
            if (table == null && runtimeTables.contains(name.text())) {
                table = CidrSet.of(List.of());
            }
            if (table == null) {
                throw s.error(name, "table <" + name.text() + "> is not declared (table <NAME> { ... })");
            }
            return new Item(table.entries(), negated, bang + "<" + name.text() + ">", name.text());
        }
        if (t.is("(")) {
            s.next();
            Token name = s.word("an interface name");
            s.expect(")");
            return new Item(interfaceAddresses(s, name), negated, bang + "(" + name.text() + ")");
        }
        Token w = s.word("an address, <table>, (interface), { list } or any");
        String text = w.text();
        switch (text) {
            case "self" -> {
                List<CidrSet.Entry> all = new ArrayList<>();
                for (List<Addresses.Prefix> ps : interfaces.values()) {
                    for (Addresses.Prefix p : ps) {
                        all.add(new CidrSet.Entry(p.address(), p.address().length * 8, false));
                    }
                }
                if (all.isEmpty()) {
                    warn.accept(s.error(w, "self: no interface addresses are known (give --interface "
                            + "NAME=ADDR/N), so self is no address"));
                }
                return new Item(all, negated, bang + "self");
            }
            case "no-route", "urpf-failed" -> {
                warn.accept(s.error(w, text + ": Judo has no routing table, so " + text + " matches no address"));
                return new Item(List.of(), negated, bang + text);
            }
            case "any" -> throw s.error(w, "'any' cannot be one item of a list: use any alone");
            case "route" -> throw s.error(w, "route labels need a routing table, which Judo does not have");
            default -> {
                // below
            }
        }
        if (s.peek().is("-")) {
            s.next();
            Token hi = s.word("the last address of the range");
            List<CidrSet.Entry> r = range(s, w, hi);
            literal(r.get(0).address());
            return new Item(r, negated, bang + text + " - " + hi.text());
        }
        try {
            Addresses.Prefix p = Addresses.parsePrefix(shortForm(text));
            literal(p.address());
            return new Item(List.of(new CidrSet.Entry(p.address(), p.bits(), false)), negated, bang + text);
        } catch (IllegalArgumentException e) {
            // an interface form, a host name, or garbage
        }
        int colon = text.lastIndexOf(':');
        String name = colon > 0 ? text.substring(0, colon) : text;
        // a bare word is an interface only when it is one here (--interface) or a group every system has; with a
        // modifier (em0:network) the interface-like shape is enough (pf looks it up the same way)
        boolean known = interfaces.containsKey(name) || GROUPS.contains(name)
                || colon > 0 && INTERFACE.matcher(name).matches();
        if (known && (colon < 0 || modifier(text.substring(colon + 1)))) {
            return new Item(interfaceAddresses(s, w), negated, bang + text);
        }
        if (INTERFACE.matcher(text).matches()) {
            throw s.error(w, "'" + text + "' is no address and no interface known here: give --interface " + text
                    + "=ADDR/N if it is an interface (host names are not resolved)");
        }
        if (text.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*") && text.matches(".*[A-Za-z].*")) {
            throw s.error(w, "host names are not resolved: write the address of '" + text + "'");
        }
        throw s.error(w, "bad address '" + text + "'");
    }

    /** pf's short IPv4 prefixes, as inet_net_pton reads them: {@code 10/8} is 10.0.0.0/8, {@code 172.16/12}. */
    static String shortForm(String text) {
        if (!text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){0,2}/[0-9]{1,2}")) {
            return text;
        }
        int slash = text.indexOf('/');
        StringBuilder sb = new StringBuilder(text.substring(0, slash));
        for (int dots = (int) sb.chars().filter(c -> c == '.').count(); dots < 3; dots++) {
            sb.append(".0");
        }
        return sb.append(text.substring(slash)).toString();
    }

    private static boolean modifier(String m) {
        return m.equals("network") || m.equals("broadcast") || m.equals("peer") || m.equals("0");
    }

    /** The addresses an interface form stands for: hosts, networks ({@code :network}), broadcasts, or the first. */
    private List<CidrSet.Entry> interfaceAddresses(Statement s, Token w) {
        String text = w.text();
        int colon = text.lastIndexOf(':');
        String name = colon > 0 && modifier(text.substring(colon + 1)) ? text.substring(0, colon) : text;
        String mod = name.equals(text) ? "" : text.substring(colon + 1);
        List<Addresses.Prefix> ps = interfaces.get(name);
        List<CidrSet.Entry> out = new ArrayList<>();
        if (ps == null || ps.isEmpty()) {
            warn.accept(s.error(w, "interface " + name + " has no address here (give --interface " + name
                    + "=ADDR/N), so " + text + " is no address"));
            return out;
        }
        if (mod.equals("peer")) {
            warn.accept(s.error(w, name + ":peer: a point-to-point peer is not known offline, so it is no address"));
            return out;
        }
        for (Addresses.Prefix p : ps) {
            int full = p.address().length * 8;
            switch (mod) {
                case "network" -> out.add(new CidrSet.Entry(network(p.address(), p.bits()), p.bits(), false));
                case "broadcast" -> {
                    if (full == 32 && p.bits() < 32) {
                        out.add(new CidrSet.Entry(broadcast(p.address(), p.bits()), full, false));
                    }
                }
                default -> out.add(new CidrSet.Entry(p.address(), full, false));
            }
            if (mod.equals("0")) {
                break;
            }
        }
        return out;
    }

    static byte[] network(byte[] a, int bits) {
        byte[] n = a.clone();
        for (int i = 0; i < n.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            n[i] = (byte) (n[i] & (0xff00 >> keep));
        }
        return n;
    }

    private static byte[] broadcast(byte[] a, int bits) {
        byte[] n = a.clone();
        for (int i = 0; i < n.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            n[i] = (byte) (n[i] | (0xff >> keep));
        }
        return n;
    }

    /** {@code a - b}: the smallest list of prefixes covering exactly the addresses from a to b. */
    private static List<CidrSet.Entry> range(Statement s, Token loToken, Token hiToken) {
        byte[] lo;
        byte[] hi;
        try {
            lo = Addresses.parse(loToken.text());
        } catch (IllegalArgumentException e) {
            throw s.error(loToken, "bad address '" + loToken.text() + "'");
        }
        try {
            hi = Addresses.parse(hiToken.text());
        } catch (IllegalArgumentException e) {
            throw s.error(hiToken, "bad address '" + hiToken.text() + "'");
        }
        if (lo.length != hi.length) {
            throw s.error(hiToken, "a range's two addresses must be of one family");
        }
        BigInteger a = new BigInteger(1, lo);
        BigInteger b = new BigInteger(1, hi);
        if (a.compareTo(b) > 0) {
            throw s.error(hiToken, "empty range: " + loToken.text() + " is above " + hiToken.text());
        }
        int width = lo.length * 8;
        List<CidrSet.Entry> out = new ArrayList<>();
        while (a.compareTo(b) <= 0) {
            int size = a.signum() == 0 ? width : a.getLowestSetBit();
            while (size > 0 && a.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(b) > 0) {
                size--;
            }
            out.add(new CidrSet.Entry(bytes(a, lo.length), width - size, false));
            a = a.add(BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    private static byte[] bytes(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(length, raw.length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }
}
