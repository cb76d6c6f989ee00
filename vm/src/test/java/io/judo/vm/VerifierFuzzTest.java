package io.judo.vm;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.vm.asm.AsmException;
import io.judo.vm.asm.ProgramCodec;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Random programs for the verifier: either raw instruction words (with the fixed pools of
 * {@link RandomProgramProperties}, an optional rule region and optional well-formed {@code jloop}s) or a whole
 * program file with its own pools. The
 * verifier rejects a program with a {@link VerifyException}, or the program runs on a dozen packets (decoded and raw,
 * whole and per region) in the interpreter and the JIT with the same outcome and no exception. Every build fuzzes
 * this for 10 s (vm/pom.xml); docs/TESTING.md has the long run.
 */
class VerifierFuzzTest {
    private static final byte[] MAGIC = {'J', 'U', 'D', 'O', 'V', 'M', 0, 1};

    /** Program-file bytes from the fuzzer: usually behind the magic, sometimes as they come. */
    static byte[] programFile(FuzzedDataProvider data) {
        boolean magic = data.consumeInt(0, 7) != 0;
        byte[] rest = data.consumeRemainingAsBytes();
        if (!magic) {
            return rest;
        }
        byte[] bytes = new byte[MAGIC.length + rest.length];
        System.arraycopy(MAGIC, 0, bytes, 0, MAGIC.length);
        System.arraycopy(rest, 0, bytes, MAGIC.length, rest.length);
        return bytes;
    }

    private static Program program(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            try {
                return ProgramCodec.decode(programFile(data));
            } catch (AsmException e) {
                return null;
            }
        }
        List<RuleRegion> regions = new ArrayList<>();
        if (data.consumeBoolean()) {
            regions.add(new RuleRegion(data.consumeLong(), data.consumeInt(-2, 40), data.consumeInt(-2, 40)));
        }
        long[] code = new long[data.consumeInt(0, 64)];
        for (int pc = 0; pc < code.length; pc++) {
            code[pc] = data.consumeLong();
        }
        // Then (from bytes older inputs did not have, so they replay as before) well-formed jloops at chosen pcs:
        // random words almost never are one, and loops must be run and compared in the interpreter and the JIT.
        while (code.length > 0 && data.remainingBytes() > 0 && data.consumeBoolean()) {
            int pc = data.consumeInt(0, code.length - 1);
            code[pc] = Insn.encode(Opcode.JLOOP, 0, 0, -1 - data.consumeInt(0, pc), 0);
        }
        return RandomProgramProperties.pools(code, regions);
    }

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void verifierRejectsOrInterpreterAndJitAgree(FuzzedDataProvider data) {
        long seed = data.consumeLong();
        Program p = program(data);
        if (p == null) {
            return;
        }
        VerifiedProgram v;
        try {
            v = Verifier.verify(p);
        } catch (VerifyException e) {
            return;
        }
        List<String> interpLog = new ArrayList<>();
        List<String> jitLog = new ArrayList<>();
        Interpreter interp = new Interpreter(v, JitDifferentialProperties.recording(interpLog));
        JitCompiler.Result jit = JitCompiler.compile(v, JitDifferentialProperties.recording(jitLog));
        if (!jit.compiled() && (jit.fallbackReason() == null || jit.fallbackReason().isBlank())) {
            throw new IllegalStateException("JIT fell back without a reason");
        }
        JitDifferentialProperties.sameBehaviour(interp, interpLog, v, jit.runner(), jitLog, v, new Random(seed),
                "fuzzed program");
    }
}
