package io.judo.cli;

import io.judo.engine.PacketFilter;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
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

    /** One worker's pass over one capture: its share of the records, counted and, when writing, selected. */
    private static final class Pass {
        long matched;
        long total;
        long skipped;
        String skippedWhy;
        ReadStatus end;
        String problem;
        /** Why the capture could not be read at all (not a capture, no such file), or null. */
        IOException failure;
    }

    /** Told of each selected record, in capture order within a worker's share, with its ordinal in the capture. */
    @FunctionalInterface
    private interface Selected {
        void record(PacketRecord record, long ordinal);
    }

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
        int workers = workerOptions.count();
        // A filter runs its programs with per-thread state: one per worker.
        List<PacketFilter> filters = new ArrayList<>();
        // Link types the filter cannot be compiled for (NFLOG, ...): their packets are counted, not filtered.
        List<java.util.BitSet> unfilterable = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            filters.add(filterMaker.get());
            unfilterable.add(new java.util.BitSet());
        }
        long matched = 0;
        long total = 0;
        int status = 0;
        List<String> results = new ArrayList<>();
        try {
            for (String name : rest) {
                Pass[] passes = new Pass[workers];
                if (workers == 1) {
                    passes[0] = pass(name, 0, 1, filters.get(0), unfilterable.get(0),
                            write == null ? null : (record, ordinal) -> write(record, name));
                } else {
                    // Each worker reads the capture and filters every workers-th record; the written capture keeps
                    // the input's order: the workers mark the records they select, one pass then copies those.
                    java.util.BitSet[] selected = new java.util.BitSet[workers];
                    List<Integer> others = new ArrayList<>();
                    for (int w = 0; w < workers; w++) {
                        selected[w] = new java.util.BitSet();
                        if (w > 0) {
                            others.add(w);
                        }
                    }
                    io.judo.engine.worker.Threads threads = new io.judo.engine.worker.Threads(others,
                            "judo-filter-worker", w -> passes[w] = pass(name, w, workers, filters.get(w),
                            unfilterable.get(w), write == null ? null : (r, ordinal) -> selected[w].set((int) ordinal)));
                    passes[0] = pass(name, 0, workers, filters.get(0), unfilterable.get(0),
                            write == null ? null : (r, ordinal) -> selected[0].set((int) ordinal));
                    threads.join();
                    if (write != null && passes[0].failure == null) {
                        for (int w = 1; w < workers; w++) {
                            selected[0].or(selected[w]);
                        }
                        copy(name, selected[0]);
                    }
                }
                Pass first = passes[0];
                if (first.failure != null) {
                    err.println("judo: " + name + ": " + (first.failure instanceof NoSuchFileException
                            ? "no such file" : first.failure.getMessage()));
                    status = Judo.EXIT_BAD_INPUT;
                    if (!count) {
                        results.add(name + ": not read");
                    }
                    continue;
                }
                // every worker read the same records: the first one's end stands for all
                if (first.end == ReadStatus.TRUNCATED) {
                    err.println("judo: warning: " + name + ": " + first.problem);
                } else if (first.end == ReadStatus.CORRUPT) {
                    err.println("judo: " + name + ": " + first.problem);
                    status = Judo.EXIT_BAD_INPUT;
                }
                long fileMatched = 0;
                long fileTotal = 0;
                long fileSkipped = 0;
                String skippedWhy = null;
                for (Pass p : passes) {
                    fileMatched += p.matched;
                    fileTotal += p.total;
                    fileSkipped += p.skipped;
                    skippedWhy = skippedWhy != null ? skippedWhy : p.skippedWhy;
                }
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
        String fallback = filters.get(0).jitFallback();
        if (fallback != null) {
            err.println("judo: note: the filter ran interpreted (the JIT declined: " + fallback + ")");
        }
        return status;
    }

    /**
     * Filters worker {@code worker}'s share of capture {@code name} (records whose ordinal is {@code worker} modulo
     * {@code workers}: a filter looks at one packet at a time, so any split is exact), telling {@code selected}
     * (if given) of each record it selects. Never throws for the capture's content: the outcome is in the pass.
     */
    private static Pass pass(String name, int worker, int workers, PacketFilter filter, java.util.BitSet unfilterable,
            Selected selected) {
        Pass p = new Pass();
        PacketRecord record = new PacketRecord();
        try (CaptureReader reader = Captures.open(Path.of(name))) {
            ReadStatus s;
            long ordinal = -1;
            while ((s = reader.next(record)) == ReadStatus.RECORD) {
                if (++ordinal % workers != worker) {
                    continue;
                }
                if (unfilterable.get(record.linkType())) {
                    p.skipped++;
                    continue;
                }
                boolean match;
                try {
                    match = filter.matches(record);
                } catch (SyntaxError e) {
                    // The expression compiled for Ethernet up front: this is about the file's link type.
                    unfilterable.set(record.linkType());
                    p.skipped++;
                    p.skippedWhy = e.getMessage();
                    continue;
                }
                p.total++;
                if (match) {
                    p.matched++;
                    if (selected != null) {
                        selected.record(record, ordinal);
                    }
                }
            }
            p.end = s;
            p.problem = reader.problem();
        } catch (IOException e) { // not a capture, no such file, unreadable: the capture's failure, not the output's
            p.failure = e;
        }
        return p;
    }

    /** Writes the records of capture {@code name} whose ordinals are in {@code selected}, in capture order. */
    private void copy(String name, java.util.BitSet selected) throws IOException {
        PacketRecord record = new PacketRecord();
        try (CaptureReader reader = Captures.open(Path.of(name))) {
            long ordinal = -1;
            int next = selected.nextSetBit(0);
            while (next >= 0 && reader.next(record) == ReadStatus.RECORD) {
                if (++ordinal == next) {
                    write(record, name);
                    next = selected.nextSetBit(next + 1);
                }
            }
        }
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
