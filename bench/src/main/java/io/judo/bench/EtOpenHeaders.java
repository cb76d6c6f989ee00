package io.judo.bench;

import io.judo.packet.decode.PacketView;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.SuricataRule;
import io.judo.rules.suricata.Variables;
import io.judo.vm.AluOp;
import io.judo.vm.JumpOp;
import io.judo.vm.MetaField;
import io.judo.vm.Program;
import io.judo.vm.Verdict;
import io.judo.vm.asm.Label;
import io.judo.vm.asm.ProgramBuilder;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The headers of the loadable ET Open rules (protocol, source and destination address lists, port lists; the
 * {@code <>} ones left out) as a header rule set: how many rules' headers a packet matches — the work a Suricata-like
 * engine does per packet before payload inspection when it walks its rules. Two forms: a plain Java evaluator walking
 * the rules (the data-driven design), and one VM program counting matches in a register.
 */
final class EtOpenHeaders {
    /** A null set is "any", as the rule parser leaves it. */
    record Rule(int proto, CidrSet src, IntRangeSet srcPorts, CidrSet dst, IntRangeSet dstPorts) {
    }

    final List<Rule> rules = new ArrayList<>();

    EtOpenHeaders(Path dir) throws IOException {
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".rules")).sorted().toList()) {
                loader.load(p);
            }
        }
        for (SuricataRule r : loader.rules()) {
            if (r.bidirectional()) {
                continue;
            }
            int proto = switch (r.proto()) {
                case TCP, TCP_PKT, TCP_STREAM -> 6;
                case UDP -> 17;
                case ICMP -> 1;
                case IP -> 0;
            };
            rules.add(new Rule(proto, r.src(), r.srcPorts(), r.dst(), r.dstPorts()));
        }
    }

    private static boolean ports(int proto) {
        return proto == 6 || proto == 17;
    }

    /** The data-driven evaluator: every rule, every field; the number of rules whose header matches. */
    int evaluate(PacketView v, byte[] src, byte[] dst) {
        if (v.ipVersion() != 4) {
            return 0;
        }
        int proto = v.ipProtocol();
        int sport = v.srcPort();
        int dport = v.dstPort();
        int matched = 0;
        for (int i = 0, n = rules.size(); i < n; i++) {
            Rule r = rules.get(i);
            if ((r.proto == 0 || r.proto == proto) && (r.src == null || r.src.contains(src))
                    && (r.dst == null || r.dst.contains(dst)) && (!ports(r.proto)
                    || (r.srcPorts == null || r.srcPorts.contains(sport))
                    && (r.dstPorts == null || r.dstPorts.contains(dport)))) {
                matched++;
            }
        }
        return matched;
    }

    /** The rules as one program: r8 counts the rules matched, stored as the packet's tag. */
    Program compile() {
        ProgramBuilder b = new ProgramBuilder();
        Label notIp = b.newLabel();
        b.loadMeta(1, MetaField.IP_VERSION).jump(JumpOp.JNE, 1, 4, notIp);
        b.loadMeta(4, MetaField.IP_PROTO).loadMeta(6, MetaField.SRC_PORT).loadMeta(5, MetaField.DST_PORT)
                .alu(AluOp.MOV, 8, 0);
        java.util.Map<CidrSet, Integer> cidrs = new java.util.HashMap<>();
        java.util.Map<IntRangeSet, Integer> sets = new java.util.HashMap<>();
        for (Rule r : rules) {
            Label next = b.newLabel();
            if (r.proto != 0) {
                b.jump(JumpOp.JNE, 4, r.proto, next);
            }
            if (r.src != null) {
                addressIn(b, 0, cidrs.computeIfAbsent(r.src, s -> b.addCidrSet("a" + cidrs.size(), s)), next);
            }
            if (r.dst != null) {
                addressIn(b, 1, cidrs.computeIfAbsent(r.dst, s -> b.addCidrSet("a" + cidrs.size(), s)), next);
            }
            if (ports(r.proto) && r.srcPorts != null) {
                portIn(b, 6, sets.computeIfAbsent(r.srcPorts, s -> b.addIntSet("p" + sets.size(), s)), next);
            }
            if (ports(r.proto) && r.dstPorts != null) {
                portIn(b, 5, sets.computeIfAbsent(r.dstPorts, s -> b.addIntSet("p" + sets.size(), s)), next);
            }
            b.alu(AluOp.ADD, 8, 1);
            b.bind(next);
        }
        b.storeMeta(MetaField.TAG, 8).ret(Verdict.PASS, 0);
        b.bind(notIp).storeMetaImm(MetaField.TAG, 0).ret(Verdict.PASS, 0);
        return b.build();
    }

    private static void addressIn(ProgramBuilder b, int which, int set, Label next) {
        Label in = b.newLabel();
        b.jumpAddr(which, set, in).ja(next).bind(in);
    }

    private static void portIn(ProgramBuilder b, int reg, int set, Label next) {
        Label in = b.newLabel();
        b.jumpIn(reg, set, in).ja(next).bind(in);
    }
}
