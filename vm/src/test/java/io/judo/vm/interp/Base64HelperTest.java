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
 * The {@code base64_decode} and {@code base64_restore} helpers: the decoded bytes replace the selection (find and
 * byte_read read them), restore brings the buffer back, nothing decoded leaves the selection; interpreter and JIT
 * alike.
 */
class Base64HelperTest {
    /**
     * Buffer 7 is {@code xx} + base64("Hello World") + {@code !}; decodes from index 2 to 40 (clamped): tag = the
     * decoded length, mark = "World" in it, queue = the length after restore, prio = "xx" found after restore.
     */
    private static VerifiedProgram program(int from) throws Exception {
        return Verifier.verify(Assembler.assemble("""
                .default pass
                .string world "World"
                .string xx "xx"
                    mov r1, 7
                    call buffer
                    mov r1, %d
                    mov r2, 40
                    call base64_decode
                    stm tag, r0
                    mov r1, @world
                    mov r2, 0
                    mov r3, 1000
                    mov r4, 0
                    call find
                    stm mark, r0
                    call base64_restore
                    stm queue, r0
                    mov r1, @xx
                    mov r2, 0
                    mov r3, 1000
                    mov r4, 0
                    call find
                    stm prio, r0
                    ret pass
                """.formatted(from), "b64"));
    }

    private static List<PacketContext> run(VerifiedProgram v) {
        byte[] data = ("xx" + java.util.Base64.getEncoder().encodeToString(
                "Hello World".getBytes(StandardCharsets.US_ASCII)) + "!").getBytes(StandardCharsets.US_ASCII);
        List<ProgramRunner> runners = new ArrayList<>();
        runners.add(new Interpreter(v, BufferOps.bind(new HelperTable(), v.program())));
        JitCompiler.Result jit = JitCompiler.compile(v, BufferOps.bind(new HelperTable(), v.program()));
        assertTrue(jit.compiled(), jit.fallbackReason());
        runners.add(jit.runner());
        List<PacketContext> out = new ArrayList<>();
        byte[] frame = new byte[60];
        for (ProgramRunner r : runners) {
            PacketContext c = new PacketContext().bind(ByteBuffer.wrap(frame), 0, frame.length, frame.length);
            c.buffers((id, ctx) -> {
                if (id != 7) {
                    return false;
                }
                ctx.selectBytes(data, 0, data.length);
                return true;
            });
            r.run(c);
            out.add(c);
        }
        return out;
    }

    @Test
    void decodedBytesAreSelectedUntilRestored() throws Exception {
        for (PacketContext c : run(program(2))) {
            assertEquals(11, c.tag(), "Hello World");
            assertEquals(6, c.mark(), "find reads the decoded bytes");
            assertEquals(19, c.queue(), "restore selects the buffer again");
            assertEquals(0, c.prio(), "and find reads it again");
        }
    }

    @Test
    void nothingDecodedLeavesTheSelection() throws Exception {
        for (PacketContext c : run(program(18))) {
            assertEquals(-1, c.tag(), "from the '!': nothing decodes");
            assertEquals(-1, c.mark(), "the buffer is still selected, and has no literal World");
            assertEquals(-1, c.queue(), "no decoded data to restore from");
            assertEquals(0, c.prio(), "the selection never changed");
        }
    }
}
