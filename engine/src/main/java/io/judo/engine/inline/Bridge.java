package io.judo.engine.inline;

import io.judo.engine.Pipeline;
import io.judo.engine.worker.Threads;
import io.judo.packet.live.PacketSocket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer-2 bridge of {@code judo inline} between two interfaces, on one worker or several: it opens the sockets
 * (with several workers, one per worker on each interface, in that interface's PACKET_FANOUT group), makes the
 * pipeline's lanes send through them, runs each worker's loop ({@link BridgeWorker}) on a thread of its own, and
 * sums their counters. The command around it parses options, handles signals and prints.
 */
public final class Bridge implements AutoCloseable {
    /** How many ids {@link #open} tries when the kernel says an id is another group's. */
    private static final int GROUP_TRIES = 16;

    private final List<PacketSocket> sockets;
    private final List<BridgeWorker> workers;

    private Bridge(List<PacketSocket> sockets, List<BridgeWorker> workers) {
        this.sockets = sockets;
        this.workers = workers;
    }

    /**
     * Opens a bridge between interfaces {@code a} and {@code b} with {@code n} workers, whose packets lane i of
     * {@code pipeline} decides and sends (worker i's). With one worker, plain sockets. With more, worker i's sockets
     * join each interface's fanout group i-th: the kernel picks a member by the index of its flow hash among the
     * group's members in the order they joined, and the hash is symmetric and the same on both interfaces, so worker
     * i gets both directions of its flows. Frames that reached a socket before every member had joined are dropped
     * (counted in the summary).
     *
     * @param checksums whether the workers verify checksums
     * @param mtu       the IP packet size a replacement may grow a segment to before it is split
     * @throws IOException an interface that cannot be opened (none of that name, no permission, no group id free),
     *                     with a message for the user; the sockets opened before it are closed
     */
    public static Bridge open(Pipeline pipeline, String a, String b, int n, boolean checksums, int mtu)
            throws IOException {
        long clockBase = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        List<PacketSocket> sockets = new ArrayList<>();
        List<BridgeWorker> workers = new ArrayList<>();
        try {
            if (n == 1) {
                PacketSocket sa = opened(sockets, PacketSocket.open(a, PacketSocket.Options.DEFAULT));
                PacketSocket sb = opened(sockets, PacketSocket.open(b, PacketSocket.Options.DEFAULT));
                workers.add(new BridgeWorker(sa, sb, pipeline, 0, checksums, clockBase));
            } else {
                long pid = ProcessHandle.current().pid();
                PacketSocket[] sa = joinGroup(a, pid, n, sockets);
                PacketSocket[] sb = joinGroup(b, pid, n, sockets);
                for (int i = 0; i < n; i++) {
                    workers.add(new BridgeWorker(sa[i], sb[i], pipeline, i, checksums, clockBase));
                }
                for (BridgeWorker w : workers) {
                    w.discardBacklog(); // what reached a socket before every member had joined
                }
            }
            pipeline.sendInline(a + "/" + b, workers, mtu);
            pipeline.sides(a, b);
        } catch (IOException | RuntimeException e) {
            sockets.forEach(PacketSocket::close);
            throw e;
        }
        return new Bridge(sockets, workers);
    }

    private static PacketSocket opened(List<PacketSocket> sockets, PacketSocket s) {
        sockets.add(s);
        return s;
    }

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
    private static PacketSocket[] joinGroup(String iface, long pid, int n, List<PacketSocket> sockets)
            throws IOException {
        int index = PacketSocket.interfaceIndex(iface);
        if (index == 0) {
            throw new IOException("no interface named '" + iface + "'");
        }
        int group = fanoutGroup(pid, index);
        PacketSocket[] members = new PacketSocket[n];
        for (int tries = 1; members[0] == null; tries++) {
            try {
                members[0] = opened(sockets, PacketSocket.open(iface, PacketSocket.Options.DEFAULT.withFanout(group)));
            } catch (PacketSocket.FanoutGroupTaken e) {
                if (tries == GROUP_TRIES) {
                    throw e;
                }
                group = 256 + (group - 256 + 1) % 0xff00; // another process's group: the next id
            }
        }
        for (int i = 1; i < n; i++) {
            members[i] = opened(sockets, PacketSocket.open(iface, PacketSocket.Options.DEFAULT.withFanout(group)));
        }
        return members;
    }

    /**
     * Bridges until {@link #stop}, until {@code untilNanos} ({@link System#nanoTime} scale; 0 for no limit) or a
     * worker's failure, which stops the others and is thrown once all ended; then sends what is still held back
     * (not after a failure).
     * Worker 0 calls {@code stats} when {@link #requestStats} asked for it. With one worker the loop runs on the
     * calling thread.
     */
    public void run(long untilNanos, Runnable stats) throws IOException {
        if (workers.size() == 1) {
            workers.get(0).run(untilNanos, stats);
        } else {
            List<Integer> lanes = new ArrayList<>();
            for (int i = 0; i < workers.size(); i++) {
                lanes.add(i);
            }
            // join waits for every loop to end: their lanes must be idle before anyone reads them
            new Threads<IOException>(lanes, "judo-inline", 0,
                    i -> workers.get(i).run(untilNanos, i == 0 ? stats : () -> { }), this::stop).join();
        }
        for (BridgeWorker w : workers) {
            w.drain(); // the workers have ended: their lanes are this thread's now
        }
    }

    /** Ends {@link #run} (from another thread: a signal or shutdown hook). */
    public void stop() {
        workers.forEach(BridgeWorker::stop);
    }

    /** Asks {@link #run} to call its statistics callback at worker 0's next turn (SIGUSR1). */
    public void requestStats() {
        workers.get(0).requestStats();
    }

    /** How many workers bridge. */
    public int workers() {
        return workers.size();
    }

    /** Whether every socket reads from a mapped receive ring (else one system call a frame). */
    public boolean mapped() {
        for (BridgeWorker w : workers) {
            if (!w.mapped()) {
                return false;
            }
        }
        return true;
    }

    /** The fanout group of side {@code side}'s sockets (0: the first interface), or -1 with one worker. */
    public int group(int side) {
        return workers.get(0).group(side);
    }

    /**
     * Counters per interface summed over the workers, one line each (and one per worker with several), and per queue
     * when there are queues. While the bridge runs (SIGUSR1) other workers' counts are read as they are at that
     * moment, without synchronisation: a figure may lag its worker by a few frames.
     */
    public String summary() {
        return BridgeWorker.summary(workers);
    }

    /** Closes the sockets (after {@link #run} and the summary). */
    @Override
    public void close() {
        sockets.forEach(PacketSocket::close);
    }
}
