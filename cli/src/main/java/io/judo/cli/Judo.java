package io.judo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code judo} command. */
@Command(name = "judo",
        mixinStandardHelpOptions = true,
        versionProvider = Judo.Version.class,
        description = {"Judo: a packet-processing virtual machine for deep packet inspection and rewriting.", ""},
        footer = {"", "Examples:",
                "  judo scan                      run on the bundled demo capture",
                "  judo scan --json trace.pcap    summary of a capture as JSON",
                "  judo filter 'tcp port 80' trace.pcap   count packets a tcpdump expression selects",
                "  judo scan --help               options of one command"})
public final class Judo implements Runnable {
    /** Exit status for bad input: unreadable files, not a capture, bad options. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status after SIGINT or SIGTERM stopped a command that still wrote its outputs and summary (128 + 2). */
    public static final int EXIT_INTERRUPTED = 130;

    /**
     * The subcommands, in the order {@code judo --help} lists them. They are added when a run starts rather than named
     * in the annotation: picocli builds a command's model by reflection over its options at every start (the
     * class-data archive keeps classes, not models), and building all fifteen took most of the CLI's start-up, so a
     * run whose first argument names a subcommand builds that one alone ({@link #commandLine}).
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ScanCommand.class, SuricataCommand.class,
            InlineCommand.class, RulesCommand.class, CompileCommand.class, JournalCommand.class, FilterCommand.class,
            GrepCommand.class, StreamsCommand.class, HttpCommand.class, AsmCommand.class, DisasmCommand.class,
            VerifyCommand.class, GenerateCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Signals.processWide = true;
        int status = execute(args, out, err);
        // Autoflush covers println only; a command that ends with print must still reach the terminal.
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs the command with the given streams and returns the exit status (used by tests in-process). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = commandLine(args);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler((ex, a) -> {
            // one line, as every usage error: the problem, then where the options are listed
            err.println("judo: " + ex.getMessage() + " (see judo " + commandPath(ex.getCommandLine()) + "--help)");
            return EXIT_BAD_INPUT;
        });
        // Values picocli's types cannot check (a word from a fixed set, a sign) are usage errors too, found before
        // the command starts.
        cmd.setExecutionStrategy(parsed -> {
            OptionChecks.check(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UserError || ex instanceof io.judo.engine.output.OutputException) {
                err.println("judo: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            // A bug, not bad input: say so plainly, with the trace for a report.
            err.println("judo: internal error: " + ex);
            ex.printStackTrace(err);
            return 70;
        });
        return cmd.execute(args);
    }

    /**
     * The command line for {@code args}: with the subcommand {@code args[0]} names alone, when it names one other
     * than {@code help}; with none for {@code -V} or {@code --version} alone (the version lists no subcommand, and
     * building all fifteen models was most of its time), or only the one named after it; else with every subcommand
     * (the top-level help lists them, {@code help} shows any, and an unknown name is an error against the whole list).
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cmd = new CommandLine(new Judo());
        boolean version = args.length > 0 && (args[0].equals("-V") || args[0].equals("--version"));
        int named = version ? 1 : 0;
        Class<?> only = null;
        if (args.length > named) {
            for (Class<?> c : SUBCOMMANDS) {
                if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[named])) {
                    only = c;
                }
            }
        }
        List<Class<?>> build = only != null ? List.of(only) : version && args.length == 1 ? List.of() : SUBCOMMANDS;
        for (Class<?> c : build) {
            cmd.addSubcommand(c); // under the name its annotation gives
        }
        return cmd;
    }

    private static String commandPath(CommandLine c) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine p = c; p != null && p.getParent() != null; p = p.getParent()) {
            sb.insert(0, p.getCommandName() + " ");
        }
        return sb.toString();
    }

    /** Reads the version Maven filtered into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Judo.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"judo " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
