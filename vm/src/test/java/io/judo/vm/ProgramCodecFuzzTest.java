package io.judo.vm;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.vm.asm.AsmException;
import io.judo.vm.asm.ProgramCodec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary bytes as a {@code .jvm} program file (most of them behind the right magic, so the fuzzer gets past it):
 * decoding gives a program or an {@link AsmException}, and a decoded program encodes back to bytes that decode to
 * the same encoding. Anything else thrown is a finding. Every build fuzzes this for 10 s (vm/pom.xml);
 * docs/TESTING.md has the long run. {@link VerifierFuzzTest} takes the decoded programs on through the verifier.
 */
class ProgramCodecFuzzTest {
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void programFilesDecodeOrFailWithAnAsmError(FuzzedDataProvider data) {
        byte[] bytes = VerifierFuzzTest.programFile(data);
        Program p;
        try {
            p = ProgramCodec.decode(bytes);
        } catch (AsmException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new IllegalStateException("decode error without a message", e);
            }
            return;
        }
        byte[] again = ProgramCodec.encode(p);
        if (!Arrays.equals(again, ProgramCodec.encode(ProgramCodec.decode(again)))) {
            throw new IllegalStateException("encode/decode does not round-trip");
        }
    }
}
