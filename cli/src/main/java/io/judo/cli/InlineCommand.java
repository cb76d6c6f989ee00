package io.judo.cli;

import io.judo.packet.live.PacketSocket;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
        Detection detection = pipeline.start(ruleOptions, false, !noChecksums, err);
        String oneWorker = n > 1 ? detection.needsOneWorker() : null;
        if (oneWorker != null) {
            err.printf("judo inline: running one worker, not %d: %s%n", n, oneWorker);
            n = 1;
        }
        List<PacketSocket> sockets = new ArrayList<>();
        try {
            List<InlineBridge> bridges = open(detection, n, sockets);
            detection.inline(sideA + "/" + sideB, bridges, mtu);
            run(bridges, detection, out, err);
        } finally {
            for (PacketSocket s : sockets) {
                s.close();
            }
        }
        return 0;
    }

    /**
     * Opens the sockets ({@code n} per interface, in {@code sockets} as they open) and makes a bridge of each pair.
     * With one worker, plain sockets. With more, worker i's sockets join each interface's fanout group i-th: the
     * kernel picks a member by the index of its flow hash among the group's members in the order they joined, and
     * the hash is symmetric and the same on both interfaces, so worker i gets both directions of its flows.
     */
    private List<InlineBridge> open(Detection detection, int n, List<PacketSocket> sockets) throws IOException {
        long clockBase = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        List<InlineBridge> bridges = new ArrayList<>();
        if (n == 1) {
            PacketSocket a = open(sideA, PacketSocket.Options.DEFAULT);
            sockets.add(a);
            PacketSocket b = open(sideB, PacketSocket.Options.DEFAULT);
            sockets.add(b);
            bridges.add(new InlineBridge(a, b, detection, 0, !noChecksums, clockBase));
            return bridges;
        }
        long pid = ProcessHandle.current().pid();
        PacketSocket[] a = joinGroup(sideA, pid, n, sockets);
        PacketSocket[] b = joinGroup(sideB, pid, n, sockets);
        for (int i = 0; i < n; i++) {
            bridges.add(new InlineBridge(a[i], b[i], detection, i, !noChecksums, clockBase));
        }
        for (InlineBridge bridge : bridges) {
            bridge.discardBacklog(); // what reached a socket before every member had joined
        }
        return bridges;
    }

    /** How many ids {@link #joinGroup} tries when the kernel says an id is another group's. */
    private static final int GROUP_TRIES = 16;

    /**
     * The fanout group id judo tries first for interface {@code ifindex} in process {@code pid}. Group ids are per
     * network namespace and 16 bits; a socket that names an existing group's id joins that group when interface,
     * mode and flags agree, else the kernel refuses it. Suricata's af-packet cluster ids are small (99 by default,
     * counting down per interface), so judo's start at 256: {@code 256 + (pid mod 255) * 256 + (ifindex mod 256)},
     * which differs between the two interfaces of one bridge and, for one interface, between processes whose pids
     * differ modulo 255. A refused id is followed by the next ones ({@link #GROUP_TRIES}).
     */
    static int fanoutGroup(long pid, int ifindex) {
        return 256 + (int) (pid % 255) * 256 + (ifindex & 0xff);
    }

    /** Opens {@code n} sockets on {@code iface}, all in one fanout group, in worker order. */
    private static PacketSocket[] joinGroup(String iface, long pid, int n, List<PacketSocket> sockets) {
        int index;
        try {
            index = PacketSocket.interfaceIndex(iface);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        if (index == 0) {
            throw new UserError("no interface named '" + iface + "'");
        }
        int group = fanoutGroup(pid, index);
        PacketSocket[] members = new PacketSocket[n];
        for (int tries = 1; members[0] == null; tries++) {
            try {
                members[0] = PacketSocket.open(iface, PacketSocket.Options.DEFAULT.withFanout(group));
            } catch (PacketSocket.FanoutGroupTaken e) {
                if (tries == GROUP_TRIES) {
                    throw new UserError(e.getMessage());
                }
                group = 256 + (group - 256 + 1) % 0xff00; // another process's group: the next id
            } catch (IOException e) {
                throw new UserError(e.getMessage());
            }
        }
        sockets.add(members[0]);
        for (int i = 1; i < n; i++) {
            members[i] = open(iface, PacketSocket.Options.DEFAULT.withFanout(group));
            sockets.add(members[i]);
        }
        return members;
    }

    /** Runs every bridge on a thread of its own until a signal, {@code --duration} or a failure; then the summary. */
    private void run(List<InlineBridge> bridges, Detection detection, PrintWriter out, PrintWriter err)
            throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        Runnable stopAll = () -> bridges.forEach(InlineBridge::stop);
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
        InlineBridge first = bridges.get(0);
        Signals.onUsr1(first::requestStats); // the first worker prints everyone's counts
        boolean mapped = true;
        for (InlineBridge b : bridges) {
            mapped &= b.mapped();
        }
        err.printf("judo inline: bridging %s <-> %s (%s%s; SIGUSR1: statistics; SIGINT/SIGTERM: stop)%n", sideA,
                sideB, mapped ? "receive rings mapped" : "frames read one system call each", bridges.size() == 1 ? ""
                : String.format(", %d workers in fanout groups %d and %d", bridges.size(), first.group(0),
                first.group(1)));
        err.flush();
        long until = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : 0;
        Runnable stats = () -> {
            out.print(InlineBridge.summary(bridges));
            out.print(detection.summary());
            out.flush();
        };
        try {
            if (bridges.size() == 1) {
                first.run(until, stats);
            } else {
                runWorkers(bridges, until, stats);
            }
            for (InlineBridge b : bridges) {
                b.drain(); // the workers have ended: their lanes are this thread's now
            }
            detection.finish();
            stats.run();
        } finally {
            done.countDown();
        }
    }

    /** Bridges on one thread per worker; the first failure stops the others and is rethrown once all ended. */
    private static void runWorkers(List<InlineBridge> bridges, long until, Runnable stats) throws IOException {
        List<Integer> lanes = new ArrayList<>();
        for (int i = 0; i < bridges.size(); i++) {
            lanes.add(i);
        }
        // a stop request ends the loops; join waits for all, since their lanes must be idle before anyone reads them
        new io.judo.engine.worker.Threads<IOException>(lanes, "judo-inline",
                i -> bridges.get(i).run(until, i == 0 ? stats : () -> { }),
                () -> bridges.forEach(InlineBridge::stop)).join();
    }

    private static PacketSocket open(String name, PacketSocket.Options options) {
        try {
            return PacketSocket.open(name, options);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
