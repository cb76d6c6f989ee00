package io.judo.cli;

import io.judo.engine.ChecksumDecision;
import io.judo.engine.ChecksumMode;
import io.judo.engine.StreamTap;
import io.judo.engine.StreamTaps;
import io.judo.packet.capture.CaptureFormatException;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.ReadStatus;
import io.judo.reassembly.DefragPolicy;
import io.judo.reassembly.HostPolicies;
import io.judo.reassembly.MemcapAction;
import io.judo.reassembly.OverlapPolicy;
import io.judo.reassembly.StreamConfig;
import io.judo.reassembly.StreamCount;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo streams}: write every reassembled TCP stream direction to a file. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = {"Reassemble the TCP streams of captures and write each direction to its own file in DIR, named "
                + "as tcpflow names them (SRCIP.SRCPORT-DSTIP.DSTPORT), with lost stretches written as zero bytes so "
                + "that a file offset is the stream offset, plus DIR/manifest.json (file, src, sport, dst, dport, "
                + "bytes, gaps, sha256, events per stream).",
                "Segments with a bad TCP checksum are left out as the receiving host would drop them, unless the "
                        + "capture looks offloaded (taken on the sending host, whose NIC fills checksums in later): "
                        + "--checksum-validation auto, the default, decides per capture as judo scan does, so both "
                        + "reassemble the same streams."},
        footer = {"", "Examples:", "  judo streams --out flows/ trace.pcap",
                "  judo streams --policy last --depth 1000000 --out flows/ trace.pcap"})
final class StreamsCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created).")
    Path out;

    @Option(names = "--policy", completionCandidates = Choices.OverlapPolicies.class,
            paramLabel = "P", description = "Overlap policy, the destination host's: first, last, "
            + "bsd, bsd-right, linux, old-linux, windows, win2003, vista, solaris, hpux10, hpux11, irix, macos "
            + "(default: first); IP fragments resolve with the same target's fragment policy.")
    String policy = "first";

    @Option(names = "--host-policy", paramLabel = "NET=P", description = "Policy for hosts in a network, e.g. "
            + "10.1.0.0/16=windows or 2001:db8::/32=linux; repeatable, the longest prefix wins, --policy covers the "
            + "rest.")
    List<String> hostPolicies = new ArrayList<>();

    @Option(names = "--depth", paramLabel = "N", description = "Bytes per direction written at most (default: all).")
    long depth = Long.MAX_VALUE;

    @OptionChecks.Signed
    @Option(names = "--ttl-limit", paramLabel = "N", description = "Data whose TTL is more than N below its "
            + "direction's first packet is a decoy and is not reassembled (default: 5; -1 turns the check off).")
    int ttlLimit = StreamConfig.defaults().ttlLimit();

    @Option(names = "--window-slack", paramLabel = "BYTES", description = "Data starting more than BYTES past the "
            + "receiver's window is refused (default: 65536; -1 turns the check off).")
    long windowSlack = StreamConfig.defaults().windowSlack();

    @Option(names = "--memcap", paramLabel = "BYTES", description = "Out-of-order bytes all streams together may "
            + "hold (default: 268435456).")
    long memcap = StreamConfig.defaults().memcap();

    @Option(names = "--memcap-policy", completionCandidates = Choices.MemcapActions.class,
            paramLabel = "ACTION", description = "When a flow's segment would pass the "
            + "memcap: drop (refuse the segment), stop (give the flow's reassembly up), bypass (as stop, and mark "
            + "the flow for consumers); default: drop.")
    String memcapPolicy = "drop";

    @picocli.CommandLine.Mixin
    ChecksumOptions checksums;

    @picocli.CommandLine.Mixin
    WorkerOptions workerOptions;

    @Parameters(paramLabel = "CAPTURE", arity = "1..*", description = "pcap or pcapng files.")
    List<Path> captures = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        OverlapPolicy p;
        try {
            p = OverlapPolicy.named(policy);
        } catch (IllegalArgumentException e) {
            throw new UserError("--policy: " + e.getMessage());
        }
        HostPolicies hosts;
        try {
            hosts = HostPolicies.parse(hostPolicies, p);
        } catch (IllegalArgumentException e) {
            throw new UserError("--host-policy " + e.getMessage());
        }
        MemcapAction onMemcap;
        try {
            onMemcap = MemcapAction.named(memcapPolicy);
        } catch (IllegalArgumentException e) {
            throw new UserError("--memcap-policy: " + e.getMessage());
        }
        if (memcap < 0) {
            throw new UserError("--memcap must not be negative");
        }
        if (depth <= 0) {
            throw new UserError("--depth must be positive");
        }
        ChecksumMode mode = checksums.mode();
        int workers = workerOptions.count();
        Directories.create(out, "--out");
        StreamConfig config = StreamConfig.defaults().withPolicy(p).withDepth(depth).withTtlLimit(ttlLimit)
                .withWindowSlack(windowSlack).withMemcap(memcap, onMemcap);
        List<StreamFiles> files = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            files.add(new StreamFiles(out));
        }
        // Each worker writes its own flows' files (a file name is one address pair's, so one worker's); only the
        // first reports the captures' problems and checksum decisions, which every worker meets alike.
        StreamTaps taps = new StreamTaps(workers, i -> new StreamTap(config, hosts, mode != ChecksumMode.OFF,
                files.get(i), files.get(i)::end));
        List<String> decisions = new ArrayList<>();
        int[] statuses = new int[workers];
        PrintWriter silent = new PrintWriter(java.io.Writer.nullWriter());
        taps.run((tap, i) -> statuses[i] = readAll(tap, captures, mode, i == 0 ? err : silent,
                i == 0 ? decisions : null));
        int status = statuses[0];
        Map<String, Long> fragments = taps.fragmentCounters();
        long memcapHits = taps.count(StreamCount.MEMCAP_HITS);
        if (memcapHits > 0) {
            err.println("judo: warning: the reassembly memcap (" + memcap + " bytes" + (workers > 1 ? " per worker"
                    : "") + ") was met " + memcapHits + " times (" + onMemcap.text() + ")");
        }
        long different = fragments.get("overlaps_different_data");
        long tiny = fragments.get("tiny_first_fragments");
        long overwrites = fragments.get("tcp_header_overwrites");
        if (different > 0 || overwrites > 0 || tiny > 0) {
            err.println("judo: warning: fragment evasion signs: " + different + " overlaps with different data, "
                    + tiny + " tiny first fragments, " + overwrites + " TCP header overwrites (resolved as "
                    + (hosts.isUniform() ? DefragPolicy.of(p).text() : "each destination's policy") + ")");
        }
        Files.writeString(out.resolve("manifest.json"), StreamFiles.manifest(files, fragments));
        int written = files.stream().mapToInt(f -> f.finished.size()).sum();
        spec.commandLine().getOut().println(written + " stream directions written to " + out);
        decisions.forEach(spec.commandLine().getOut()::println);
        long badChecksum = taps.count(StreamCount.BAD_CHECKSUM);
        if (badChecksum > 0) {
            spec.commandLine().getOut().printf("%,d TCP segments with bad checksums left out%n", badChecksum);
        }
        return status;
    }

    /**
     * Reads every capture through {@code tap} with its checksum decision (a line per capture into {@code decisions}
     * when the mode is auto, if given): a truncated capture is a warning, a corrupt, unreadable or missing one an
     * error line; the captures read before and after it still count.
     *
     * @return 0, or {@link Judo#EXIT_BAD_INPUT} when a capture could not be read to its end
     */
    static int readAll(StreamTap tap, List<Path> captures, ChecksumMode mode, PrintWriter err,
            List<String> decisions) throws IOException {
        int status = 0;
        for (Path capture : captures) {
            try (CaptureReader reader = Captures.open(capture)) {
                ChecksumDecision decision = decide(mode, capture);
                if (mode == ChecksumMode.AUTO && decisions != null) {
                    decisions.add(capture + ": checksums " + decision.text());
                }
                ReadStatus s = tap.read(reader, decision.validate());
                if (s == ReadStatus.TRUNCATED) {
                    err.println("judo: warning: " + capture + ": " + reader.problem());
                } else if (s == ReadStatus.CORRUPT) {
                    err.println("judo: " + capture + ": " + reader.problem());
                    status = Judo.EXIT_BAD_INPUT;
                }
            } catch (CaptureFormatException e) {
                err.println("judo: " + capture + ": " + e.getMessage());
                status = Judo.EXIT_BAD_INPUT;
            } catch (NoSuchFileException e) {
                err.println("judo: " + capture + ": no such file");
                status = Judo.EXIT_BAD_INPUT;
            }
        }
        return status;
    }

    /** The capture's checksum decision: fixed, or (auto) from a sample of its first packets, as judo scan's. */
    static ChecksumDecision decide(ChecksumMode mode, Path capture) throws IOException {
        if (mode != ChecksumMode.AUTO) {
            return ChecksumDecision.fixed(mode);
        }
        try (CaptureReader sample = Captures.open(capture)) {
            return ChecksumDecision.sample(sample);
        }
    }
}
