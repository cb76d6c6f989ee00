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
        } catch (AsmException e) {
            throw new UserError(e.display());
        }
        // Name what a file is rather than echo its bytes in an assembler error.
        String kind = io.judo.rules.TextFiles.binaryKind(bytes);
        if (kind != null) {
            throw new UserError(file + " is " + kind + ", not a judo program");
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            Assembler.Assembled a = Assembler.assembleWithLines(text, file.toString());
            return new Loaded(a.program(), a.lines(), a.text());
        } catch (AsmException e) {
            String rules = rulesIn(text, file.toString());
            if (rules != null) {
                throw new UserError(file + " is " + rules + ", not a judo program: judo compile --rules " + file
                        + " --disasm prints the program it compiles to");
            }
            throw new UserError(e.display());
        }
    }

    /** "Suricata/Snort rules" or "a judo policy" when the text parses as one without errors, else null. */
    private static String rulesIn(String text, String name) {
        try {
            io.judo.rules.judo.JudoParser.Result judo = io.judo.rules.judo.JudoParser.parse(text, name);
            if (judo.errors().isEmpty() && !judo.policy().rules().isEmpty()) {
                return "a judo policy";
            }
            io.judo.rules.suricata.RuleLoader suricata = new io.judo.rules.suricata.RuleLoader(
                    io.judo.rules.suricata.Variables.defaults(), null, false).load(text, name);
            if (suricata.errors().isEmpty() && !suricata.rules().isEmpty()) {
                return "Suricata/Snort rules";
            }
        } catch (RuntimeException e) {
            // not rules either: the assembler's own error says what is wrong
        }
        return null;
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
