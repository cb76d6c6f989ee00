package io.judo.rules.pcap;

import io.judo.packet.decode.LinkType;
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
import io.judo.vm.AluOp;
import io.judo.vm.Base;
import io.judo.vm.JumpOp;
import io.judo.vm.MetaField;
import io.judo.vm.Program;
import io.judo.vm.Verdict;
import io.judo.vm.asm.Label;
import io.judo.vm.asm.ProgramBuilder;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Compiles a pcap-filter expression for one link type into a program that returns {@code pass} for the packets
 * tcpdump would select and {@code drop} for the others. The program runs on the raw frame ({@code pkt} base only),
 * so it needs no decoding and behaves exactly like libpcap's code, including its quirks:
 * <ul>
 *   <li>protocols are recognised by the EtherType at the link header's fixed offset, so {@code ip} does not match a
 *       VLAN-tagged frame unless {@code vlan} came first; each {@code vlan} moves every later offset by 4;</li>
 *   <li>IPv4 ports and {@code tcp[]}/{@code udp[]}/{@code icmp[]} need a zero fragment offset; IPv6 protocols are
 *       found in the next-header field or behind one fragment header, IPv6 ports only directly after the fixed
 *       header;</li>
 *   <li>{@code host} and {@code net} with an IPv4 address also match ARP and RARP addresses;</li>
 *   <li>arithmetic is 32-bit unsigned; an out-of-bounds load or a division by zero rejects the packet, whatever the
 *       rest of the expression says.</li>
 * </ul>
 */
public final class FilterCompiler {
    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86dd;
    private static final int ARP = 0x0806;
    private static final int RARP = 0x8035;
    private static final int MAX_REGISTER = 14;

    private final String text;
    private final int linkType;
    private final ProgramBuilder b = new ProgramBuilder();
    /** Offset of the EtherType field, or -1 for raw IP links (the version nibble tells the family). */
    private int etherTypeOffset;
    /** Offset of the network header. */
    private int l3;
    private Label reject;

    private FilterCompiler(String text, int linkType) {
        this.text = text;
        this.linkType = linkType;
        switch (linkType) {
            case LinkType.ETHERNET: etherTypeOffset = 12; l3 = 14; break;
            case LinkType.LINUX_SLL: etherTypeOffset = 14; l3 = 16; break;
            case LinkType.LINUX_SLL2: etherTypeOffset = 0; l3 = 20; break;
            case LinkType.RAW: case LinkType.RAW_ALIAS_12: case LinkType.RAW_ALIAS_14: case LinkType.IPV4:
            case LinkType.IPV6:
                etherTypeOffset = -1;
                l3 = 0;
                break;
            default:
                throw new SyntaxError(text, 1, "link type " + LinkType.name(linkType) + " (" + linkType
                        + ") is not supported by filter (Ethernet, Linux cooked v1/v2 and raw IP are)");
        }
    }

    /**
     * Compiles {@code expression} for frames of {@code linkType}.
     *
     * @throws SyntaxError with the column of the problem
     */
    public static Program compile(String expression, int linkType) {
        FilterCompiler c = new FilterCompiler(expression, linkType);
        return c.program(FilterParser.parse(expression));
    }

    private Program program(Expr e) {
        if (e instanceof True) {
            return b.ret(Verdict.PASS, 1).build();
        }
        Label accept = b.newLabel("accept");
        reject = b.newLabel("reject");
        b.beginRule(1);
        expr(e, accept, reject);
        b.bind(accept).ret(Verdict.PASS, 1);
        b.endRule();
        b.bind(reject).ret(Verdict.DROP, 0);
        return b.build();
    }

    private SyntaxError unsupported(String what) {
        return new SyntaxError(text, 1, what + " does not apply to link type " + LinkType.name(linkType));
    }

    private void expr(Expr e, Label t, Label f) {
        if (e instanceof And a) {
            Label mid = b.newLabel();
            expr(a.left(), mid, f);
            b.bind(mid);
            expr(a.right(), t, f);
        } else if (e instanceof Or o) {
            Label mid = b.newLabel();
            expr(o.left(), t, mid);
            b.bind(mid);
            expr(o.right(), t, f);
        } else if (e instanceof Not n) {
            expr(n.expr(), f, t);
        } else if (e instanceof Proto p) {
            proto(p.name(), t, f);
        } else if (e instanceof IpProto p) {
            ipProto(p.family(), p.protocol(), t, f);
        } else if (e instanceof Host h) {
            address(h.proto(), h.dir(), h.address(), h.address().length * 8, t, f);
        } else if (e instanceof Net n) {
            address(n.proto(), n.dir(), n.address(), n.prefix(), t, f);
        } else if (e instanceof EtherHost h) {
            etherHost(h.dir(), h.mac(), t, f);
        } else if (e instanceof Port p) {
            port(p, t, f);
        } else if (e instanceof Length l) {
            b.loadMeta(1, MetaField.PKT_LEN);
            b.jump32(l.greater() ? JumpOp.JGE : JumpOp.JLE, 1, l.value(), t).ja(f);
        } else if (e instanceof Vlan v) {
            vlan(v, t, f);
        } else if (e instanceof EtherProto p) {
            etherType(p.type(), t, f);
        } else if (e instanceof Broadcast) {
            requireEthernet("broadcast");
            b.load(4, 1, Base.PKT, 2).jump32(JumpOp.JNE, 1, 0xffffffffL, f);
            b.load(2, 1, Base.PKT, 0).jump32(JumpOp.JEQ, 1, 0xffff, t).ja(f);
        } else if (e instanceof Multicast m) {
            multicast(m.proto(), t, f);
        } else if (e instanceof Relation r) {
            relation(r, t, f);
        } else {
            throw new IllegalStateException("no code for " + e);
        }
    }

    private void requireEthernet(String what) {
        if (linkType != LinkType.ETHERNET) {
            throw unsupported("'" + what + "'");
        }
    }

    /** Jumps to {@code yes} when the frame's network protocol is {@code type}, else to {@code no}. */
    private void etherType(int type, Label yes, Label no) {
        if (etherTypeOffset < 0) {
            if (type != IPV4 && type != IPV6) {
                b.ja(no);
                return;
            }
            b.load(1, 1, Base.PKT, 0).alu32(AluOp.RSH, 1, 4).jump32(JumpOp.JEQ, 1, type == IPV4 ? 4 : 6, yes).ja(no);
            return;
        }
        b.load(2, 1, Base.PKT, etherTypeOffset).jump32(JumpOp.JEQ, 1, type, yes).ja(no);
    }

    /** Dispatches on the network protocol: each non-null label is taken for its type, anything else goes to no. */
    private void familySwitch(Label v4, Label v6, Label arp, Label rarp, Label no) {
        if (etherTypeOffset < 0) {
            if (arp != null || rarp != null) {
                if (v4 == null && v6 == null) {
                    throw unsupported("ARP/RARP");
                }
            }
            b.load(1, 1, Base.PKT, 0).alu32(AluOp.RSH, 1, 4);
            if (v4 != null) {
                b.jump32(JumpOp.JEQ, 1, 4, v4);
            }
            if (v6 != null) {
                b.jump32(JumpOp.JEQ, 1, 6, v6);
            }
            b.ja(no);
            return;
        }
        b.load(2, 1, Base.PKT, etherTypeOffset);
        if (v4 != null) {
            b.jump32(JumpOp.JEQ, 1, IPV4, v4);
        }
        if (v6 != null) {
            b.jump32(JumpOp.JEQ, 1, IPV6, v6);
        }
        if (arp != null) {
            b.jump32(JumpOp.JEQ, 1, ARP, arp);
        }
        if (rarp != null) {
            b.jump32(JumpOp.JEQ, 1, RARP, rarp);
        }
        b.ja(no);
    }

    private void proto(String name, Label t, Label f) {
        switch (name) {
            case "ip": etherType(IPV4, t, f); return;
            case "ip6": etherType(IPV6, t, f); return;
            case "arp":
            case "rarp":
                if (etherTypeOffset < 0) {
                    throw unsupported("'" + name + "'");
                }
                etherType(name.equals("arp") ? ARP : RARP, t, f);
                return;
            case "tcp": ipProto(null, 6, t, f); return;
            case "udp": ipProto(null, 17, t, f); return;
            case "sctp": ipProto(null, 132, t, f); return;
            case "icmp": ipProto("ip", 1, t, f); return;
            case "icmp6": ipProto("ip6", 58, t, f); return;
            default: throw new IllegalStateException("protocol " + name);
        }
    }

    /** {@code ip proto N} / {@code ip6 proto N} (next header, or behind one fragment header) / both. */
    private void ipProto(String family, int protocol, Label t, Label f) {
        Label v4 = family == null || family.equals("ip") ? b.newLabel() : null;
        Label v6 = family == null || family.equals("ip6") ? b.newLabel() : null;
        familySwitch(v4, v6, null, null, f);
        if (v4 != null) {
            b.bind(v4);
            b.load(1, 1, Base.PKT, l3 + 9).jump32(JumpOp.JEQ, 1, protocol, t).ja(f);
        }
        if (v6 != null) {
            b.bind(v6);
            b.load(1, 1, Base.PKT, l3 + 6).jump32(JumpOp.JEQ, 1, protocol, t).jump32(JumpOp.JNE, 1, 44, f);
            b.load(1, 1, Base.PKT, l3 + 40).jump32(JumpOp.JEQ, 1, protocol, t).ja(f);
        }
    }

    private void address(String proto, Dir dir, byte[] address, int prefix, Label t, Label f) {
        if (address.length == 16) {
            Label v6 = b.newLabel();
            familySwitch(null, v6, null, null, f);
            b.bind(v6);
            byDirection(dir, l3 + 8, l3 + 24, address, prefix, t, f);
            return;
        }
        boolean any = proto == null;
        Label v4 = any || proto.equals("ip") ? b.newLabel() : null;
        Label arp = (any && etherTypeOffset >= 0) || "arp".equals(proto) ? b.newLabel() : null;
        Label rarp = (any && etherTypeOffset >= 0) || "rarp".equals(proto) ? b.newLabel() : null;
        familySwitch(v4, null, arp, rarp, f);
        if (v4 != null) {
            b.bind(v4);
            byDirection(dir, l3 + 12, l3 + 16, address, prefix, t, f);
        }
        if (arp != null) {
            b.bind(arp);
            byDirection(dir, l3 + 14, l3 + 24, address, prefix, t, f);
        }
        if (rarp != null) {
            b.bind(rarp);
            byDirection(dir, l3 + 14, l3 + 24, address, prefix, t, f);
        }
    }

    private void byDirection(Dir dir, int srcOffset, int dstOffset, byte[] address, int prefix, Label t, Label f) {
        switch (dir) {
            case SRC:
                addressEquals(srcOffset, address, prefix, t, f);
                break;
            case DST:
                addressEquals(dstOffset, address, prefix, t, f);
                break;
            case SRC_OR_DST: {
                Label tryDst = b.newLabel();
                addressEquals(srcOffset, address, prefix, t, tryDst);
                b.bind(tryDst);
                addressEquals(dstOffset, address, prefix, t, f);
                break;
            }
            default: {
                Label checkDst = b.newLabel();
                addressEquals(srcOffset, address, prefix, checkDst, f);
                b.bind(checkDst);
                addressEquals(dstOffset, address, prefix, t, f);
            }
        }
    }

    /** Compares the first {@code prefix} bits of the address at {@code offset}, a 32-bit word at a time. */
    private void addressEquals(int offset, byte[] address, int prefix, Label t, Label f) {
        for (int word = 0; word * 32 < prefix; word++) {
            int bits = Math.min(32, prefix - word * 32);
            long mask = bits == 32 ? 0xffffffffL : (0xffffffffL << (32 - bits)) & 0xffffffffL;
            long value = 0;
            for (int i = 0; i < 4; i++) {
                value = value << 8 | (address[word * 4 + i] & 0xff);
            }
            b.load(4, 1, Base.PKT, offset + word * 4);
            if (mask != 0xffffffffL) {
                b.alu32(AluOp.AND, 1, mask);
            }
            boolean last = (word + 1) * 32 >= prefix;
            if (last) {
                b.jump32(JumpOp.JEQ, 1, value & mask, t).ja(f);
            } else {
                b.jump32(JumpOp.JNE, 1, value & mask, f);
            }
        }
        if (prefix == 0) {
            b.ja(t);
        }
    }

    private void etherHost(Dir dir, byte[] mac, Label t, Label f) {
        requireEthernet("ether host");
        switch (dir) {
            case SRC: macEquals(6, mac, t, f); break;
            case DST: macEquals(0, mac, t, f); break;
            case SRC_OR_DST: {
                Label tryDst = b.newLabel();
                macEquals(6, mac, t, tryDst);
                b.bind(tryDst);
                macEquals(0, mac, t, f);
                break;
            }
            default: {
                Label checkDst = b.newLabel();
                macEquals(6, mac, checkDst, f);
                b.bind(checkDst);
                macEquals(0, mac, t, f);
            }
        }
    }

    private void macEquals(int offset, byte[] mac, Label t, Label f) {
        long high = ((mac[0] & 0xffL) << 8) | (mac[1] & 0xff);
        long low = ((mac[2] & 0xffL) << 24) | ((mac[3] & 0xffL) << 16) | ((mac[4] & 0xffL) << 8) | (mac[5] & 0xff);
        b.load(4, 1, Base.PKT, offset + 2).jump32(JumpOp.JNE, 1, low, f);
        b.load(2, 1, Base.PKT, offset).jump32(JumpOp.JEQ, 1, high, t).ja(f);
    }

    private void port(Port p, Label t, Label f) {
        int[] protocols = p.proto() == null ? new int[] {132, 6, 17}
                : new int[] {p.proto().equals("tcp") ? 6 : p.proto().equals("udp") ? 17 : 132};
        Label v4 = b.newLabel();
        Label v6 = b.newLabel();
        familySwitch(v4, v6, null, null, f);
        b.bind(v4);
        Label v4ports = b.newLabel();
        b.load(1, 1, Base.PKT, l3 + 9);
        for (int proto : protocols) {
            b.jump32(JumpOp.JEQ, 1, proto, v4ports);
        }
        b.ja(f);
        b.bind(v4ports);
        b.load(2, 1, Base.PKT, l3 + 6).jump32(JumpOp.JSET, 1, 0x1fff, f);
        b.load(1, 2, Base.PKT, l3).alu32(AluOp.AND, 2, 0xf).alu32(AluOp.LSH, 2, 2);
        portsByDirection(p, 2, l3, t, f);
        b.bind(v6);
        Label v6ports = b.newLabel();
        b.load(1, 1, Base.PKT, l3 + 6);
        for (int proto : protocols) {
            b.jump32(JumpOp.JEQ, 1, proto, v6ports);
        }
        b.ja(f);
        b.bind(v6ports);
        portsByDirection(p, -1, l3 + 40, t, f);
    }

    /** Port tests; {@code index} is the register holding the IPv4 header length, or -1 for a fixed offset. */
    private void portsByDirection(Port p, int index, int offset, Label t, Label f) {
        switch (p.dir()) {
            case SRC:
                portTest(index, offset, p, t, f);
                break;
            case DST:
                portTest(index, offset + 2, p, t, f);
                break;
            case SRC_OR_DST: {
                Label tryDst = b.newLabel();
                portTest(index, offset, p, t, tryDst);
                b.bind(tryDst);
                portTest(index, offset + 2, p, t, f);
                break;
            }
            default: {
                Label checkDst = b.newLabel();
                portTest(index, offset, p, checkDst, f);
                b.bind(checkDst);
                portTest(index, offset + 2, p, t, f);
            }
        }
    }

    private void portTest(int index, int offset, Port p, Label t, Label f) {
        if (index >= 0) {
            b.loadIndexed(2, 1, Base.PKT, index, offset);
        } else {
            b.load(2, 1, Base.PKT, offset);
        }
        if (p.low() == p.high()) {
            b.jump32(JumpOp.JEQ, 1, p.low(), t).ja(f);
        } else {
            b.jump32(JumpOp.JLT, 1, p.low(), f).jump32(JumpOp.JGT, 1, p.high(), f).ja(t);
        }
    }

    private void vlan(Vlan v, Label t, Label f) {
        if (linkType != LinkType.ETHERNET) {
            throw unsupported("'vlan'");
        }
        Label tagged = b.newLabel();
        b.load(2, 1, Base.PKT, etherTypeOffset).jump32(JumpOp.JEQ, 1, 0x8100, tagged)
                .jump32(JumpOp.JEQ, 1, 0x88a8, tagged).jump32(JumpOp.JEQ, 1, 0x9100, tagged).ja(f);
        b.bind(tagged);
        if (v.id() != null) {
            b.load(2, 1, Base.PKT, etherTypeOffset + 2).alu32(AluOp.AND, 1, 0xfff)
                    .jump32(JumpOp.JEQ, 1, v.id(), t).ja(f);
        } else {
            b.ja(t);
        }
        // As libpcap: everything after 'vlan' in the expression looks 4 bytes further in.
        etherTypeOffset += 4;
        l3 += 4;
    }

    private void multicast(String proto, Label t, Label f) {
        switch (proto) {
            case "ether":
                requireEthernet("multicast");
                b.load(1, 1, Base.PKT, 0).jump32(JumpOp.JSET, 1, 1, t).ja(f);
                return;
            case "ip": {
                Label v4 = b.newLabel();
                familySwitch(v4, null, null, null, f);
                b.bind(v4);
                b.load(1, 1, Base.PKT, l3 + 16).jump32(JumpOp.JGE, 1, 224, t).ja(f);
                return;
            }
            default: {
                Label v6 = b.newLabel();
                familySwitch(null, v6, null, null, f);
                b.bind(v6);
                b.load(1, 1, Base.PKT, l3 + 24).jump32(JumpOp.JEQ, 1, 0xff, t).ja(f);
            }
        }
    }

    // ---- relations ----

    private void relation(Relation r, Label t, Label f) {
        Set<String> guards = new LinkedHashSet<>();
        collectGuards(r.left(), guards);
        collectGuards(r.right(), guards);
        for (String proto : guards) {
            Label ok = b.newLabel();
            guard(proto, ok, f);
            b.bind(ok);
        }
        arith(r.left(), 1);
        arith(r.right(), 2);
        JumpOp op;
        switch (r.op()) {
            case ">": op = JumpOp.JGT; break;
            case "<": op = JumpOp.JLT; break;
            case ">=": op = JumpOp.JGE; break;
            case "<=": op = JumpOp.JLE; break;
            case "!=": op = JumpOp.JNE; break;
            default: op = JumpOp.JEQ;
        }
        b.jump32Reg(op, 1, 2, t).ja(f);
    }

    /**
     * The protocol checks a relation is guarded by, propagated as libpcap's code generator does: a load contributes
     * its own protocol and its index's checks, a binary operation only its left operand's (libpcap's gen_arth keeps
     * the left operand and drops the right one's check), a negation its operand's. Reproducing this keeps
     * {@code ip[8] + tcp[0] > 5} selecting what tcpdump selects (IPv4 packets, TCP or not).
     */
    private static void collectGuards(Arith a, Set<String> guards) {
        if (a instanceof Load l) {
            collectGuards(l.index(), guards);
            if (!l.proto().equals("ether")) {
                guards.add(l.proto());
            }
        } else if (a instanceof Bin x) {
            collectGuards(x.left(), guards);
        } else if (a instanceof Neg n) {
            collectGuards(n.value(), guards);
        }
    }

    /** The protocol check libpcap ANDs in front of a relation that loads from {@code proto[...]}. */
    private void guard(String proto, Label ok, Label f) {
        switch (proto) {
            case "ip": etherType(IPV4, ok, f); return;
            case "ip6": etherType(IPV6, ok, f); return;
            case "arp":
            case "rarp":
                if (etherTypeOffset < 0) {
                    throw unsupported("'" + proto + "[]'");
                }
                etherType(proto.equals("arp") ? ARP : RARP, ok, f);
                return;
            case "icmp6": {
                Label v6 = b.newLabel();
                etherType(IPV6, v6, f);
                b.bind(v6);
                b.load(1, 1, Base.PKT, l3 + 6).jump32(JumpOp.JEQ, 1, 58, ok).ja(f);
                return;
            }
            default: {
                int protocol = proto.equals("tcp") ? 6 : proto.equals("udp") ? 17 : proto.equals("icmp") ? 1 : 132;
                Label v4 = b.newLabel();
                Label unfragmented = b.newLabel();
                etherType(IPV4, v4, f);
                b.bind(v4);
                b.load(1, 1, Base.PKT, l3 + 9).jump32(JumpOp.JEQ, 1, protocol, unfragmented).ja(f);
                b.bind(unfragmented);
                b.load(2, 1, Base.PKT, l3 + 6).jump32(JumpOp.JSET, 1, 0x1fff, f).ja(ok);
            }
        }
    }

    private void register(int k, Arith a) {
        if (k > MAX_REGISTER) {
            int column = a instanceof Bin x ? x.column() : a instanceof Load l ? l.column() : 1;
            throw new SyntaxError(text, column, "expression too complex (more than " + MAX_REGISTER
                    + " nested values)");
        }
    }

    /** Evaluates {@code a} into register {@code k} with 32-bit unsigned arithmetic. */
    private void arith(Arith a, int k) {
        register(k, a);
        if (a instanceof Num n) {
            b.alu32(AluOp.MOV, k, n.value());
        } else if (a instanceof Len) {
            b.loadMeta(k, MetaField.PKT_LEN);
        } else if (a instanceof Neg n) {
            arith(n.value(), k);
            b.emit(io.judo.vm.Opcode.NEG32, k, 0, 0, 0);
        } else if (a instanceof Bin x) {
            arith(x.left(), k);
            arith(x.right(), k + 1);
            AluOp op;
            switch (x.op()) {
                case "+": op = AluOp.ADD; break;
                case "-": op = AluOp.SUB; break;
                case "*": op = AluOp.MUL; break;
                case "/": op = AluOp.DIV; break;
                case "%": op = AluOp.MOD; break;
                case "&": op = AluOp.AND; break;
                case "|": op = AluOp.OR; break;
                case "^": op = AluOp.XOR; break;
                case "<<": op = AluOp.LSH; break;
                default: op = AluOp.RSH;
            }
            if ((op == AluOp.DIV || op == AluOp.MOD) && x.right() instanceof Num n && n.value() == 0) {
                throw new SyntaxError(text, x.column(), op == AluOp.DIV ? "division by zero" : "modulus by zero");
            }
            if ((op == AluOp.LSH || op == AluOp.RSH) && x.right() instanceof Num n && n.value() > 31) {
                throw new SyntaxError(text, x.column(), "shift by more than 31 bits");
            }
            if (op == AluOp.DIV || op == AluOp.MOD) {
                b.jump32(JumpOp.JEQ, k + 1, 0, reject); // libpcap rejects the packet on division by zero
            }
            b.alu32Reg(op, k, k + 1);
        } else if (a instanceof Load l) {
            load(l, k);
        } else {
            throw new IllegalStateException("no code for " + a);
        }
    }

    private void load(Load l, int k) {
        int base;
        boolean transport = false;
        switch (l.proto()) {
            case "ether": base = 0; break;
            case "ip": case "ip6": case "arp": case "rarp": base = l3; break;
            case "icmp6": base = l3 + 40; break;
            default: base = l3; transport = true;
        }
        arith(l.index(), k);
        if (transport) {
            register(k + 1, l);
            b.load(1, k + 1, Base.PKT, l3).alu32(AluOp.AND, k + 1, 0xf).alu32(AluOp.LSH, k + 1, 2);
            b.alu32Reg(AluOp.ADD, k, k + 1);
        }
        b.loadIndexed(l.size(), k, Base.PKT, k, base);
    }
}
