package io.judo.engine.inline;

import io.judo.engine.Pipeline;
import io.judo.engine.output.FrameSink;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.live.PacketSocket;
import io.judo.packet.live.SocketPoller;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One worker of a {@link Bridge}, or the whole bridge with one worker: every frame arriving on one interface goes
 * through the pipeline and, as the policy leaves it, out of the other. Frames that are not IP (ARP, LLDP, ...) are
 * bridged unchanged, as pf on a bridge leaves them alone. One thread runs the loop; it owns its two sockets and its
 * pipeline lane, so flow state needs no locks, and it allocates nothing per frame. With several workers each bridge
 * has a socket per interface in that interface's fanout group, and the kernel hands it whole flows.
 */
final class BridgeWorker implements FrameSink {
    /** Frames read from one socket before the other gets its turn, so one busy side cannot starve the other. */
    private static final int BATCH = 64;

    private final PacketSocket[] sides;
    private final SocketPoller poller;
    private final Pipeline pipeline;
    /** This worker's lane of the pipeline. */
    private final int lane;
    private final PacketDecoder decoder;
    private final PacketView view = new PacketView();
    /** Replies of remapped flows, translated back on arrival. */
    private final io.judo.rewrite.SegmentRewriter arrival = io.judo.rewrite.SegmentRewriter.inline();
    private final ByteBuffer arrivalBuffer = ByteBuffer.wrap(arrival.output());
    private final PacketView untranslated = new PacketView();
    /** The socket the frame being decided goes out of. */
    private PacketSocket egress;
    /** Wall-clock nanoseconds less {@link System#nanoTime}: one for every worker, so their times agree. */
    private final long clockBase;
    /** Frames waiting in the sockets when the bridge started, dropped ({@link #discardBacklog}). */
    private long discarded;
    private final long[] nonIp = new long[2];
    /** Per side, the transmit queues when the policy declares queues (else frames go straight out). */
    private final io.judo.engine.queue.TransmitQueues[] queues = new io.judo.engine.queue.TransmitQueues[2];
    private byte[] copy = new byte[2048];
    private volatile boolean stopping;
    private volatile boolean statsWanted;

    /**
     * A bridge between {@code a} and {@code b} that decides with lane {@code lane} of {@code pipeline}; times are
     * {@code clockBase + System.nanoTime()}.
     */
    BridgeWorker(PacketSocket a, PacketSocket b, Pipeline pipeline, int lane, boolean checksums, long clockBase) {
        this.sides = new PacketSocket[] {a, b};
        this.poller = new SocketPoller(a, b);
        this.pipeline = pipeline;
        this.lane = lane;
        this.clockBase = clockBase;
        this.decoder = new PacketDecoder(checksums);
        long now = clockBase + System.nanoTime();
        queues[0] = pipeline.transmitQueues(a::send, now);
        queues[1] = queues[0] == null ? null : pipeline.transmitQueues(b::send, now);
    }

    /**
     * Bridges until {@link #stop} or until {@code untilNanos} ({@link System#nanoTime} scale; 0 for no limit),
     * calling {@code stats} when {@link #requestStats} asked for it.
     */
    void run(long untilNanos, Runnable stats) throws IOException {
        int held = 0;
        long queued = 0;
        int got = 0;
        while (!stopping && (untilNanos == 0 || System.nanoTime() - untilNanos < 0)) {
            if (got == 0) { // while frames keep coming, no system call to wait for them
                boolean unsent = sides[0].flushPending() || sides[1].flushPending(); // a flush the kernel refused
                poller.await(queued > 0 || unsent ? 1 : held > 0 ? 2 : 50);
            }
            got = 0;
            boolean drained = true;
            for (int i = 0; i < 2; i++) {
                PacketSocket in = sides[i];
                egress = sides[1 - i];
                int n = 0;
                for (; n < BATCH; n++) {
                    int length = in.receive();
                    if (length == 0) {
                        break;
                    }
                    got++;
                    forward(i, in.frame(), in.frameOffset(), length);
                }
                drained &= n < BATCH;
            }
            long now = clockBase + System.nanoTime();
            if (drained) {
                // held bytes go out alone only when no frame waits in a ring: after a pause of this thread (GC, the
                // scheduler) the segment that completes them may be among those still to read
                held = pipeline.tick(lane, now, false);
            }
            queued = 0;
            if (queues[0] != null) {
                queued = queues[0].service(now) + queues[1].service(now);
            }
            // what this turn sent waits in the transmit rings: one system call per side sends it
            sides[0].flush();
            sides[1].flush();
            if (statsWanted) {
                statsWanted = false;
                stats.run();
            }
        }
    }

    private void forward(int side, ByteBuffer frame, int offset, int length) {
        PacketView v = decoder.decode(frame, offset, length, length, LinkType.ETHERNET, view);
        if (v.ipVersion() != 4 && v.ipVersion() != 6) {
            nonIp[side]++;
            egress.send(frame, offset, length);
            return;
        }
        int back = pipeline.untranslate(lane, v, arrival);
        if (back > 0) {
            v = decoder.decode(arrivalBuffer, 0, back, back, LinkType.ETHERNET, untranslated);
        }
        pipeline.packet(lane, side, v, clockBase + System.nanoTime());
    }

    /**
     * Drops the frames waiting in both sockets. With several workers, a socket receives every frame of its interface
     * from its bind until it joins the fanout group, and the group's members meanwhile share the frames among fewer
     * members: bridging that backlog would send frames twice and show flows to the wrong worker. Dropped before the
     * bridge starts, they are frames that came before it (counted in the summary).
     */
    void discardBacklog() throws IOException {
        for (PacketSocket s : sides) {
            while (s.receive() > 0) {
                discarded++;
            }
        }
    }

    /** Sends whatever is still held back (at the end of a run). */
    void drain() {
        pipeline.tick(lane, clockBase + System.nanoTime(), true);
        sides[0].flush();
        sides[1].flush();
    }

    /** Whether both sockets read from a mapped receive ring. */
    boolean mapped() {
        return sides[0].mapped() && sides[1].mapped();
    }

    /** The fanout group of side {@code side}'s socket (0: the first interface), or -1. */
    int group(int side) {
        return sides[side].fanoutGroup();
    }

    /** Ends {@link #run} (from another thread: a signal or shutdown hook). */
    void stop() {
        stopping = true;
    }

    /** Asks {@link #run} to print statistics at its next turn (SIGUSR1). */
    void requestStats() {
        statsWanted = true;
    }

    @Override
    public int port() {
        return egress == sides[0] ? 0 : 1;
    }

    @Override
    public void frameTo(int port, byte[] bytes, int offset, int length) {
        sides[port].send(bytes, offset, length);
    }

    @Override
    public boolean answersRejects() {
        return true;
    }

    @Override
    public void reply(byte[] bytes, int length) {
        sides[1 - port()].send(bytes, 0, length); // back where the packet came from
    }

    @Override
    public boolean accepts(int linkType) {
        return linkType == LinkType.ETHERNET;
    }

    @Override
    public void frame(long timeNanos, byte[] bytes, int offset, int length, int originalLength) {
        io.judo.engine.queue.TransmitQueues q = queues[port()];
        if (q == null) {
            egress.send(bytes, offset, length);
        } else {
            q.offer(pipeline.lastQueue(lane), bytes, offset, length, clockBase + System.nanoTime());
        }
    }

    @Override
    public void frame(long timeNanos, ByteBuffer buffer, int offset, int length, int originalLength) {
        if (queues[port()] == null) {
            egress.send(buffer, offset, length);
            return;
        }
        if (copy.length < length) {
            copy = new byte[Math.max(length, copy.length * 2)];
        }
        buffer.get(offset, copy, 0, length);
        frame(timeNanos, copy, 0, length, originalLength);
    }

    @Override
    public void close() {
        // the sockets belong to the Bridge, which closes them after the summary
    }

    /**
     * Counters per interface summed over the workers' bridges, one line each (and one per worker with several), and
     * per queue when there are queues. While the bridges run (SIGUSR1) other workers' counts are read as they are
     * at that moment, without synchronisation: a figure may lag its worker by a few frames.
     */
    static String summary(java.util.List<BridgeWorker> bridges) {
        StringBuilder sb = new StringBuilder();
        BridgeWorker first = bridges.get(0);
        if (first.queues[0] != null) { // queues run on one worker (Pipeline#needsOneWorker)
            java.util.List<String> names = first.pipeline.queueNames();
            for (int side = 0; side < 2; side++) {
                for (int q = 0; q < names.size(); q++) {
                    io.judo.engine.queue.TransmitQueues t = first.queues[side];
                    if (t.sentFrames(q) + t.dropped(q) > 0) {
                        sb.append(String.format("  queue %-10s out of %-8s sent %,d frames %,d bytes, dropped %,d "
                                + "(queue full)%n", names.get(q), first.sides[side].name(), t.sentFrames(q),
                                t.sentBytes(q), t.dropped(q)));
                    }
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            long received = 0;
            long nonIp = 0;
            long sent = 0;
            long sendErrors = 0;
            long tooLong = 0;
            long truncated = 0;
            long flushes = 0;
            long bypassed = 0;
            long flushErrors = 0;
            String ringMissing = null;
            for (BridgeWorker b : bridges) {
                PacketSocket s = b.sides[i];
                received += s.received();
                nonIp += b.nonIp[i];
                sent += s.sent();
                sendErrors += s.sendErrors();
                tooLong += s.tooLong();
                truncated += s.truncated();
                flushes += s.flushes();
                bypassed += s.ringBypassed();
                flushErrors += s.flushErrors();
                if (!s.transmitRing() && ringMissing == null) {
                    ringMissing = s.transmitRingMissing();
                }
            }
            String name = first.sides[i].name();
            sb.append(String.format("  %-8s  received %,d frames (%,d not IP, bridged as they are); sent %,d"
                    + "%s%s%n", name, received, nonIp, sent, sendErrors == 0 ? ""
                    : String.format(" (%,d refused by the kernel, %,d of them longer than the MTU)", sendErrors,
                            tooLong), truncated == 0 ? ""
                    : String.format("; %,d frames larger than a receive slot dropped", truncated)));
            if (ringMissing != null) {
                sb.append(String.format("  %-8s  sent one system call per frame: %s%n", name, ringMissing));
            } else if (flushes > 0) {
                sb.append(String.format("  %-8s  transmit ring: %,d flushes, %.1f frames each%s%s%n", name,
                        flushes, (double) (sent - bypassed) / flushes, bypassed == 0 ? ""
                        : String.format(", %,d frames sent alone (ring full, or larger than a slot)", bypassed),
                        flushErrors == 0 ? "" : String.format(", %,d flushes refused (retried)", flushErrors)));
            }
        }
        if (bridges.size() > 1) {
            long discarded = 0;
            for (int w = 0; w < bridges.size(); w++) {
                BridgeWorker b = bridges.get(w);
                discarded += b.discarded;
                sb.append(String.format("  worker %-3d received %,d frames from %s, %,d from %s%n", w,
                        b.sides[0].received(), b.sides[0].name(), b.sides[1].received(), b.sides[1].name()));
            }
            if (discarded > 0) {
                sb.append(String.format("  %,d frames that arrived while the workers joined their fanout groups "
                        + "dropped%n", discarded));
            }
        }
        return sb.toString();
    }
}
