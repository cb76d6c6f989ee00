package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.asm.AsmException;
import io.judo.vm.asm.Assembler;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.asm.ProgramCodec;
import io.judo.vm.verify.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** asm -> disasm is pinned by a golden listing, and disasm -> asm gives the same program back. */
class AsmGoldenTest {
    @Test
    void listingMatchesGoldenAndRoundTrips() throws Exception {
        Program p = Assembler.assemble(GoldenCases.resource("listing.asm"), "listing.asm");
        Verifier.verify(p);
        String listing = Disassembler.disassemble(p);
        if (Boolean.getBoolean("judo.golden.update")) {
            Files.writeString(Path.of("src/test/resources/golden/listing.disasm"), listing);
        }
        assertEquals(GoldenCases.resource("listing.disasm"), listing);
        Program again = Assembler.assemble(listing, "listing.disasm");
        assertArrayEquals(p.code(), again.code());
        assertEquals(p.regions(), again.regions());
        assertEquals(listing, Disassembler.disassemble(again), "disasm(asm(disasm(x))) is stable");
        Program decoded = ProgramCodec.decode(ProgramCodec.encode(p));
        assertEquals(listing, Disassembler.disassemble(decoded), "binary file round trip");
    }

    @Test
    void everySemanticsCaseRoundTrips() throws Exception {
        for (GoldenCases.Case c : GoldenCases.read("semantics.txt")) {
            Program p = Assembler.assemble(c.program(), c.name());
            Program again = Assembler.assemble(Disassembler.disassemble(p), c.name());
            assertArrayEquals(p.code(), again.code(), c.name());
        }
    }

    @Test
    void errorsPointAtTheLineAndColumn() {
        AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble("    mov r0, 1\n    frob r1, 2\n",
                "t.asm"));
        assertEquals("t.asm:2:5: unknown instruction 'frob'", e.getMessage());
        assertTrue(e.display().endsWith("    frob r1, 2\n        ^"), e.display());
        AsmException reg = assertThrows(AsmException.class, () -> Assembler.assemble("  add r16, 1\n", "t"));
        assertTrue(reg.getMessage().contains("1:7:"), reg.getMessage());
        AsmException back = assertThrows(AsmException.class, () -> Assembler.assemble(
                "top:\n  mov r0, 1\n  ja top\n  ret pass\n", "t"));
        assertTrue(back.getMessage().contains("t:3:") && back.getMessage().contains("backwards"), back.getMessage());
        AsmException undefined = assertThrows(AsmException.class, () -> Assembler.assemble("  ja nowhere\n", "t"));
        assertTrue(undefined.getMessage().contains("never defined"), undefined.getMessage());
        assertThrows(AsmException.class, () -> Assembler.assemble(".set s cidr { 10.0.0.0/33 }\n", "t"));
        assertThrows(AsmException.class, () -> ProgramCodec.decode(new byte[] {1, 2, 3}));
    }
}
