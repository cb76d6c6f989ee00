package io.judo.cli;

import io.judo.vm.asm.ProgramCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo asm}: assemble and verify a program, write the binary program file. */
@Command(name = "asm", mixinStandardHelpOptions = true,
        description = "Assemble a Judo assembly file (docs/ISA.md), verify it and write the binary program (.jvm).",
        footer = {"", "Examples:", "  judo asm filter.s              writes filter.jvm",
                "  judo asm filter.s -o /tmp/f.jvm"})
final class AsmCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Assembly source.")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output file (default: FILE with .jvm).")
    Path output;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ProgramFiles.Loaded loaded = ProgramFiles.load(file);
        ProgramFiles.verify(file, loaded);
        Path out = output != null ? output : Path.of(file.toString().replaceFirst("\\.[^./]*$", "") + ".jvm");
        Files.write(out, ProgramCodec.encode(loaded.program()));
        spec.commandLine().getOut().println(out + ": " + loaded.program().length() + " instructions, verified");
        return 0;
    }
}
