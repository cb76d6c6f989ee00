package io.judo.cli;

import io.judo.vm.asm.Disassembler;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo disasm}: print a program as assembly text. */
@Command(name = "disasm", mixinStandardHelpOptions = true,
        description = "Print a binary program (.jvm) or assembly file as assembly text; judo asm reads it back to the "
                + "same program.",
        footer = {"", "Example:", "  judo disasm filter.jvm"})
final class DisasmCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Program file (.jvm) or assembly.")
    Path file;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(Disassembler.disassemble(ProgramFiles.load(file).program()));
        return 0;
    }
}
