package io.judo.cli;

import io.judo.engine.CaptureScanner;
import io.judo.engine.FileOutcome;
import io.judo.engine.ScanProgress;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.ReadStatus;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo scan}: run captures through the pipeline and summarise them. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Read pcap/pcapng captures, decode every packet and summarise: packets, bytes, flows, "
                + "protocols, malformed packets by reason, speed.",
                "With no FILE, runs on a demo capture bundled in judo."},
        footer = {"", "Exit status: 0 when every file was read (a cut-short last record is a warning), 2 when a file "
                + "could not be read or is not a capture (the other files are still scanned and reported), 2 "
                + "before scanning when a rule has an error (unless --skip-bad-rules) or a variable is bad, and 130 "
                + "after SIGINT or SIGTERM (reading stops, every output is flushed and closed, the summary says "
                + "interrupted; a second signal ends judo at once).",
                "", "Examples:",
                "  judo scan                          the bundled demo",
                "  judo scan trace.pcap more.pcapng   several files, one summary",
                "  judo scan --json trace.pcap | jq .protocols",
                "  judo scan --rules et-open/ --eve eve.json caps/*.pcap   every *.rules in a directory",
                "  judo scan --rules a.rules b.rules c.pcap   --rules takes the rule files that follow it",
                "  tcpdump -i eth0 -w - | judo scan -    a capture on standard input",
                "  judo scan --rules p.judo --write out.pcap in.pcap   rewrite as the policy says"})
final class ScanCommand implements Callable<Integer> {
    /** The FILE that stands for standard input, and the name it is reported under. */
    static final String STDIN_ARGUMENT = "-";
    static final String STDIN_NAME = "stdin";

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "pcap or pcapng files; - reads one from standard "
            + "input.")
    List<Path> files = List.of();

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    @picocli.CommandLine.Mixin
    ChecksumOptions checksums;

    @picocli.CommandLine.Mixin
    RuleOptions.WithFiles ruleOptions;

    @Option(names = "--write", paramLabel = "OUT.pcap", description = "Write the capture as the judo policy leaves "
            + "it: passed packets with replacements (sequence, ack, length and checksum fixups), nat-to/rdr-to and "
            + "set tos applied; dropped ones left out.")
    Path write;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1500", description = "With --write: split a TCP "
            + "segment that a replacement grew beyond this IP packet size (default: ${DEFAULT-VALUE}).")
    int mtu;

    @picocli.CommandLine.Mixin
    PipelineOptions pipeline;

    @picocli.CommandLine.Mixin
    WorkerOptions workerOptions;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (files.stream().filter(f -> f.toString().equals(STDIN_ARGUMENT)).count() > 1) {
            throw new UserError("- (standard input) can be read once");
        }
        if (mtu < 576 || mtu > 65_535) {
            throw new UserError("--mtu: between 576 and 65535, got " + mtu);
        }
        ruleOptions.configWarnings(err);
        io.judo.engine.ChecksumMode checksumMode = checksums.mode(ruleOptions.config().checksumValidation());
        io.judo.engine.CaptureScan scan = new io.judo.engine.CaptureScan(checksumMode);
        CaptureScanner scanner = scan.scanner();
        // On SIGINT/SIGTERM: stop reading after the packet in hand, then flush and close every output as at the end.
        java.util.concurrent.atomic.AtomicReference<String> stoppedBy =
                new java.util.concurrent.atomic.AtomicReference<>();
        if (Signals.processWide) {
            Signals.onStop(signal -> {
                stoppedBy.compareAndSet(null, signal);
                scan.stop();
            });
        }
        Detection detection = null;
        // --eve without rules still writes the records that need none (flow, and the application layers')
        if (ruleOptions.hasRules() || files.isEmpty() || pipeline.eve != null) {
            // Under auto, a capture judged offloaded is decoded without checksum checks: nothing is flagged bad, so
            // reassembly keeps its segments; the others are validated.
            detection = pipeline.start(ruleOptions, files.isEmpty(), checksumMode != io.judo.engine.ChecksumMode.OFF,
                    err);
            if (write != null) {
                detection.write(write, mtu);
            }
            boolean rereadable = !files.isEmpty() && files.stream().noneMatch(f -> f.toString().equals(STDIN_ARGUMENT));
            detection.workers(scan, workerOptions.count(), rereadable);
        } else if (write != null) {
            throw new UserError(Detection.WRITE_NEEDS_POLICY);
        }
        boolean interactive = !json && Terminal.stderrIsTerminal();
        ProgressLine progress = interactive ? new ProgressLine(err) : null;
        ScanProgress listener = progress != null ? progress : ScanProgress.NONE;
        if (files.isEmpty()) {
            byte[] demo = DemoCapture.bundled();
            scanner.scan(DemoCapture.NAME, () -> Captures.open(demo), listener);
        } else {
            scan.run((s, first) -> scanFiles(s, first ? progress : null, first ? listener : ScanProgress.NONE));
        }
        if (progress != null) {
            progress.finish();
        }
        if (detection != null) {
            detection.finish(scanner);
        }
        int status = 0;
        for (FileOutcome o : scanner.outcomes()) {
            if (o.interrupted()) {
                continue;
            } else if (o.failed()) {
                err.println("judo: " + o.name() + ": " + o.problem() + RuleOptions.captureHint(o.name()));
                status = Judo.EXIT_BAD_INPUT;
            } else if (o.ending() == ReadStatus.TRUNCATED) {
                err.println("judo: warning: " + o.name() + ": " + o.problem() + "; " + o.packets()
                        + " complete packets processed");
            } else if (!o.complete()) {
                err.println("judo: " + o.name() + ": " + o.problem() + "; " + o.packets()
                        + " packets before it were processed");
                status = Judo.EXIT_BAD_INPUT;
            }
        }
        // With nothing read at all, an all-zero summary would only bury the error lines.
        String interrupted = stoppedBy.get();
        if (interrupted == null && scanner.outcomes().stream().allMatch(FileOutcome::failed)) {
            return status;
        }
        ScanReport report = new ScanReport(scanner, detection == null ? 0 : detection.drainNanos());
        long[] streams = files.isEmpty() ? demoStreams(DemoCapture.bundled(), scanner.checksums().get(0).validate()) : null;
        Detection d = detection;
        if (json) {
            out.print(report.json(j -> {
                if (interrupted != null) {
                    j.name("interrupted").value(interrupted);
                }
                if (streams != null) {
                    j.name("streams").beginObject().name("tcp_directions").value(streams[0])
                            .name("bytes").value(streams[1]).name("anomalies").value(streams[2]).endObject();
                }
                if (d != null) {
                    d.json(j);
                }
            }));
        } else {
            out.print(report.text());
            if (interrupted != null) {
                out.println("interrupted by " + interrupted + ": stopped reading after the packet in hand; outputs "
                        + "flushed and closed, the counts cover what was read");
            }
            if (streams != null) {
                out.println(String.format("streams    %d TCP directions, %,d bytes reassembled, anomalies %d"
                        + "  (judo streams --out DIR writes them)", streams[0], streams[1], streams[2]));
            }
            if (detection != null) {
                out.print(detection.summary());
            }
        }
        out.flush();
        return interrupted != null ? Judo.EXIT_INTERRUPTED : status;
    }

    /**
     * The demo's TCP streams, reassembled as `judo streams` would (checksums validated as the scan decided): TCP
     * directions with data, bytes, anomalies.
     */
    private static long[] demoStreams(byte[] demo, boolean validateChecksums) {
        long[] counts = new long[3]; // directions with data, bytes, events
        java.util.Set<String> directions = new java.util.HashSet<>();
        io.judo.reassembly.StreamSink sink = new io.judo.reassembly.StreamSink() {
            @Override
            public void data(io.judo.reassembly.Flow flow, int direction, long offset, byte[] data, int from,
                             int length) {
                directions.add(flow.id() + "/" + direction);
                counts[1] += length;
            }

            @Override
            public void gap(io.judo.reassembly.Flow flow, int direction, long offset, long length) {
            }

            @Override
            public void event(io.judo.reassembly.Flow flow, int direction, io.judo.reassembly.StreamEvent event,
                              long offset) {
                if (event != io.judo.reassembly.StreamEvent.FIN && event != io.judo.reassembly.StreamEvent.RST) {
                    counts[2]++;
                }
            }
        };
        io.judo.engine.StreamTap tap = new io.judo.engine.StreamTap(io.judo.reassembly.StreamConfig.defaults(), null,
                validateChecksums, sink, f -> { });
        try (io.judo.packet.capture.CaptureReader reader = Captures.open(demo)) {
            tap.read(reader, true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // the bundled capture, read from memory
        }
        tap.finish();
        return new long[] {directions.size(), counts[1], counts[2]};
    }

    /** Scans every file with {@code scanner} ({@code progress}: the progress line, on the first shard only). */
    private void scanFiles(CaptureScanner scanner, ProgressLine progress, ScanProgress listener) {
        for (Path file : files) {
            if (scanner.stopped()) {
                break;
            }
            boolean stdin = file.toString().equals(STDIN_ARGUMENT);
            String name = stdin ? STDIN_NAME : file.toString();
            if (progress != null) {
                progress.startFile(name, stdin ? -1 : sizeOf(file));
            }
            // As tcpdump -r -: a pipe from tcpdump -w -, zcat, ssh, ...; the channel closes with the reader.
            scanner.scan(name, stdin ? CaptureScanner.Opener.once(() -> Captures.open(Channels.newChannel(System.in)))
                    : () -> Captures.open(file), listener);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
