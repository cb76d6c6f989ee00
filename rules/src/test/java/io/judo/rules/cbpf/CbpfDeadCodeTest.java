package io.judo.rules.cbpf;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.SyntaxError;
import io.judo.vm.verify.Verifier;
import org.junit.jupiter.api.Test;

/**
 * Classic BPF with instructions no path reaches (valid for the kernel) imports to a program the verifier accepts;
 * found by CbpfFuzzTest.
 */
class CbpfDeadCodeTest {
    @Test
    void unreachableReturnIsLeftOut() {
        // ret #65535, then a return nothing jumps to
        String text = "3\n6 0 0 65535\n6 0 0 0\n6 0 0 0";
        assertDoesNotThrow(() -> Verifier.verify(CbpfImporter.importText(text)));
    }

    @Test
    void packetLoadOnlyInDeadCodeNeedsNoRejectExit() {
        // ja over an absolute load: the load's out-of-bounds exit would be unreachable
        String text = "4\n5 0 0 1\n32 0 0 12\n6 0 0 65535\n6 0 0 0";
        assertDoesNotThrow(() -> Verifier.verify(CbpfImporter.importText(text)));
    }

    @Test
    void deadCodeIsStillChecked() {
        SyntaxError e = assertThrows(SyntaxError.class,
                () -> CbpfImporter.importText("3\n6 0 0 65535\n14 0 0 0\n6 0 0 0"));
        assertTrue(e.getMessage().contains("instruction 1"), e.getMessage());
    }
}
