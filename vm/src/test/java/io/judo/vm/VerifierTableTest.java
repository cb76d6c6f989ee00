package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.asm.Assembler;
import io.judo.vm.asm.ProgramBuilder;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The verifier table: golden/verifier-cases.txt lists programs with ACCEPT or REJECT and the expected reason. */
class VerifierTableTest {
    static List<GoldenCases.Case> cases() throws Exception {
        return GoldenCases.read("verifier-cases.txt");
    }

    static Program program(String text) {
        String t = text.trim();
        if (t.startsWith("@raw")) {
            String[] words = t.substring(4).trim().split("\\s+");
            long[] code = new long[words.length];
            for (int i = 0; i < words.length; i++) {
                code[i] = Long.parseUnsignedLong(words[i].substring(2), 16);
            }
            Program pools = new ProgramBuilder().build();
            return new Program(code, List.of(), Verdict.DROP, pools.strings(), pools.intSets(), pools.cidrSets(),
                    pools.patternDbs());
        }
        return Assembler.assemble(text, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void verdictAndReason(GoldenCases.Case c) throws Exception {
        Program p = program(c.program());
        if (c.expectation().equals("ACCEPT")) {
            Verifier.verify(p);
            return;
        }
        assertTrue(c.expectation().startsWith("REJECT "), c.expectation());
        String reason = c.expectation().substring("REJECT ".length());
        VerifyException e = assertThrows(VerifyException.class, () -> Verifier.verify(p), c.name());
        assertTrue(e.reason().contains(reason), c.name() + ": expected '" + reason + "' in '" + e.reason() + "'");
    }
}
