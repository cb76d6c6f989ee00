package io.judo.rules.judo;

import io.judo.matcher.Pattern;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.verify.VerifiedProgram;
import java.util.List;

/**
 * A judo-language policy compiled to one VM program run once per packet (pf's evaluation: every rule in order, the
 * last matching pass/block decides unless a quick one ends it; the result is {@code retr} of verdict and rule id),
 * plus the prefilter for rules whose payload conditions look at the reassembled stream.
 *
 * @param rulesOfPattern per stream prefilter pattern id, the rule indexes it makes candidates
 * @param streamAlways stream rules without a literal (regex only): checked on every stream chunk
 * @param replacements per rule index, its replace pattern id in the program's pattern pool, or -1
 * @param interfaces interface names used by {@code on}, ids are 1-based positions
 */
public record CompiledPolicy(JudoPolicy policy, VerifiedProgram program, List<Pattern> prefilter,
        int[][] rulesOfPattern, int[] streamAlways, int[] replacements, List<String> interfaces,
        io.judo.matcher.confirm.BoundedRegex[] regexes, VerifiedProgram streamProgram, int[] streamRegionOfRule,
        io.judo.matcher.confirm.BoundedRegex[] streamRegexes) {
    /**
     * The {@code flow_state} bit the policy engine sets for a packet of a flow a {@code keep state} pass rule passed
     * (its pf state): header-only rules test it and skip such packets, as pf passes a packet that matches a state
     * without evaluating the ruleset. (Bits 1 and 2 are established and tracked, as for Suricata rules.)
     */
    public static final int FLOW_KEPT = 4;

    /** The program as assembly, each region headed by its rule's file, line and text. */
    public String listing() {
        StringBuilder sb = new StringBuilder();
        sb.append("; ").append(policy.rules().size()).append(" rules, ").append(program.program().length())
                .append(" instructions, ").append(prefilter.size()).append(" stream prefilter patterns\n");
        for (String line : Disassembler.disassemble(program.program()).split("\n")) {
            if (line.startsWith(".rule ")) {
                JudoRule r = policy.rules().get(Integer.parseInt(line.substring(6).trim()) - 1);
                sb.append("; ").append(r.file()).append(':').append(r.line()).append("  ").append(r.text().trim())
                        .append('\n');
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
