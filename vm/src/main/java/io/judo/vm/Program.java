package io.judo.vm;

import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import io.judo.vm.pool.PatternDb;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable VM program: code, named constant pools, rule regions and the verdict used when a failed load leaves
 * every region. Build one with {@link io.judo.vm.asm.ProgramBuilder} or the assembler; check it with
 * {@link io.judo.vm.verify.Verifier} before running it.
 */
public final class Program {
    /**
     * Most instructions a program may have: 4 M, as all of ET Open's transaction rules (HTTP, DNS, TLS) are 1.17 M
     * instructions in one hook; jumps past 32 K are relaxed to long jumps, so nothing in the encoding bounds it.
     */
    public static final int MAX_INSNS = 1 << 22;

    private final long[] code;
    private final List<RuleRegion> regions;
    private final int[] failTarget;
    /** Per instruction, the index of the first region holding it, or -1. */
    private final int[] regionOf;
    private final int defaultVerdict;
    private final Pool<byte[]> strings;
    private final Pool<IntRangeSet> intSets;
    private final Pool<CidrSet> cidrSets;
    private final Pool<PatternDb> patternDbs;

    /** A named pool of constants. */
    public record Pool<T>(List<String> names, List<T> values) {
        public Pool {
            names = List.copyOf(names);
            values = List.copyOf(values);
        }

        public int size() {
            return values.size();
        }

        public T get(int i) {
            return values.get(i);
        }

        public String name(int i) {
            return names.get(i);
        }

        public int indexOf(String name) {
            return names.indexOf(name);
        }
    }

    public Program(long[] code, List<RuleRegion> regions, int defaultVerdict, Pool<byte[]> strings,
                   Pool<IntRangeSet> intSets, Pool<CidrSet> cidrSets, Pool<PatternDb> patternDbs) {
        this.code = code.clone();
        this.regions = List.copyOf(regions);
        this.defaultVerdict = defaultVerdict;
        this.strings = strings;
        this.intSets = intSets;
        this.cidrSets = cidrSets;
        this.patternDbs = patternDbs;
        this.failTarget = new int[code.length];
        this.regionOf = new int[code.length];
        Arrays.fill(failTarget, -1);
        Arrays.fill(regionOf, -1);
        for (int k = 0; k < this.regions.size(); k++) {
            RuleRegion r = this.regions.get(k);
            for (int pc = Math.max(0, r.start()); pc < Math.min(code.length, r.end()); pc++) {
                failTarget[pc] = r.end() < code.length ? r.end() : -1;
                if (regionOf[pc] < 0) {
                    regionOf[pc] = k; // the first region holding a pc, as regionAt always answered
                }
            }
        }
    }

    /** The instructions (a copy). */
    public long[] code() {
        return code.clone();
    }

    /** Instruction {@code pc}. */
    public long insn(int pc) {
        return code[pc];
    }

    public int length() {
        return code.length;
    }

    /** Where a failed load at {@code pc} continues, or -1 to exit with {@link #defaultVerdict()}. */
    public int failTarget(int pc) {
        return failTarget[pc];
    }

    /** The fail-target table (shared; do not modify), indexed by pc. */
    int[] failTargets() {
        return failTarget;
    }

    public List<RuleRegion> regions() {
        return regions;
    }

    /** The rule whose region holds {@code pc}, or null. */
    public RuleRegion regionAt(int pc) {
        // a table, not a scan of the regions: the verifier asks for every loop of a program of 14,000 rules
        int k = pc >= 0 && pc < regionOf.length ? regionOf[pc] : -1;
        return k < 0 ? null : regions.get(k);
    }

    public int defaultVerdict() {
        return defaultVerdict;
    }

    public Pool<byte[]> strings() {
        return strings;
    }

    public Pool<IntRangeSet> intSets() {
        return intSets;
    }

    public Pool<CidrSet> cidrSets() {
        return cidrSets;
    }

    public Pool<PatternDb> patternDbs() {
        return patternDbs;
    }

    /** Total patterns over all pattern databases. */
    public int patternCount() {
        int n = 0;
        for (PatternDb db : patternDbs.values()) {
            n += db.patterns();
        }
        return n;
    }

    /** True when the program has a {@code jloop} (a bounded backward jump). */
    public boolean hasLoops() {
        for (long insn : code) {
            if (Insn.op(insn) == Opcode.JLOOP) {
                return true;
            }
        }
        return false;
    }
}
