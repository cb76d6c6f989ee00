package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.asm.Assembler;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.JitTestAccess;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A program too large for one generated class (the constant pool's 65,535 entries) is split over several, and the
 * split program is still exactly the interpreter, whole and per region.
 */
class JitClassesTest {
    /** One region per rule, each with distinct constants, as the HTTP hook's 14,000 rules make one program. */
    private static Program rules(int count) {
        StringBuilder s = new StringBuilder(".default pass\n    ldm r5, dst_port\n    ldm r4, ip_proto\n");
        for (int i = 0; i < count; i++) {
            s.append(".rule ").append(1_000_000 + i).append('\n')
                    .append("    jne r4, 6, s").append(i).append('\n')
                    .append("    mov r1, r5\n    add r1, ").append(100_000 + 3 * i).append('\n')
                    .append("    jne r1, ").append(200_000 + 7 * i).append(", s").append(i).append('\n')
                    .append("    ldb r2, payload[").append(i % 40).append("]\n")
                    .append("    jeq r2, ").append(i % 256).append(", s").append(i).append('\n')
                    .append("    ret drop, ").append(1_000_000 + i).append('\n')
                    .append("s").append(i).append(":\n")
                    .append(".end\n");
        }
        s.append("    ret pass\n");
        return Assembler.assemble(s.toString(), "rules");
    }

    @Test
    void aProgramOverOneClassesLimitCompiles() throws Exception {
        VerifiedProgram v = Verifier.verify(rules(20_000));
        int[] classes = new int[1];
        JitCompiler.Result r = JitTestAccess.compile(v, new HelperTable(), 1024, 40_000,
                classes);
        assertTrue(r.compiled(), r.fallbackReason());
        assertTrue(classes[0] > 1, "split: " + classes[0]);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        JitDifferentialProperties.sameBehaviour(new Interpreter(v, JitDifferentialProperties.recording(a)), a, v,
                r.runner(), b, v, new Random(18), "20,000 rules");
    }

    @Test
    void splitAndSingleClassAgreeWithTheInterpreterOnRandomPrograms() {
        Random random = new Random(1818);
        int split = 0;
        for (int i = 0; i < 600; i++) {
            Program p = i % 2 == 0 ? RandomProgramProperties.tableProgram(random)
                    : RandomProgramProperties.loopProgram(random);
            VerifiedProgram v;
            try {
                v = Verifier.verify(p);
            } catch (io.judo.vm.verify.VerifyException e) {
                continue;
            }
            int[] classes = new int[1];
            List<String> a = new ArrayList<>();
            List<String> b = new ArrayList<>();
            // tiny chunks and a tiny class budget: nearly every chunk in its own class, jumps between classes
            JitCompiler.Result r = JitTestAccess.compile(v, JitDifferentialProperties.recording(b), 3, 1_040,
                    classes);
            assertTrue(r.compiled(), r.fallbackReason());
            split += classes[0] > 1 ? 1 : 0;
            JitDifferentialProperties.sameBehaviour(new Interpreter(v, JitDifferentialProperties.recording(a)), a, v,
                    r.runner(), b, v, random, "random " + i);
        }
        assertTrue(split > 30, "programs split: " + split);
    }
}
