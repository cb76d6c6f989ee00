package io.judo.cli;

import io.judo.engine.PacketFilter;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.LinkType;
import io.judo.rules.SyntaxError;
import io.judo.rules.cbpf.CbpfImporter;
import io.judo.rules.pcap.FilterCompiler;
import io.judo.vm.Program;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo filter}: select packets with a tcpdump filter expression or a classic BPF program. */
@Command(name = "filter", mixinStandardHelpOptions = true,
        description = {"Select the packets of captures that a tcpdump filter expression (pcap-filter(7)) or a classic "
                + "BPF program (tcpdump -ddd output) accepts. The filter is compiled to a verified Judo program and "
                + "selects exactly the packets tcpdump selects.",
                "Without --write or --count, prints how many packets matched."},
        footer = {"", "Examples:",
                "  judo filter 'tcp port 80 and host 10.0.0.1' trace.pcap",
                "  judo filter --count 'tcp[tcpflags] & tcp-syn != 0' trace.pcap",
                "  judo filter --write web.pcap 'port 80 or 443' trace.pcap",
                "  tcpdump -r trace.pcap -ddd 'udp' > udp.bpf && judo filter --cbpf udp.bpf trace.pcap",
                "", "With several captures, one line per file, then the total (--count: FILE:COUNT per file, as grep -c).",
                "A capture of a link type the filter cannot apply to (NFLOG, as for tcpdump) is named and its packets "
                + "counted as not filtered; the other captures are still filtered.",
                "", "Exit status: 0 when every file was read and filtered, 2 for a bad expression, an unreadable "
                + "capture or one of a link type the filter does not support."})
final class FilterCommand implements Callable<Integer> {
    static final class Source {
        @Option(names = "--cbpf", paramLabel = "FILE", description = "Classic BPF program as printed by tcpdump -ddd.")
        Path cbpf;

        @Option(names = {"-e", "--expression"}, paramLabel = "EXPR", description = "The filter expression (or give it "
                + "as the first argument).")
        String expression;
    }

    @ArgGroup(exclusive = true)
    Source source = new Source();

    @Option(names = "--count", description = "Print only the number of matching packets.")
    boolean count;

    @Option(names = {"-w", "--write"}, paramLabel = "OUT", description = "Write matching packets, unchanged, to a pcap.")
    Path write;

    @Parameters(paramLabel = "ARGS", arity = "1..*",
            description = "The expression (unless -e or --cbpf is given), then one or more captures.")
    List<String> args = new ArrayList<>();

    @Option(names = "--engine", completionCandidates = Choices.VmEngines.class,
            paramLabel = "E", defaultValue = "jit", description = "interp or jit: run the "
            + "program interpreted, or compiled to JVM bytecode (default: ${DEFAULT-VALUE}; falls back to the "
            + "interpreter, with a note, if compilation fails).")
    String engine;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    WorkerOptions workerOptions;

    /** The written capture, opened at the first selected packet (a pcap file has one link type: the first's). */
    private PcapWriter writer;
    private int writerLink = -1;

    @Override
    public Integer call() throws IOException {
        if (!engine.equals("jit") && !engine.equals("interp")) {
            throw new UserError("--engine: interp or jit, got '" + engine + "'");
        }
        boolean jit = engine.equals("jit");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> rest = new ArrayList<>(args);
        java.util.function.Supplier<PacketFilter> filterMaker;
        if (source.cbpf != null) {
            Program program = cbpf(source.cbpf);
            filterMaker = () -> PacketFilter.of(program, jit);
        } else {
            String expr = source.expression != null ? source.expression : rest.remove(0);
            // Compile once up front for Ethernet so that syntax errors show before any capture is opened.
            compile(expr, LinkType.ETHERNET);
            // Per link type the compiler's own error stands: it is about that capture, not the expression.
            filterMaker = () -> new PacketFilter(linkType -> FilterCompiler.compile(expr, linkType), jit);
        }
        if (rest.isEmpty()) {
            throw new UserError("no capture given");
        }
        io.judo.engine.CaptureFilter filter = new io.judo.engine.CaptureFilter(workerOptions.count(), filterMaker);
        long matched = 0;
        long total = 0;
        int status = 0;
        List<String> results = new ArrayList<>();
        try {
            for (String name : rest) {
                io.judo.engine.CaptureFilter.Outcome outcome = filter.run(Path.of(name),
                        write == null ? null : record -> write(record, name));
                if (outcome.failure() != null) {
                    err.println("judo: " + name + ": " + (outcome.failure() instanceof NoSuchFileException
                            ? "no such file" : outcome.failure().getMessage()));
                    status = Judo.EXIT_BAD_INPUT;
                    if (!count) {
                        results.add(name + ": not read");
                    }
                    continue;
                }
                if (outcome.end() == ReadStatus.TRUNCATED) {
                    err.println("judo: warning: " + name + ": " + outcome.problem());
                } else if (outcome.end() == ReadStatus.CORRUPT) {
                    err.println("judo: " + name + ": " + outcome.problem());
                    status = Judo.EXIT_BAD_INPUT;
                }
                long fileMatched = outcome.matched();
                long fileTotal = outcome.total();
                long fileSkipped = outcome.skipped();
                String skippedWhy = outcome.skippedWhy();
                if (fileSkipped > 0) {
                    err.println("judo: " + name + ": " + (skippedWhy != null ? skippedWhy
                            : "a link type the filter cannot be compiled for") + "; " + fileSkipped
                            + " packets not filtered");
                    status = Judo.EXIT_BAD_INPUT;
                }
                matched += fileMatched;
                total += fileTotal;
                if (!count) {
                    results.add(name + ": " + (fileTotal == 0 && fileSkipped > 0 ? "not filtered"
                            : fileMatched + " of " + fileTotal + " packets matched")
                            + (fileSkipped > 0 ? ", " + fileSkipped + " packets of an unsupported link type" : ""));
                } else if (fileTotal > 0 || fileSkipped == 0) {
                    results.add(name + ":" + fileMatched);
                }
            }
        } finally {
            if (writer != null) {
                writer.close();
            } else if (write != null) {
                // Nothing matched: still leave a valid, empty capture behind, as tcpdump -w does.
                try (OutputStream o = Files.newOutputStream(write)) {
                    new PcapWriter(o, LinkType.ETHERNET, 262144, true).close();
                }
            }
        }
        boolean several = rest.size() > 1;
        if (count) {
            // as grep -c: the bare number for one file, FILE:COUNT for several
            if (several) {
                results.forEach(out::println);
            } else {
                out.println(matched);
            }
        } else if (write == null) {
            if (several) {
                results.forEach(out::println);
            }
            out.println(matched + " of " + total + " packets matched" + (several ? " in " + rest.size() + " files"
                    : ""));
        }
        String fallback = filter.jitFallback();
        if (fallback != null) {
            err.println("judo: note: the filter ran interpreted (the JIT declined: " + fallback + ")");
        }
        return status;
    }

    /**
     * Writes one selected record to {@code --write}, opening it at the first; a failed write is the user's to fix
     * (disk full, no permission), said in one line.
     */
    private void write(PacketRecord record, String name) {
        try {
            if (writer == null) {
                writerLink = record.linkType();
                writer = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(write), 1 << 20), writerLink,
                        262144, true);
            } else if (record.linkType() != writerLink) {
                throw new UserError(name + ": packet " + record.number() + " has link type "
                        + LinkType.name(record.linkType()) + " but " + write + " holds " + LinkType.name(writerLink)
                        + " (a pcap file has one link type)");
            }
            writer.write(record);
        } catch (IOException e) {
            throw new UserError(write + ": cannot write: " + RuleOptions.describe(e));
        }
    }

    private static Program compile(String expr, int linkType) {
        try {
            return FilterCompiler.compile(expr, linkType);
        } catch (SyntaxError e) {
            throw new UserError("bad filter expression, " + e.display());
        }
    }

    private static Program cbpf(Path file) {
        try {
            // Latin-1 never fails to decode, so a binary file gets the importer's format error, not a charset one.
            return CbpfImporter.importText(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": " + e.getMessage());
        } catch (SyntaxError e) {
            throw new UserError(file + ": " + e.getMessage());
        }
    }
}
