package io.judo.rules.suricata;

import io.judo.matcher.Pattern;
import io.judo.vm.RuleRegion;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.verify.VerifiedProgram;
import java.util.List;

/**
 * A loaded rule set compiled for the two hooks: each hook has one verified VM program with one region per rule
 * (header tests, then the {@code inspect} and {@code alert} helper calls) and a prefilter pattern list (one literal
 * per distinct fast pattern) that tells the engine which regions can match a buffer at all.
 */
public final class CompiledRuleSet {
    /** Where a rule runs: over single packets, or over the reassembled stream of an established TCP flow. */
    public enum Hook { PACKET, STREAM }

    /**
     * One hook's code.
     *
     * @param program the verified program; region {@code k} belongs to rule {@code ruleOfRegion[k]}
     * @param regionOfRule per rule index, its region in this program, or -1 when the rule runs in the other hook
     * @param prefilter the fast patterns, ids 0..n-1
     * @param rulesOfPattern per pattern id, the rule indexes it makes candidates, ascending
     * @param always rules with no positive content and no indexed address list: candidates for every buffer,
     *     ascending
     * @param bySource rules without positive content whose source list is indexed: candidates when the packet's
     *     source (or, for {@code <>}, either address) is in the list; null when there are none
     * @param byDestination the same for rules indexed by their destination list
     * @param byPort rules without positive content or an indexed address list but with a short destination port
     *     list: candidates for packets to those ports; null when there are none
     * @param bySourcePort rules keyed by a short source port list, and {@code <>} rules' reverse direction (packets
     *     from those ports)
     * @param regexes per string index of the program, the regex the {@code regex} helper runs (null for literals)
     * @param unsupported rules (by index) whose inspection the VM cannot hold, with the reason: they never match
     * @param notes per instruction index, the rule keyword whose code starts there (the listing prints them)
     */
    public record HookCode(Hook hook, VerifiedProgram program, int[] ruleOfRegion, int[] regionOfRule,
            List<Pattern> prefilter, int[][] rulesOfPattern, int[] always, AddressIndex bySource,
            AddressIndex byDestination, PortIndex byPort, PortIndex bySourcePort,
            io.judo.matcher.confirm.BoundedRegex[] regexes, java.util.Map<Integer, String> unsupported,
            java.util.Map<Integer, String> notes) {
        public RuleRegion region(int rule) {
            return program.program().regions().get(regionOfRule[rule]);
        }
    }

    private final List<SuricataRule> rules;
    private final HookCode packet;
    private final HookCode stream;
    private final Flowbits flowbits;

    CompiledRuleSet(List<SuricataRule> rules, HookCode packet, HookCode stream, Flowbits flowbits) {
        this.rules = rules;
        this.packet = packet;
        this.stream = stream;
        this.flowbits = flowbits;
    }

    /** The rules in evaluation order (pass, drop, reject, alert; flow bit setters before their readers). */
    public List<SuricataRule> rules() {
        return rules;
    }

    public HookCode hook(Hook h) {
        return h == Hook.PACKET ? packet : stream;
    }

    /**
     * The rules whose inspection the VM cannot hold (they load but never match), as "gid:sid:rev: reason", in rule
     * order; empty on ET Open today.
     */
    public List<String> unrunnable() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            for (HookCode h : List.of(packet, stream)) {
                String why = h.unsupported().get(i);
                if (why != null) {
                    out.add(rules.get(i).id() + ": " + why);
                }
            }
        }
        return out;
    }

    public Flowbits flowbits() {
        return flowbits;
    }

    /** Both programs as assembly, each region headed by the rule it came from. */
    public String listing() {
        StringBuilder sb = new StringBuilder();
        for (HookCode h : List.of(packet, stream)) {
            sb.append("; ---- ").append(h.hook().name().toLowerCase(java.util.Locale.ROOT)).append(" hook: ")
                    .append(h.ruleOfRegion().length).append(" rules, ").append(h.program().program().length())
                    .append(" instructions, ").append(h.prefilter().size()).append(" prefilter patterns, ")
                    .append(h.always().length).append(" rules run on every packet\n");
            String text = Disassembler.disassemble(h.program().program());
            int region = 0;
            int pc = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("    ")) {
                    String note = h.notes().get(pc++);
                    if (note != null) {
                        sb.append("    ; ").append(note).append('\n');
                    }
                }
                if (line.startsWith(".rule ")) {
                    SuricataRule r = rules.get(h.ruleOfRegion()[region++]);
                    sb.append("; ").append(r.file()).append(':').append(r.line()).append(" sid ").append(r.id())
                            .append(" \"").append(r.msg()).append("\"\n");
                }
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }
}
