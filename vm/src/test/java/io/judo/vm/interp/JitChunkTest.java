package io.judo.vm.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.Program;
import io.judo.vm.asm.Assembler;
import io.judo.vm.verify.Verifier;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

/**
 * The JIT's chunking keeps every generated method under HotSpot's 8,000-byte compile limit, whatever the
 * instruction mix (its size estimate is checked against the bytes ASM actually wrote), and still runs the program.
 */
class JitChunkTest {
    /** The heaviest instructions in a long run: indexed loads, address-set and integer-set jumps, helper calls. */
    private static Program heavy(int blocks) {
        StringBuilder s = new StringBuilder(".default pass\n.set web int { 80, 443 }\n.set nets cidr { 10.0.0.0/8 }\n");
        s.append("    mov r1, 0\n    mov r2, 0\n    mov r3, 0\n    mov r4, 0\n    mov r5, 0\n    mov r7, 0\n");
        for (int i = 0; i < blocks; i++) {
            s.append("    ldm r3, dst_port\n")
                    .append("    ldb r4, payload[r3 - 2]\n")
                    .append("    ldw r6, l3[12]\n")
                    .append("    jin r3, @web, w").append(i).append('\n')
                    .append("w").append(i).append(":\n")
                    .append("    jaddr dst, @nets, n").append(i).append('\n')
                    .append("n").append(i).append(":\n")
                    .append("    mov r1, 1\n    call log\n")
                    .append("    add r7, r6\n    jeq r7, 12345, out\n");
        }
        s.append("out:\n    ret pass\n");
        return Assembler.assemble(s.toString(), "heavy");
    }

    /** Header rules as the pf compiler writes them: tests on registers, each failing to the next rule. */
    private static Program light(int rules) {
        StringBuilder s = new StringBuilder(".default pass\n    ldm r4, ip_proto\n    ldm r5, dst_port\n    mov r2, 0\n"
                + "    mov r3, 0\n    mov r6, 1\n");
        for (int i = 0; i < rules; i++) {
            s.append("    jne r4, 6, r").append(i).append('\n')
                    .append("    mov r1, r2\n    and32 r1, 0xffff0000\n    jne32 r1, ").append(i).append(", r").append(i)
                    .append('\n')
                    .append("    jlt r5, 80, r").append(i).append("\n    jgt r5, 90, r").append(i).append('\n')
                    .append("    mov r6, 2\n")
                    .append("r").append(i).append(":\n");
        }
        s.append("    retr r6\n");
        return Assembler.assemble(s.toString(), "light");
    }

    /** Every block jumps to its own label at the program's end: a continuation stub per target in every chunk. */
    private static Program scattered(int blocks) {
        StringBuilder s = new StringBuilder(".default pass\n    ldm r5, dst_port\n");
        for (int i = 0; i < 16; i++) {
            s.append("    mov r").append(i == 5 ? 0 : i).append(", ").append(i).append('\n');
        }
        for (int i = 0; i < 10; i++) {
            s.append("    mov r9, ").append(i).append("\n    stmem M[").append(i).append("], r9\n");
        }
        for (int i = 0; i < blocks; i++) {
            s.append("    add r").append(i % 16 == 5 ? 6 : i % 16).append(", 1\n    jeq r5, ").append(i).append(", x")
                    .append(i).append('\n');
        }
        s.append("    ret pass\n");
        for (int i = 0; i < blocks; i++) {
            s.append("x").append(i).append(":\n    ret drop, ").append(i + 1).append('\n');
        }
        return Assembler.assemble(s.toString(), "scattered");
    }

    /** Each method's code_length, read from the class file's method table. */
    private static Map<String, Integer> methodSizes(byte[] classBytes) {
        ClassReader r = new ClassReader(classBytes);
        char[] buf = new char[r.getMaxStringLength()];
        int at = r.header + 6;
        at += 2 + 2 * r.readUnsignedShort(at); // interfaces
        int fields = r.readUnsignedShort(at);
        at += 2;
        for (int i = 0; i < fields; i++) {
            at = skipAttributes(r, at + 6);
        }
        Map<String, Integer> sizes = new HashMap<>();
        int methods = r.readUnsignedShort(at);
        at += 2;
        for (int i = 0; i < methods; i++) {
            String name = r.readUTF8(at + 2, buf);
            int attributes = r.readUnsignedShort(at + 6);
            at += 8;
            for (int k = 0; k < attributes; k++) {
                if (r.readUTF8(at, buf).equals("Code")) {
                    sizes.put(name, r.readInt(at + 6 + 4));
                }
                at += 6 + r.readInt(at + 2);
            }
        }
        return sizes;
    }

    private static int skipAttributes(ClassReader r, int at) {
        int n = r.readUnsignedShort(at);
        at += 2;
        for (int k = 0; k < n; k++) {
            at += 6 + r.readInt(at + 2);
        }
        return at;
    }

    @Test
    void lightProgramsToo() throws Exception {
        everyMethodStaysUnderHotSpotsCompileLimit(light(2_000));
    }

    @Test
    void programsWithManyFarTargets() throws Exception {
        everyMethodStaysUnderHotSpotsCompileLimit(scattered(3_000));
    }

    @Test
    void heavyPrograms() throws Exception {
        everyMethodStaysUnderHotSpotsCompileLimit(heavy(2_000));
    }

    private static void everyMethodStaysUnderHotSpotsCompileLimit(Program p) throws Exception {
        byte[] bytes = JitCompiler.generate(p, JitCompiler.chunkOf(p, JitCompiler.CHUNK));
        Map<String, Integer> sizes = methodSizes(bytes);
        int largest = sizes.values().stream().max(Integer::compare).orElseThrow();
        assertTrue(largest < 8_000, "largest method " + largest + " bytes: " + sizes);
        assertTrue(largest > JitCompiler.CHUNK_BYTES / 3, "chunks are filled, not cut short: " + largest);
        JitCompiler.Result r = JitCompiler.compile(Verifier.verify(p), new HelperTable());
        assertTrue(r.compiled(), r.fallbackReason());
        PacketContext ctx = new PacketContext().bind(java.nio.ByteBuffer.wrap(new byte[60]), 0, 60, 60);
        assertEquals(new Interpreter(Verifier.verify(p), new HelperTable()).run(ctx), r.runner().run(ctx));
    }

    /** Straight-line filler with a small loop every 40 instructions: the chunks' cuts fall inside loops often. */
    private static Program loops(int count) {
        StringBuilder s = new StringBuilder(".default pass\n    mov r0, 0\n    mov r1, 0\n");
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < 30; k++) {
                s.append("    add r0, ").append(k).append('\n');
            }
            s.append("    mov r1, 0\nt").append(i).append(":\n");
            for (int k = 0; k < 6; k++) {
                s.append("    xor r0, ").append(k + i).append('\n');
            }
            s.append("    add r1, 1\n    jeq r1, 3, e").append(i).append("\n    jloop t").append(i).append("\ne")
                    .append(i).append(":\n");
        }
        s.append("    retr r0\n");
        return Assembler.assemble(s.toString(), "loops");
    }

    @Test
    void smallLoopsStayInOneChunk() throws Exception {
        Program p = loops(300);
        int[] chunkOf = JitCompiler.chunkOf(p, JitCompiler.CHUNK);
        int loopsSeen = 0;
        for (int pc = 0; pc < p.length(); pc++) {
            if (io.judo.vm.Opcode.isLoop(io.judo.vm.Insn.op(p.insn(pc)))) {
                int head = io.judo.vm.Opcode.jumpTarget(p.insn(pc), pc);
                assertEquals(chunkOf[head], chunkOf[pc], "loop " + head + "-" + pc + " split");
                loopsSeen++;
            }
        }
        assertEquals(300, loopsSeen);
        assertTrue(chunkOf[p.length() - 1] > 3, "the program spans several chunks");
        int[] tiny = JitCompiler.chunkOf(p, 5); // loops of 10 cannot fit: split, and still run right
        assertTrue(tiny[p.length() - 1] > 1000);
        for (int most : new int[] {5, 12, JitCompiler.CHUNK}) {
            JitCompiler.Result r = JitCompiler.compile(Verifier.verify(p), new HelperTable(), most);
            assertTrue(r.compiled(), r.fallbackReason());
            for (long fuel : new long[] {PacketContext.DEFAULT_FUEL, 100, 7}) {
                PacketContext a = new PacketContext().fuelLimit(fuel).bind(java.nio.ByteBuffer.wrap(new byte[60]), 0,
                        60, 60);
                PacketContext b = new PacketContext().fuelLimit(fuel).bind(java.nio.ByteBuffer.wrap(new byte[60]), 0,
                        60, 60);
                assertEquals(new Interpreter(Verifier.verify(p), new HelperTable()).run(a), r.runner().run(b));
                assertEquals(a.fuelExhausted(), b.fuelExhausted());
                assertEquals(a.fuel(), b.fuel());
            }
        }
        everyMethodStaysUnderHotSpotsCompileLimit(p);
    }
}
