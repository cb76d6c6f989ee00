package io.judo.cli;

import io.judo.matcher.Engine;
import io.judo.matcher.MatcherException;
import io.judo.matcher.Pattern;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.PatternFlag;
import io.judo.matcher.Scanner;
import io.judo.matcher.StreamState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo grep}: multi-pattern regex search over files, Hyperscan semantics. */
@Command(name = "grep", mixinStandardHelpOptions = true,
        description = {"Search files for many patterns at once (PCRE syntax, as IDS rules write them) with Hyperscan "
                + "or the pure-Java DFA. Prints one line per match: PATTERN_INDEX<TAB>END_OFFSET (with --som: "
                + "PATTERN_INDEX<TAB>START<TAB>END), sorted by end offset, then pattern index.",
                "Every end offset at which a pattern matches is reported once, overlapping matches included "
                        + "(Hyperscan's semantics, not grep's leftmost-longest). END_OFFSET is just past the last "
                        + "byte. Patterns are numbered from 0: the -e options first, then the lines of -f files.",
                "Exit status: 0 when something matched, 1 when nothing did, 2 for a bad pattern or file."},
        footer = {"", "Examples:",
                "  judo grep -e 'attack' -e 'GET /[a-z]+\\.php' access.log",
                "  judo grep -i --count -f patterns.txt dump.bin",
                "  judo grep --engine dfa --som -e 'evil\\.example\\.com' capture.raw",
                "  judo grep --pcap -i -e 'Server: Apache' trace.pcap     search reassembled TCP streams"})
final class GrepCommand implements Callable<Integer> {
    private static final int CHUNK = 1 << 20;

    @Option(names = "-e", paramLabel = "PATTERN", description = "A pattern (repeatable).")
    List<String> expressions = new ArrayList<>();

    @Option(names = "-f", paramLabel = "FILE", description = "A file of patterns, one per line (repeatable).")
    List<Path> patternFiles = new ArrayList<>();

    @Option(names = "-i", description = "Every pattern is caseless.")
    boolean caseless;

    @Option(names = "--engine", completionCandidates = Choices.Matchers.class,
            paramLabel = "ENGINE", description = "hyperscan, dfa or auto (default: auto, which "
            + "uses Hyperscan where it loads).")
    String engine = "auto";

    @Option(names = "--count", description = "Print per-pattern match counts (PATTERN_INDEX<TAB>COUNT) instead.")
    boolean count;

    @Option(names = "--som", description = "Report start offsets too (leftmost start of each match).")
    boolean som;

    @Option(names = "--cache", paramLabel = "DIR", description = "Keep compiled Hyperscan databases in DIR, keyed by "
            + "the SHA-256 of the pattern set, and load them from there next time.")
    Path cache;

    @Option(names = "--pcap", description = "The files are captures: search each reassembled TCP stream direction "
            + "and prefix every line with its name (SRCIP.SRCPORT-DSTIP.DSTPORT, as judo streams names files); "
            + "--checksum-validation decides which segments count, as for judo scan.")
    boolean pcap;

    @picocli.CommandLine.Mixin
    ChecksumOptions checksums;

    @picocli.CommandLine.Mixin
    WorkerOptions workerOptions;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to search.")
    List<Path> files = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Engine e = Engine.named(engine);
        if (e == null) {
            throw new UserError("--engine: expected hyperscan, dfa or auto, got '" + engine + "'");
        }
        List<String> sources = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String x : expressions) {
            texts.add(x);
            sources.add("-e '" + x + "'");
        }
        for (Path f : patternFiles) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
            } catch (NoSuchFileException ex) {
                throw new UserError(f + ": no such file");
            }
            for (int i = 0; i < lines.size(); i++) {
                texts.add(lines.get(i));
                sources.add(f + ":" + (i + 1));
            }
        }
        if (texts.isEmpty()) {
            throw new UserError("no pattern given (use -e PATTERN or -f FILE)");
        }
        Set<PatternFlag> flags = EnumSet.noneOf(PatternFlag.class);
        if (caseless) {
            flags.add(PatternFlag.CASELESS);
        }
        if (som) {
            flags.add(PatternFlag.SOM);
        }
        List<Pattern> patterns = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isEmpty()) {
                throw new UserError("pattern " + i + " (" + sources.get(i) + ") is empty");
            }
            patterns.add(new Pattern(i, texts.get(i), flags));
        }
        PatternDatabase db;
        try {
            db = e.compile(patterns, cache);
        } catch (MatcherException ex) {
            int i = ex.patternId();
            throw new UserError((i >= 0 ? "pattern " + i + " (" + sources.get(i) + ")" : "patterns")
                    + (ex.column() > 0 ? ", column " + ex.column() : "") + ": "
                    + ex.getMessage().replaceFirst("^pattern -?\\d+(, column \\d+)?: ", ""));
        } catch (IllegalStateException ex) {
            throw new UserError(ex.getMessage());
        }
        if (!pcap && workerOptions.workers != null && workerOptions.count() > 1) {
            throw new UserError("--workers: with --pcap (a plain file is one stream, searched by one thread)");
        }
        int workers = pcap ? workerOptions.count() : 1;
        long[] counts = new long[patterns.size()];
        long total = 0;
        int status = 0;
        boolean prefix = files.size() > 1;
        List<Scanner> scanners = new ArrayList<>();
        try (db) {
            for (int i = 0; i < workers; i++) {
                scanners.add(db.scanner());
            }
            Scanner scanner = scanners.get(0);
            for (Path file : files) {
                try {
                    total += pcap ? scanCapture(file, scanners, counts, prefix ? file + ":" : "", out, err)
                            : scan(file, scanner, counts, prefix ? file + ":" : "", out);
                } catch (NoSuchFileException ex) {
                    err.println("judo: " + file + ": no such file");
                    status = Judo.EXIT_BAD_INPUT;
                } catch (IOException ex) {
                    err.println("judo: " + file + ": " + ex.getMessage());
                    status = Judo.EXIT_BAD_INPUT;
                }
            }
        } finally {
            scanners.forEach(Scanner::close);
        }
        if (count) {
            for (int i = 0; i < counts.length; i++) {
                out.println(i + "\t" + counts[i]);
            }
        }
        out.flush();
        return status != 0 ? status : total > 0 ? 0 : 1;
    }

    /** Streams one file through the scanner chunk by chunk; prints (or counts) each chunk's matches in order. */
    private long scan(Path file, Scanner scanner, long[] counts, String prefix, PrintWriter out) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        List<long[]> hits = new ArrayList<>();
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            StreamState stream = scanner.openStream();
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                scanner.scan(stream, buf, 0, n, (id, start, end) -> hits.add(new long[] {end, id, start}));
                total += flush(hits, counts, prefix, out);
            }
            scanner.close(stream, (id, start, end) -> hits.add(new long[] {end, id, start}));
            total += flush(hits, counts, prefix, out);
        }
        return total;
    }

    /**
     * Reassembles the capture's TCP streams and scans each direction as its bytes are delivered; the matcher's
     * stream state lives in the flow's slots, so matches span segments. With several scanners, one worker per
     * scanner, flows sharded over them: a stream's lines keep their order, streams of different workers interleave.
     */
    private long scanCapture(Path file, List<Scanner> scanners, long[] counts, String prefix, PrintWriter out,
                             PrintWriter err) throws IOException {
        int workers = scanners.size();
        long[][] workerCounts = new long[workers][counts.length];
        long[] totals = new long[workers];
        // Checksums as judo scan and judo streams treat them (auto: per capture), so all three see the same streams.
        io.judo.engine.ChecksumMode mode = checksums.mode();
        boolean validateAtAll = mode != io.judo.engine.ChecksumMode.OFF;
        io.judo.engine.StreamTaps taps = new io.judo.engine.StreamTaps(workers, w -> {
            Scanner scanner = scanners.get(w);
            List<long[]> hits = new ArrayList<>();
            io.judo.reassembly.StreamSink sink = new io.judo.reassembly.StreamSink() {
                @Override
                public void data(io.judo.reassembly.Flow flow, int direction, long offset, byte[] data, int from,
                                 int length) {
                    StreamState s = state(flow, direction, scanner);
                    scanner.scan(s, ByteBuffer.wrap(data, from, length), from, length,
                            (id, start, end) -> hits.add(new long[] {end, id, start}));
                    totals[w] += flush(hits, workerCounts[w], prefix + name(flow, direction) + "\t", out);
                }
            };
            java.util.function.Consumer<io.judo.reassembly.Flow> onEnd = flow -> {
                for (int d = 0; d < 2; d++) {
                    if (flow.slot(d) != null) {
                        scanner.close((StreamState) flow.slot(d),
                                (id, start, end) -> hits.add(new long[] {end, id, start}));
                        totals[w] += flush(hits, workerCounts[w], prefix + name(flow, d) + "\t", out);
                    }
                }
            };
            // The default stream policy and its fragment policy, as judo scan and judo streams reassemble by default.
            return new io.judo.engine.StreamTap(io.judo.reassembly.StreamConfig.defaults(), null, validateAtAll, sink,
                    onEnd);
        });
        boolean validate = StreamsCommand.decide(mode, file).validate();
        String[] problem = new String[1];
        taps.run((tap, w) -> {
            try (io.judo.packet.capture.CaptureReader reader = io.judo.packet.capture.Captures.open(file)) {
                io.judo.packet.capture.ReadStatus st = tap.read(reader, validate);
                if (w == 0 && st != io.judo.packet.capture.ReadStatus.END) {
                    problem[0] = reader.problem(); // every worker reads the same records: one says it
                }
            }
        });
        if (problem[0] != null) {
            err.println("judo: warning: " + file + ": " + problem[0]);
        }
        long total = 0;
        for (int w = 0; w < workers; w++) {
            total += totals[w];
            for (int i = 0; i < counts.length; i++) {
                counts[i] += workerCounts[w][i];
            }
        }
        return total;
    }

    private static StreamState state(io.judo.reassembly.Flow flow, int direction, Scanner scanner) {
        if (flow.slot(direction) == null) {
            flow.slot(direction, scanner.openStream());
        }
        return (StreamState) flow.slot(direction);
    }

    private static String name(io.judo.reassembly.Flow flow, int direction) {
        boolean fromClient = direction == 0;
        return StreamFiles.endpoint(fromClient ? flow.clientAddress() : flow.serverAddress(),
                fromClient ? flow.clientPort() : flow.serverPort()) + "-"
                + StreamFiles.endpoint(fromClient ? flow.serverAddress() : flow.clientAddress(),
                fromClient ? flow.serverPort() : flow.clientPort());
    }

    /** Counts (and prints, one block under the output's lock, as workers share it) the hits, in offset order. */
    private long flush(List<long[]> hits, long[] counts, String prefix, PrintWriter out) {
        if (hits.isEmpty()) {
            return 0;
        }
        hits.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        StringBuilder lines = count ? null : new StringBuilder();
        for (long[] h : hits) {
            counts[(int) h[1]]++;
            if (lines != null) {
                lines.append(prefix).append(h[1]).append('\t');
                if (som) {
                    lines.append(h[2]).append('\t');
                }
                lines.append(h[0]).append(System.lineSeparator());
            }
        }
        if (lines != null) {
            synchronized (out) {
                out.print(lines);
            }
        }
        long n = hits.size();
        hits.clear();
        return n;
    }
}
