package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.rules.ir.ByteKeywordVectorsTest;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.ReferenceChain;
import java.util.List;

/**
 * Every hand-checked byte keyword vector (Suricata's documentation examples and the forms around them) again, on the
 * chain compiler's VM code in the interpreter and the JIT: each expected outcome must come out of the VM, and the
 * reference evaluator must agree with it.
 */
class ByteKeywordVectorsVmTest extends ByteKeywordVectorsTest {
    @Override
    protected boolean evaluate(List<Inspect> chain, byte[] payload) {
        try {
            boolean vm = new ChainHarness(chain).matches(payload);
            assertEquals(ReferenceChain.matches(chain, payload), vm, "VM vs reference");
            return vm;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
