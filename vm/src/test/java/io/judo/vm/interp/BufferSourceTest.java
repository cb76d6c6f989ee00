package io.judo.vm.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.asm.Assembler;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Buffers beyond payload and stream come from the run's {@link PacketContext.BufferSource}: a program selects one by
 * id, finds in it, and a buffer the source does not have fails the selection; the interpreter and the JIT agree.
 */
class BufferSourceTest {
    private static final byte[] URI = "/index.php?id=1".getBytes(StandardCharsets.US_ASCII);

    /** tag = buffer 7's length, mark = the index of "php" in it (or -1), queue = whether buffer 9 exists. */
    private static VerifiedProgram program() throws Exception {
        return Verifier.verify(Assembler.assemble("""
                .default pass
                .string php "php"
                    mov r1, 7
                    call buffer
                    stm tag, r0
                    mov r1, @php
                    mov r2, 0
                    mov r3, 1000
                    mov r4, 0
                    call find
                    stm mark, r0
                    mov r1, 9
                    call buffer
                    stm queue, r0
                    ret pass
                """, "source"));
    }

    @Test
    void aSourceSuppliesTheBuffersItHasAndOnlyThose() throws Exception {
        VerifiedProgram v = program();
        List<ProgramRunner> runners = new ArrayList<>();
        runners.add(new Interpreter(v, BufferOps.bind(new HelperTable(), v.program())));
        JitCompiler.Result jit = JitCompiler.compile(v, BufferOps.bind(new HelperTable(), v.program()));
        assertTrue(jit.compiled(), jit.fallbackReason());
        runners.add(jit.runner());
        byte[] frame = new byte[60];
        byte[] padded = new byte[URI.length + 3];
        System.arraycopy(URI, 0, padded, 3, URI.length);
        int[] asked = new int[16];
        for (ProgramRunner r : runners) {
            PacketContext c = new PacketContext().bind(ByteBuffer.wrap(frame), 0, frame.length, frame.length);
            c.buffers((id, ctx) -> {
                asked[id]++;
                if (id != 7) {
                    return false;
                }
                ctx.selectBytes(padded, 3, URI.length);
                return true;
            });
            r.run(c);
            assertEquals(URI.length, c.tag(), r.getClass().getSimpleName());
            assertEquals(7, c.mark(), "index of php");
            assertEquals(-1, c.queue(), "buffer 9 is absent");
            // after bind the source is gone: buffer 7 no longer exists
            c.bind(ByteBuffer.wrap(frame), 0, frame.length, frame.length);
            r.run(c);
            assertEquals(-1, c.tag());
        }
        assertEquals(2, asked[7], "asked once per run that had the source");
        assertEquals(2, asked[9]);
    }
}
