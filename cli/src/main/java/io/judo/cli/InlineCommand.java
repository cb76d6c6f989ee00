package io.judo.cli;

import io.judo.packet.live.PacketSocket;
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
                "  judo inline --rules et.rules --eve eve.json --journal j/ veth0 veth1"})
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
        Detection detection = pipeline.start(ruleOptions, false, !noChecksums, err);
        try (PacketSocket a = open(sideA); PacketSocket b = open(sideB)) {
            InlineBridge bridge = new InlineBridge(a, b, detection, !noChecksums);
            detection.inline(sideA + "/" + sideB, bridge, mtu);
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                bridge.stop();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "judo-inline-stop");
            if (!Signals.onStop(bridge::stop)) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
            Signals.onUsr1(bridge::requestStats);
            err.printf("judo inline: bridging %s <-> %s (%s; SIGUSR1: statistics; SIGINT/SIGTERM: stop)%n", sideA,
                    sideB, a.mapped() && b.mapped() ? "receive rings mapped" : "frames read one system call each");
            err.flush();
            long until = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : 0;
            try {
                bridge.run(until, () -> {
                    out.print(bridge.summary());
                    out.print(detection.summary());
                    out.flush();
                });
                bridge.drain();
                detection.finish();
                out.print(bridge.summary());
                out.print(detection.summary());
                out.flush();
            } finally {
                done.countDown();
            }
        }
        return 0;
    }

    private static PacketSocket open(String name) {
        try {
            return PacketSocket.open(name);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
