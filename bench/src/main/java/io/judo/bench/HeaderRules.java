package io.judo.bench;

import io.judo.packet.decode.PacketView;
import io.judo.vm.AluOp;
import io.judo.vm.Base;
import io.judo.vm.JumpOp;
import io.judo.vm.MetaField;
import io.judo.vm.Program;
import io.judo.vm.Verdict;
import io.judo.vm.asm.Label;
import io.judo.vm.asm.ProgramBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A pf-style list of header rules (protocol, source and destination IPv4 networks, destination port range; pass or
 * block; the last matching rule decides) in two forms: a list a plain Java evaluator walks rule by rule (the
 * data-driven design), and one VM program. The benchmark fixture for "compiled rules vs a data-driven rule engine".
 */
final class HeaderRules {
    record Rule(int proto, int srcNet, int srcMask, int dstNet, int dstMask, int portLow, int portHigh, int verdict) {
    }

    final List<Rule> rules = new ArrayList<>();

    /** A realistic mix: mostly TCP to well-known ports, some UDP, some any-protocol; /8 to /32 networks. */
    HeaderRules(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ports = {22, 25, 53, 80, 110, 143, 443, 993, 3306, 5432, 8080, 8443};
        for (int i = 0; i < count; i++) {
            int proto = r.nextInt(10) < 7 ? 6 : r.nextInt(3) == 0 ? 0 : 17;
            int srcBits = r.nextInt(4) == 0 ? 0 : 8 + r.nextInt(25);
            int dstBits = 8 + r.nextInt(25);
            int src = 10 << 24 | r.nextInt(4) << 16 | r.nextInt(256) << 8 | r.nextInt(256);
            int dst = 10 << 24 | r.nextInt(4) << 16 | r.nextInt(256) << 8 | r.nextInt(256);
            int port = ports[r.nextInt(ports.length)];
            boolean range = r.nextInt(5) == 0;
            rules.add(new Rule(proto, src & mask(srcBits), mask(srcBits), dst & mask(dstBits), mask(dstBits), port,
                    range ? port + r.nextInt(1000) : port, r.nextInt(3) == 0 ? Verdict.DROP : Verdict.PASS));
        }
    }

    private static int mask(int bits) {
        return bits == 0 ? 0 : -1 << (32 - bits);
    }

    /** The data-driven evaluator: every rule, every field, last match wins. */
    int evaluate(PacketView v) {
        if (v.ipVersion() != 4) {
            return Verdict.PASS;
        }
        int src = v.srcIpv4();
        int dst = v.dstIpv4();
        int proto = v.ipProtocol();
        int port = v.dstPort();
        int verdict = Verdict.PASS;
        for (int i = 0, n = rules.size(); i < n; i++) {
            Rule r = rules.get(i);
            if ((r.proto == 0 || r.proto == proto) && (src & r.srcMask) == r.srcNet && (dst & r.dstMask) == r.dstNet
                    && port >= r.portLow && port <= r.portHigh) {
                verdict = r.verdict;
            }
        }
        return verdict;
    }

    /**
     * The list compiled with what is known at compile time. "The last matching rule decides" is "the first match
     * walking backwards", and a packet can only match rules whose port range holds its destination port: so the
     * program dispatches on the port (an integer-set jump per distinct single port) to a block that holds just the
     * candidate rules for that port, newest first, and returns at the first match. Ports that no single-port rule
     * names go to a block of the range rules. Same verdicts as {@link #evaluate} (checked in the benchmark set-up).
     */
    Program compilePartitioned() {
        ProgramBuilder b = new ProgramBuilder();
        java.util.TreeSet<Integer> singles = new java.util.TreeSet<>();
        for (Rule r : rules) {
            if (r.portLow == r.portHigh) {
                singles.add(r.portLow);
            }
        }
        java.util.List<Integer> ports = new ArrayList<>(singles);
        java.util.List<Label> blocks = new ArrayList<>();
        for (int port : ports) {
            b.addIntSet("p" + port, io.judo.vm.pool.IntRangeSet.of(List.of(new long[] {port, port})));
            blocks.add(b.newLabel());
        }
        Label ranges = b.newLabel();
        Label notIp = b.newLabel();
        b.loadMeta(1, MetaField.IP_VERSION).jump(JumpOp.JNE, 1, 4, notIp);
        b.load(4, 2, Base.L3, 12).load(4, 3, Base.L3, 16).loadMeta(4, MetaField.IP_PROTO)
                .loadMeta(5, MetaField.DST_PORT);
        for (int i = 0; i < ports.size(); i++) {
            b.jumpIn(5, i, blocks.get(i));
        }
        b.ja(ranges);
        for (int i = 0; i < ports.size(); i++) {
            b.bind(blocks.get(i));
            int port = ports.get(i);
            for (int k = rules.size() - 1; k >= 0; k--) {
                Rule r = rules.get(k);
                if (r.portLow <= port && port <= r.portHigh) {
                    firstMatch(b, r, k);
                }
            }
            b.ret(Verdict.PASS, 0);
        }
        b.bind(ranges);
        for (int k = rules.size() - 1; k >= 0; k--) {
            if (rules.get(k).portLow != rules.get(k).portHigh) {
                firstMatch(b, rules.get(k), k);
            }
        }
        b.ret(Verdict.PASS, 0);
        b.bind(notIp).ret(Verdict.PASS, 0);
        return b.build();
    }

    /** Tests one rule (packet fields in r2-r5) and returns its verdict when it matches. */
    private static void firstMatch(ProgramBuilder b, Rule r, int index) {
        Label next = b.newLabel();
        test(b, r, next);
        b.ret(r.verdict, index + 1);
        b.bind(next);
    }

    private static void test(ProgramBuilder b, Rule r, Label next) {
        if (r.proto != 0) {
            b.jump(JumpOp.JNE, 4, r.proto, next);
        }
        if (r.srcMask != 0) {
            b.aluReg(AluOp.MOV, 1, 2).alu32(AluOp.AND, 1, r.srcMask & 0xffffffffL)
                    .jump32(JumpOp.JNE, 1, r.srcNet & 0xffffffffL, next);
        }
        b.aluReg(AluOp.MOV, 1, 3).alu32(AluOp.AND, 1, r.dstMask & 0xffffffffL)
                .jump32(JumpOp.JNE, 1, r.dstNet & 0xffffffffL, next);
        if (r.portLow == r.portHigh) {
            b.jump(JumpOp.JNE, 5, r.portLow, next);
        } else {
            b.jump(JumpOp.JLT, 5, r.portLow, next).jump(JumpOp.JGT, 5, r.portHigh, next);
        }
    }

    /** The list as one program in rule order: r6 carries the verdict of the last rule that matched. */
    Program compile() {
        ProgramBuilder b = new ProgramBuilder();
        Label notIp = b.newLabel();
        b.loadMeta(1, MetaField.IP_VERSION).jump(JumpOp.JNE, 1, 4, notIp);
        b.load(4, 2, Base.L3, 12).load(4, 3, Base.L3, 16).loadMeta(4, MetaField.IP_PROTO)
                .loadMeta(5, MetaField.DST_PORT);
        b.alu(AluOp.MOV, 6, Verdict.PASS);
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            Label next = b.newLabel();
            test(b, r, next);
            b.alu(AluOp.MOV, 6, r.verdict);
            b.bind(next);
        }
        b.retReg(6);
        b.bind(notIp).ret(Verdict.PASS, 0);
        return b.build();
    }
}
