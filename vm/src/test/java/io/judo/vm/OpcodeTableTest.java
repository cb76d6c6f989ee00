package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.asm.Assembler;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * One opcode, one row: every row must have a hand-checked semantics case (which also proves it has an interpreter
 * case) and appear in the assembler golden test, and every row must round-trip through the assembler.
 */
class OpcodeTableTest {
    private static Set<Integer> codesUsed(String program) {
        Program p = Assembler.assemble(program, null);
        Set<Integer> codes = new HashSet<>();
        for (int pc = 0; pc < p.length(); pc++) {
            codes.add(Insn.op(p.insn(pc)));
        }
        return codes;
    }

    @Test
    void everyRowHasASemanticsCase() throws Exception {
        Set<Integer> covered = new HashSet<>();
        for (GoldenCases.Case c : GoldenCases.read("semantics.txt")) {
            covered.addAll(codesUsed(c.program()));
        }
        Set<String> missing = new TreeSet<>();
        for (Opcode o : Opcode.all()) {
            if (!covered.contains(o.code())) {
                missing.add(o.toString());
            }
        }
        assertTrue(missing.isEmpty(), "rows without a semantics case in golden/semantics.txt: " + missing);
    }

    @Test
    void tableIsConsistent() {
        Set<String> forms = new HashSet<>();
        for (Opcode o : Opcode.all()) {
            assertNotNull(Opcode.of(o.code()));
            assertEquals(o, Opcode.of(o.code()));
            assertTrue(forms.add(o.mnemonic() + "/" + o.format()), "duplicate form " + o);
        }
        assertEquals(Opcode.all().size(), forms.size());
    }
}
