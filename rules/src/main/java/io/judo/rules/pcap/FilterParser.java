package io.judo.rules.pcap;

import io.judo.packet.Addresses;
import io.judo.rules.SyntaxError;
import io.judo.rules.pcap.FilterAst.And;
import io.judo.rules.pcap.FilterAst.Arith;
import io.judo.rules.pcap.FilterAst.Bin;
import io.judo.rules.pcap.FilterAst.Broadcast;
import io.judo.rules.pcap.FilterAst.Dir;
import io.judo.rules.pcap.FilterAst.EtherHost;
import io.judo.rules.pcap.FilterAst.EtherProto;
import io.judo.rules.pcap.FilterAst.Expr;
import io.judo.rules.pcap.FilterAst.Host;
import io.judo.rules.pcap.FilterAst.IpProto;
import io.judo.rules.pcap.FilterAst.Len;
import io.judo.rules.pcap.FilterAst.Length;
import io.judo.rules.pcap.FilterAst.Load;
import io.judo.rules.pcap.FilterAst.Multicast;
import io.judo.rules.pcap.FilterAst.Neg;
import io.judo.rules.pcap.FilterAst.Net;
import io.judo.rules.pcap.FilterAst.Not;
import io.judo.rules.pcap.FilterAst.Num;
import io.judo.rules.pcap.FilterAst.Or;
import io.judo.rules.pcap.FilterAst.Port;
import io.judo.rules.pcap.FilterAst.Proto;
import io.judo.rules.pcap.FilterAst.Relation;
import io.judo.rules.pcap.FilterAst.True;
import io.judo.rules.pcap.FilterAst.Vlan;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for pcap-filter(7) expressions. Like libpcap, a bare value after {@code and}/{@code or}
 * inherits the previous primitive's qualifiers ({@code port 80 or 443}, {@code host a or b}). A relation and a
 * parenthesised expression both may start with {@code (}; the relation is tried first and the parser backtracks.
 */
final class FilterParser {
    private static final Set<String> PROTOS = Set.of("ether", "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp",
            "icmp6");
    private static final Set<String> LOADABLE = Set.of("ether", "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp",
            "icmp", "icmp6");
    private static final Set<String> RELOPS = Set.of(">", "<", ">=", "<=", "=", "==", "!=");
    private static final Set<String> UNSUPPORTED = Set.of("gateway", "decnet", "iso", "atalk", "aarp", "ipx", "netbeui",
            "lat", "moprc", "mopdl", "stp", "clnp", "esis", "isis", "wlan", "type", "subtype", "dir", "ifname", "on",
            "rnr", "rulenum", "reason", "rset", "srnr", "subrulenum", "action", "mpls", "pppoed", "pppoes", "geneve",
            "llc", "fddi", "tr", "radio", "inbound", "outbound", "atm", "protochain", "ah", "esp", "pim", "vrrp",
            "carp", "igmp", "igrp");
    static final Map<String, Long> CONSTANTS = Map.ofEntries(
            Map.entry("tcpflags", 13L), Map.entry("tcp-fin", 0x01L), Map.entry("tcp-syn", 0x02L),
            Map.entry("tcp-rst", 0x04L), Map.entry("tcp-push", 0x08L), Map.entry("tcp-ack", 0x10L),
            Map.entry("tcp-urg", 0x20L), Map.entry("tcp-ece", 0x40L), Map.entry("tcp-cwr", 0x80L),
            Map.entry("icmptype", 0L), Map.entry("icmpcode", 1L), Map.entry("icmp6type", 0L), Map.entry("icmp6code", 1L),
            Map.entry("icmp-echoreply", 0L), Map.entry("icmp-unreach", 3L), Map.entry("icmp-sourcequench", 4L),
            Map.entry("icmp-redirect", 5L), Map.entry("icmp-echo", 8L), Map.entry("icmp-routeradvert", 9L),
            Map.entry("icmp-routersolicit", 10L), Map.entry("icmp-timxceed", 11L), Map.entry("icmp-paramprob", 12L),
            Map.entry("icmp-tstamp", 13L), Map.entry("icmp-tstampreply", 14L), Map.entry("icmp-ireq", 15L),
            Map.entry("icmp-ireqreply", 16L), Map.entry("icmp-maskreq", 17L), Map.entry("icmp-maskreply", 18L),
            Map.entry("icmp6-destinationunreach", 1L), Map.entry("icmp6-packettoobig", 2L),
            Map.entry("icmp6-timeexceeded", 3L), Map.entry("icmp6-parameterproblem", 4L),
            Map.entry("icmp6-echo", 128L), Map.entry("icmp6-echoreply", 129L),
            Map.entry("icmp6-routersolicit", 133L), Map.entry("icmp6-routeradvert", 134L),
            Map.entry("icmp6-neighborsolicit", 135L), Map.entry("icmp6-neighboradvert", 136L),
            Map.entry("icmp6-redirect", 137L));
    private static final Map<String, Integer> PROTO_NUMBERS = Map.of("icmp", 1, "tcp", 6, "udp", 17, "sctp", 132,
            "icmp6", 58, "igmp", 2);

    private final String text;
    private final List<Token> tokens;
    private int pos;
    /** Qualifiers of the last primitive, inherited by a bare value (libpcap's "implicit qualifiers"). */
    private String lastProto;
    private Dir lastDir;
    private String lastType;

    private FilterParser(String text) {
        this.text = text;
        this.tokens = FilterLexer.lex(text);
    }

    static Expr parse(String text) {
        FilterParser p = new FilterParser(text);
        if (p.tokens.isEmpty()) {
            return new True();
        }
        Expr e = p.or();
        if (p.pos < p.tokens.size()) {
            throw p.error(p.peek(), "unexpected " + p.peek() + " (expected and, or or the end)");
        }
        return e;
    }

    private SyntaxError error(Token t, String message) {
        return new SyntaxError(text, t != null ? t.column() : text.length() + 1, message);
    }

    private Token peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private Token peek(int ahead) {
        return pos + ahead < tokens.size() ? tokens.get(pos + ahead) : null;
    }

    private boolean at(String s) {
        Token t = peek();
        return t != null && t.is(s);
    }

    private Token next() {
        Token t = peek();
        if (t == null) {
            throw error(null, "unexpected end of expression");
        }
        pos++;
        return t;
    }

    private Token expect(String s) {
        Token t = peek();
        if (t == null || !t.is(s)) {
            throw error(t, "expected '" + s + "'" + (t == null ? " at the end" : ", got " + t));
        }
        pos++;
        return t;
    }

    private Expr or() {
        Expr e = and();
        while (at("or") || at("||")) {
            pos++;
            e = new Or(e, and());
        }
        return e;
    }

    private Expr and() {
        Expr e = unary();
        while (at("and") || at("&&")) {
            pos++;
            e = new And(e, unary());
        }
        return e;
    }

    private Expr unary() {
        if (at("not") || at("!")) {
            pos++;
            return new Not(unary());
        }
        return atom();
    }

    private Expr atom() {
        Token t = peek();
        if (t == null) {
            throw error(null, "unexpected end of expression");
        }
        if (startsArith(t)) {
            // Try a relation first. A number or address may also be a bare value inheriting qualifiers
            // ("port 80 or 443") and '(' may open a boolean group, so those fall back to a primitive; tokens that
            // can only begin arithmetic (-, len, a named constant, proto[) commit, so their errors stand.
            Token after = peek(1);
            boolean onlyArithmetic = t.is("-") || t.is("len") || CONSTANTS.containsKey(t.text())
                    || (LOADABLE.contains(t.text()) && after != null && after.is("["));
            int save = pos;
            Arith left = null;
            try {
                left = arith();
            } catch (SyntaxError e) {
                if (onlyArithmetic) {
                    throw e;
                }
            }
            Token op = peek();
            if (left != null && op != null && RELOPS.contains(op.text())) {
                pos++;
                return new Relation(left, op.text(), arith(), t.column());
            }
            if (onlyArithmetic) {
                throw error(op, "expected a comparison (=, !=, <, <=, >, >=) after the arithmetic");
            }
            pos = save;
        }
        if (t.is("(")) {
            pos++;
            Expr e = or();
            expect(")");
            return e;
        }
        return primitive();
    }

    private boolean startsArith(Token t) {
        if (t.is("(") || t.is("-")) {
            return true;
        }
        if (!t.word()) {
            return false;
        }
        if (t.is("len") || CONSTANTS.containsKey(t.text()) || Character.isDigit(t.text().charAt(0))) {
            return true;
        }
        Token n = peek(1);
        return LOADABLE.contains(t.text()) && n != null && n.is("[");
    }

    // ---- arithmetic: | < & < shifts < + - < * / % < unary ----

    private Arith arith() {
        return binary(0);
    }

    private static final String[][] LEVELS = {{"|", "^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};

    private Arith binary(int level) {
        if (level == LEVELS.length) {
            return operand();
        }
        Arith left = binary(level + 1);
        while (true) {
            Token t = peek();
            if (t == null || t.word() || !List.of(LEVELS[level]).contains(t.text())) {
                return left;
            }
            pos++;
            left = new Bin(t.text(), left, binary(level + 1), t.column());
        }
    }

    private Arith operand() {
        Token t = next();
        if (t.is("-")) {
            return new Neg(operand());
        }
        if (t.is("(")) {
            Arith a = arith();
            expect(")");
            return a;
        }
        if (!t.word()) {
            throw error(t, "expected a number, len or proto[offset], got " + t);
        }
        if (t.is("len")) {
            return new Len();
        }
        if (CONSTANTS.containsKey(t.text())) {
            return new Num(CONSTANTS.get(t.text()));
        }
        if (LOADABLE.contains(t.text()) && at("[")) {
            pos++;
            Arith index = arith();
            int size = 1;
            if (at(":")) {
                pos++;
                Token s = next();
                size = (int) number(s);
                if (size != 1 && size != 2 && size != 4) {
                    throw error(s, "data size must be 1, 2 or 4");
                }
            }
            expect("]");
            return new Load(t.text(), index, size, t.column());
        }
        return new Num(number(t));
    }

    private long number(Token t) {
        String s = t.text();
        try {
            long v;
            if (s.startsWith("0x") || s.startsWith("0X")) {
                v = Long.parseLong(s.substring(2), 16);
            } else if (s.length() > 1 && s.startsWith("0")) {
                v = Long.parseLong(s.substring(1), 8);
            } else {
                v = Long.parseLong(s);
            }
            if (v > 0xffffffffL) {
                throw error(t, "number " + s + " does not fit in 32 bits");
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(t, "expected a number, got '" + s + "'");
        }
    }

    // ---- primitives ----

    private Expr primitive() {
        Token first = peek();
        String w = first.text();
        if (!first.word()) {
            throw error(first, "unexpected " + first);
        }
        if (UNSUPPORTED.contains(w)) {
            throw error(first, "'" + w + "' is not supported by judo's filter compiler");
        }
        switch (w) {
            case "less":
            case "greater": {
                pos++;
                return new Length(w.equals("greater"), number(next()));
            }
            case "vlan": {
                pos++;
                Token id = peek();
                if (id != null && id.word() && Character.isDigit(id.text().charAt(0))) {
                    pos++;
                    long v = number(id);
                    if (v > 4095) {
                        throw error(id, "VLAN id " + v + " out of range 0-4095");
                    }
                    return new Vlan((int) v);
                }
                return new Vlan(null);
            }
            case "broadcast":
                pos++;
                return new Broadcast("ether");
            case "multicast":
                pos++;
                return new Multicast("ether");
            default:
                break;
        }
        String proto = null;
        Dir dir = null;
        String type = null;
        Token protoToken = null;
        if (PROTOS.contains(w)) {
            protoToken = next();
            proto = w;
            Token n = peek();
            if (n != null && (n.is("broadcast") || n.is("multicast"))) {
                pos++;
                if (proto.equals("ether")) {
                    return n.is("broadcast") ? new Broadcast("ether") : new Multicast("ether");
                }
                if (n.is("broadcast")) {
                    throw error(n, "'" + proto + " broadcast' needs the network mask, which judo does not know");
                }
                if (!proto.equals("ip") && !proto.equals("ip6")) {
                    throw error(n, "multicast applies to ether, ip or ip6");
                }
                return new Multicast(proto);
            }
            if (n != null && n.is("proto")) {
                pos++;
                return protoNumber(proto, next());
            }
        }
        if (at("src") || at("dst")) {
            dir = next().is("src") ? Dir.SRC : Dir.DST;
            if ((at("or") || at("and")) && peek(1) != null && (peek(1).is("src") || peek(1).is("dst"))) {
                dir = next().is("or") ? Dir.SRC_OR_DST : Dir.SRC_AND_DST;
                pos++;
            }
        }
        if (at("host") || at("net") || at("port") || at("portrange")) {
            type = next().text();
        } else if (at("proto") && proto == null && dir == null) {
            pos++;
            return protoNumber(null, next());
        }
        if (proto != null && dir == null && type == null) {
            Token n = peek();
            boolean valueFollows = n != null && n.word() && !isKeyword(n.text());
            if (!valueFollows) {
                if (proto.equals("ether")) {
                    throw error(protoToken, "'ether' needs host, src, dst, proto, broadcast or multicast");
                }
                return new Proto(proto);
            }
        }
        Token value = peek();
        if (value == null || !value.word() || isKeyword(value.text())) {
            throw error(value, "expected " + (type != null ? "a value after '" + type + "'" : "a host, network or port"));
        }
        if (proto == null && dir == null && type == null) {
            String v = value.text();
            boolean looksLikeValue = Character.isDigit(v.charAt(0)) || v.indexOf(':') >= 0;
            if (!looksLikeValue || (lastType == null && lastDir == null && lastProto == null)) {
                throw error(value, "unknown word '" + value.text() + "'");
            }
            proto = lastProto;
            dir = lastDir;
            type = lastType;
        }
        pos++;
        lastProto = proto;
        lastDir = dir;
        lastType = type;
        return valuePrimitive(proto, dir == null ? Dir.SRC_OR_DST : dir, type, value);
    }

    private static boolean isKeyword(String w) {
        return Set.of("and", "or", "not", "host", "net", "port", "portrange", "src", "dst", "proto", "mask", "less",
                "greater", "vlan", "broadcast", "multicast", "len").contains(w) || PROTOS.contains(w);
    }

    private Expr protoNumber(String family, Token t) {
        String s = t.text().startsWith("\\") ? t.text().substring(1) : t.text();
        Integer known = PROTO_NUMBERS.get(s);
        long n = known != null ? known : number(t);
        if (family != null && family.equals("ether")) {
            if (n > 0xffff) {
                throw error(t, "EtherType " + n + " out of range");
            }
            return new EtherProto((int) n);
        }
        if (n > 255) {
            throw error(t, "protocol number " + n + " out of range 0-255");
        }
        if (family != null && !family.equals("ip") && !family.equals("ip6")) {
            throw error(t, "'" + family + " proto' is not supported; use ip proto, ip6 proto or ether proto");
        }
        return new IpProto(family, (int) n);
    }

    private Expr valuePrimitive(String proto, Dir dir, String type, Token value) {
        String v = value.text();
        if (type == null) {
            type = v.matches("([0-9a-fA-F]{1,2}[:.-]){5}[0-9a-fA-F]{1,2}") && "ether".equals(proto) ? "host"
                    : Character.isDigit(v.charAt(0)) || v.indexOf(':') >= 0 ? (v.indexOf('/') >= 0 ? "net" : "host")
                    : null;
            if (type == null) {
                throw error(value, "unknown word '" + v + "' (host names are not resolved; use an address)");
            }
        }
        switch (type) {
            case "host": {
                if ("ether".equals(proto)) {
                    return new EtherHost(dir, mac(value));
                }
                checkAddressProto(proto, value, "host");
                byte[] a = address(value, v);
                checkFamily(proto, a, value);
                return new Host(proto, dir, a);
            }
            case "net": {
                checkAddressProto(proto, value, "net");
                int slash = v.indexOf('/');
                String addr = slash < 0 ? v : v.substring(0, slash);
                int prefix;
                byte[] a;
                if (at("mask")) {
                    pos++;
                    Token m = next();
                    a = address(value, addr);
                    byte[] mask = address(m, m.text());
                    prefix = prefixOf(mask, m);
                } else if (slash >= 0) {
                    a = address(value, addr);
                    prefix = (int) number(new Token(v.substring(slash + 1), true, value.column() + slash + 1));
                } else {
                    // libpcap: a dotted net with fewer than four parts is a classful network ("net 10" = 10/8).
                    String[] parts = addr.split("\\.");
                    if (addr.indexOf(':') < 0 && parts.length < 4) {
                        StringBuilder sb = new StringBuilder(addr);
                        for (int i = parts.length; i < 4; i++) {
                            sb.append(".0");
                        }
                        a = address(value, sb.toString());
                        prefix = parts.length * 8;
                    } else {
                        a = address(value, addr);
                        prefix = a.length * 8;
                    }
                }
                if (prefix < 0 || prefix > a.length * 8) {
                    throw error(value, "prefix length " + prefix + " out of range");
                }
                checkFamily(proto, a, value);
                return new Net(proto, dir, a, prefix);
            }
            case "port":
            case "portrange": {
                if (proto != null && !Set.of("tcp", "udp", "sctp").contains(proto)) {
                    throw error(value, "'" + proto + " " + type + "' is not valid (tcp, udp or sctp)");
                }
                int dash = v.indexOf('-');
                if (type.equals("portrange") && dash < 0) {
                    throw error(value, "portrange needs LOW-HIGH");
                }
                long lo = port(value, dash < 0 ? v : v.substring(0, dash));
                long hi = dash < 0 ? lo : port(value, v.substring(dash + 1));
                if (type.equals("port") && dash >= 0) {
                    throw error(value, "use portrange for a range of ports");
                }
                return new Port(proto, dir, (int) Math.min(lo, hi), (int) Math.max(lo, hi));
            }
            default:
                throw error(value, "unexpected '" + v + "'");
        }
    }

    private void checkAddressProto(String proto, Token value, String type) {
        if (proto != null && !Set.of("ip", "ip6", "arp", "rarp").contains(proto)) {
            throw error(value, "'" + proto + " " + type + "' is not valid");
        }
    }

    private void checkFamily(String proto, byte[] a, Token value) {
        if (a.length == 16 && proto != null && !proto.equals("ip6")) {
            throw error(value, "an IPv6 address with '" + proto + "'");
        }
        if (a.length == 4 && "ip6".equals(proto)) {
            throw error(value, "an IPv4 address with 'ip6'");
        }
    }

    private long port(Token t, String s) {
        long v = number(new Token(s, true, t.column()));
        if (v > 65535) {
            throw error(t, "port " + v + " out of range");
        }
        return v;
    }

    private byte[] address(Token t, String s) {
        try {
            return Addresses.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(t, e.getMessage());
        }
    }

    private int prefixOf(byte[] mask, Token t) {
        int bits = 0;
        boolean zero = false;
        for (byte b : mask) {
            for (int i = 7; i >= 0; i--) {
                boolean one = (b >> i & 1) == 1;
                if (one && zero) {
                    throw error(t, "non-contiguous netmask");
                }
                if (one) {
                    bits++;
                } else {
                    zero = true;
                }
            }
        }
        return bits;
    }

    private byte[] mac(Token t) {
        String[] parts = t.text().split("[:.-]");
        if (parts.length != 6) {
            throw error(t, "not an Ethernet address: '" + t.text() + "'");
        }
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            try {
                m[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw error(t, "not an Ethernet address: '" + t.text() + "'");
            }
        }
        return m;
    }
}
