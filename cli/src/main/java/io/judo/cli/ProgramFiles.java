package io.judo.cli;

import io.judo.vm.Program;
import io.judo.vm.asm.AsmException;
import io.judo.vm.asm.Assembler;
import io.judo.vm.asm.ProgramCodec;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads programs from assembly text or binary program files, turning every problem into a {@link UserError}. */
final class ProgramFiles {
    private ProgramFiles() {
    }

    /** A program and, for assembly input, the source line of each instruction. */
    record Loaded(Program program, int[] lines, String[] text) {
    }

    static Loaded load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": " + e.getMessage());
        }
        try {
            if (ProgramCodec.isProgramFile(bytes)) {
                return new Loaded(ProgramCodec.decode(bytes), null, null);
            }
            Assembler.Assembled a = Assembler.assembleWithLines(new String(bytes,
                    java.nio.charset.StandardCharsets.ISO_8859_1), file.toString());
            return new Loaded(a.program(), a.lines(), a.text());
        } catch (AsmException e) {
            throw new UserError(e.display());
        }
    }

    /** Verifies, reporting a rejection with the source line (for assembly) and a caret. */
    static VerifiedProgram verify(Path file, Loaded loaded) {
        try {
            return Verifier.verify(loaded.program());
        } catch (VerifyException e) {
            StringBuilder sb = new StringBuilder(file.toString());
            int pc = e.pc();
            if (pc >= 0 && loaded.lines() != null && loaded.lines()[pc] > 0) {
                int line = loaded.lines()[pc];
                String text = loaded.text()[line - 1];
                int col = 1;
                while (col <= text.length() && Character.isWhitespace(text.charAt(col - 1))) {
                    col++;
                }
                sb.append(':').append(line).append(':').append(col).append(": rejected: insn ").append(pc).append(": ")
                        .append(e.reason()).append("\n    ").append(text.strip()).append("\n    ^");
            } else {
                sb.append(": rejected: ").append(e.getMessage());
            }
            throw new UserError(sb.toString());
        }
    }
}
