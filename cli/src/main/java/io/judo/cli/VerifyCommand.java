package io.judo.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo verify}: run the verifier and report. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a program (assembly or .jvm): forward jumps (jloop: backward, in its rule), "
                + "reachability, registers written before read, pool indices and helper argument types. Exit status 0 "
                + "when accepted, 2 when rejected.",
        footer = {"", "Example:", "  judo verify filter.s"})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Program file (.jvm) or assembly.")
    Path file;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ProgramFiles.Loaded loaded = ProgramFiles.load(file);
        ProgramFiles.verify(file, loaded);
        spec.commandLine().getOut().println(file + ": ok (" + loaded.program().length() + " instructions)");
        return 0;
    }
}
