package io.judo.rules.pcap;

/** The parsed filter. Boolean nodes, primitives and the arithmetic of relations. */
final class FilterAst {
    private FilterAst() {
    }

    /** Packet direction qualifier. */
    enum Dir { SRC, DST, SRC_OR_DST, SRC_AND_DST }

    sealed interface Expr permits True, And, Or, Not, Host, Net, EtherHost, Port, Proto, IpProto, Length, Vlan,
            EtherProto, Broadcast, Multicast, Relation {
    }

    record True() implements Expr {
    }

    record And(Expr left, Expr right) implements Expr {
    }

    record Or(Expr left, Expr right) implements Expr {
    }

    record Not(Expr expr) implements Expr {
    }

    /** {@code [ip|ip6|arp|rarp] [dir] host ADDR}; proto null means every protocol with that address family. */
    record Host(String proto, Dir dir, byte[] address) implements Expr {
    }

    record Net(String proto, Dir dir, byte[] address, int prefix) implements Expr {
    }

    record EtherHost(Dir dir, byte[] mac) implements Expr {
    }

    /** {@code [tcp|udp|sctp] [dir] port|portrange}; proto null means all three. */
    record Port(String proto, Dir dir, int low, int high) implements Expr {
    }

    /** A bare protocol: ip, ip6, arp, rarp, tcp, udp, sctp, icmp, icmp6. */
    record Proto(String name) implements Expr {
    }

    /** {@code ip proto N}, {@code ip6 proto N} or {@code proto N} (family null: both). */
    record IpProto(String family, int protocol) implements Expr {
    }

    /** {@code less N} (greater false) or {@code greater N}. */
    record Length(boolean greater, long value) implements Expr {
    }

    /** {@code vlan [ID]}; id null for any. */
    record Vlan(Integer id) implements Expr {
    }

    record EtherProto(int type) implements Expr {
    }

    record Broadcast(String proto) implements Expr {
    }

    record Multicast(String proto) implements Expr {
    }

    /** {@code left OP right} over 32-bit unsigned arithmetic. */
    record Relation(Arith left, String op, Arith right, int column) implements Expr {
    }

    sealed interface Arith permits Num, Len, Load, Bin, Neg {
    }

    record Num(long value) implements Arith {
    }

    record Len() implements Arith {
    }

    /** {@code proto[index : size]}. */
    record Load(String proto, Arith index, int size, int column) implements Arith {
    }

    record Bin(String op, Arith left, Arith right, int column) implements Arith {
    }

    record Neg(Arith value) implements Arith {
    }
}
