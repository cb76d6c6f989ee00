package io.judo.cli;

import io.judo.engine.inline.Bridge;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo inline}: a filtering, rewriting layer-2 bridge between two interfaces. */
@Command(name = "inline", mixinStandardHelpOptions = true,
        description = {"Bridge two interfaces at layer 2 and run every frame, both ways, through the rules: verdicts "
                + "enforced, replacements (with sequence/ack fixups), nat-to/rdr-to and set tos applied, alerts "
                + "written. Frames that are not IP are bridged unchanged.",
                "Needs root (raw AF_PACKET sockets); the interfaces are put in promiscuous mode. Switch off "
                + "segmentation and receive offloads on them (ethtool -K IFACE tso off gso off gro off) so frames "
                + "are real packets. Statistics on SIGUSR1 and at exit (SIGINT, SIGTERM, or --duration)."},
        footer = {"", "Exit status: 0 after a clean stop, 2 when an interface cannot be opened or the rules do not "
                + "load.", "", "Examples:",
                "  judo inline --rules proxy.judo eth1 eth2",
                "  judo inline --rules et.rules --eve eve.json --journal j/ veth0 veth1",
                "  judo inline --workers 2 --rules proxy.judo eth1 eth2"})
final class InlineCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IFACE_A", description = "One side of the bridge.")
    String sideA;

    @Parameters(index = "1", paramLabel = "IFACE_B", description = "The other side.")
    String sideB;

    @picocli.CommandLine.Mixin
    RuleOptions.WithFiles ruleOptions;

    @picocli.CommandLine.Mixin
    PipelineOptions pipeline;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1500", description = "Split a TCP segment that a "
            + "replacement grew beyond this IP packet size (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0", description = "Stop after this long "
            + "(default: run until interrupted).")
    double duration;

    @Option(names = "--workers", paramLabel = "N", description = "Threads that bridge and run the rules, each with "
            + "its own socket per interface in a PACKET_FANOUT group (hash mode: the kernel hands each flow, both "
            + "ways, to one worker) and its own transmit rings (default: one per core but one, as scan; 1 on 2 "
            + "cores). A policy with nat-to/rdr-to or queues runs on one worker, said on stderr.")
    Integer workers;

    @Option(names = "--no-checksum-validation", description = "Do not verify checksums (for interfaces with "
            + "checksum offload left on).")
    boolean noChecksums;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (ruleOptions.rules.isEmpty()) {
            throw new UserError("judo inline needs --rules FILE (a judo policy or Suricata rules)");
        }
        if (sideA.equals(sideB)) {
            throw new UserError("the two sides of the bridge must be different interfaces");
        }
        if (mtu < 576 || mtu > 65_535) {
            throw new UserError("--mtu: between 576 and 65535, got " + mtu);
        }
        // the option's own text says what a worker is on a link; its range and default are every command's
        int n = WorkerOptions.count(workers);
        ruleOptions.liveInterfaces = true; // (if), self and antispoof read this host's interfaces
        Detection detection = pipeline.start(ruleOptions, false, !noChecksums, err);
        String oneWorker = n > 1 ? detection.needsOneWorker() : null;
        if (oneWorker != null) {
            err.printf("judo inline: running one worker, not %d: %s%n", n, oneWorker);
            n = 1;
        }
        try (Bridge bridge = detection.bridge(sideA, sideB, n, !noChecksums, mtu)) {
            run(bridge, detection, out, err);
        }
        return 0;
    }

    /** Runs the bridge until a signal, {@code --duration} or a failure; then the summary. */
    private void run(Bridge bridge, Detection detection, PrintWriter out, PrintWriter err) throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        Runnable stopAll = bridge::stop;
        Thread hook = new Thread(() -> {
            stopAll.run();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "judo-inline-stop");
        if (!Signals.onStop(stopAll)) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        Signals.onUsr1(bridge::requestStats); // the first worker prints everyone's counts
        err.printf("judo inline: bridging %s <-> %s (%s%s; SIGUSR1: statistics; SIGINT/SIGTERM: stop)%n", sideA,
                sideB, bridge.mapped() ? "receive rings mapped" : "frames read one system call each",
                bridge.workers() == 1 ? "" : String.format(", %d workers in fanout groups %d and %d",
                bridge.workers(), bridge.group(0), bridge.group(1)));
        err.flush();
        long until = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : 0;
        Runnable stats = () -> {
            out.print(bridge.summary());
            out.print(detection.summary());
            out.flush();
        };
        try {
            bridge.run(until, stats);
            detection.finish();
            stats.run();
        } finally {
            done.countDown();
        }
    }
}
