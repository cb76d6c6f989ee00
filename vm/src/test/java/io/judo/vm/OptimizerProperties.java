package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.asm.Assembler;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.opt.Optimizer;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Soundness of the optimizer (libpcap's once made filters match everything): every optimized program verifies, is
 * no longer than the original, and behaves exactly like it — verdict, rule, metadata and helper calls, whole and per
 * region — on random and malformed packets, for every golden program and thousands of random ones.
 */
class OptimizerProperties {
    private static boolean check(VerifiedProgram original, Random r, String what) {
        VerifiedProgram optimized;
        Program p = Optimizer.optimize(original.program());
        try {
            optimized = Verifier.verify(p);
        } catch (VerifyException e) {
            throw new AssertionError(what + ": the optimized program does not verify: " + e.getMessage());
        }
        assertTrue(p.length() <= original.program().length(), what);
        List<String> aLog = new ArrayList<>();
        List<String> bLog = new ArrayList<>();
        JitDifferentialProperties.sameBehaviour(
                new Interpreter(original, JitDifferentialProperties.recording(aLog)), aLog, original,
                new Interpreter(optimized, JitDifferentialProperties.recording(bLog)), bLog, optimized, r, what);
        return p.length() < original.program().length();
    }

    static List<GoldenCases.Case> goldenCases() throws Exception {
        return JitDifferentialProperties.goldenCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void goldenProgramsKeepTheirBehaviour(GoldenCases.Case c) throws Exception {
        check(Verifier.verify(Assembler.assemble(c.program(), c.name())), new Random(c.name().hashCode()), c.name());
    }

    @Property(tries = 3000)
    void randomProgramsKeepTheirBehaviour(@ForAll long seed) {
        Random r = new Random(seed);
        VerifiedProgram v;
        try {
            v = Verifier.verify(RandomProgramProperties.tableProgram(r));
        } catch (VerifyException e) {
            Statistics.collect("rejected");
            return;
        }
        Statistics.collect(check(v, r, "seed " + seed) ? "shrunk" : "unchanged");
    }
}
