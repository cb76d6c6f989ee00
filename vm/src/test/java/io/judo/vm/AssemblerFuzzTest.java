package io.judo.vm;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.vm.asm.AsmException;
import io.judo.vm.asm.Assembler;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary text as assembly: it assembles or fails with an {@link AsmException}; what assembles is verified
 * (rejection is fine) and, when accepted, disassembles. Anything else thrown is a finding. Every build fuzzes this
 * for 10 s (vm/pom.xml); docs/TESTING.md has the long run.
 */
class AssemblerFuzzTest {
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void textAssemblesOrFailsWithAnAsmError(FuzzedDataProvider data) {
        // a String parameter may be null under Jazzer's mutator; the provider's never is
        String text = data.consumeRemainingAsString();
        Program p;
        try {
            p = Assembler.assemble(text, "fuzz.s");
        } catch (AsmException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new IllegalStateException("assembler error without a message", e);
            }
            return;
        }
        try {
            Verifier.verify(p);
        } catch (VerifyException e) {
            return;
        }
        Disassembler.disassemble(p);
    }
}
