package io.judo.cli;

import io.judo.engine.output.FrameSink;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.live.PacketSocket;
import io.judo.packet.live.SocketPoller;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The layer-2 bridge of {@code judo inline}: every frame arriving on one interface goes through the pipeline and, as
 * the policy leaves it, out of the other. Frames that are not IP (ARP, LLDP, ...) are bridged unchanged, as pf on a
 * bridge leaves them alone. One thread runs the loop; it owns both sockets and the pipeline, so flow state needs no
 * locks, and it allocates nothing per frame.
 */
final class InlineBridge implements FrameSink {
    /** Frames read from one socket before the other gets its turn, so one busy side cannot starve the other. */
    private static final int BATCH = 64;

    private final PacketSocket[] sides;
    private final SocketPoller poller;
    private final Detection pipeline;
    private final PacketDecoder decoder;
    private final PacketView view = new PacketView();
    /** Replies of remapped flows, translated back on arrival. */
    private final io.judo.rewrite.SegmentRewriter arrival = io.judo.rewrite.SegmentRewriter.inline();
    private final ByteBuffer arrivalBuffer = ByteBuffer.wrap(arrival.output());
    private final PacketView untranslated = new PacketView();
    /** The socket the frame being decided goes out of. */
    private PacketSocket egress;
    private final long clockBase = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    private final long[] nonIp = new long[2];
    /** Per side, the transmit queues when the policy declares queues (else frames go straight out). */
    private final io.judo.engine.queue.TransmitQueues[] queues = new io.judo.engine.queue.TransmitQueues[2];
    private byte[] copy = new byte[2048];
    private volatile boolean stopping;
    private volatile boolean statsWanted;

    InlineBridge(PacketSocket a, PacketSocket b, Detection pipeline, boolean checksums) {
        this.sides = new PacketSocket[] {a, b};
        this.poller = new SocketPoller(a, b);
        this.pipeline = pipeline;
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
                held = pipeline.tick(now, false);
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
        int back = pipeline.untranslate(v, arrival);
        if (back > 0) {
            v = decoder.decode(arrivalBuffer, 0, back, back, LinkType.ETHERNET, untranslated);
        }
        pipeline.packet(v, clockBase + System.nanoTime());
    }

    /** Sends whatever is still held back (at the end of a run). */
    void drain() {
        pipeline.tick(clockBase + System.nanoTime(), true);
        sides[0].flush();
        sides[1].flush();
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
            q.offer(pipeline.lastQueue(), bytes, offset, length, clockBase + System.nanoTime());
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
        // the sockets belong to the command, which closes them after the summary
    }

    /** Counters per interface, one line each, and per queue when there are queues. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        if (queues[0] != null) {
            java.util.List<String> names = pipeline.queueNames();
            for (int side = 0; side < 2; side++) {
                for (int q = 0; q < names.size(); q++) {
                    io.judo.engine.queue.TransmitQueues t = queues[side];
                    if (t.sentFrames(q) + t.dropped(q) > 0) {
                        sb.append(String.format("  queue %-10s out of %-8s sent %,d frames %,d bytes, dropped %,d "
                                + "(queue full)%n", names.get(q), sides[side].name(), t.sentFrames(q),
                                t.sentBytes(q), t.dropped(q)));
                    }
                }
            }
        }
        for (int i = 0; i < 2; i++) {
            PacketSocket s = sides[i];
            sb.append(String.format("  %-8s  received %,d frames (%,d not IP, bridged as they are); sent %,d"
                    + "%s%s%n", s.name(), s.received(), nonIp[i], s.sent(), s.sendErrors() == 0 ? ""
                    : String.format(" (%,d refused by the kernel, %,d of them longer than the MTU)", s.sendErrors(),
                            s.tooLong()), s.truncated() == 0 ? ""
                    : String.format("; %,d frames larger than a receive slot dropped", s.truncated())));
            if (!s.transmitRing()) {
                sb.append(String.format("  %-8s  sent one system call per frame: %s%n", s.name(),
                        s.transmitRingMissing()));
            } else if (s.flushes() > 0) {
                sb.append(String.format("  %-8s  transmit ring: %,d flushes, %.1f frames each%s%s%n", s.name(),
                        s.flushes(), (double) (s.sent() - s.ringBypassed()) / s.flushes(), s.ringBypassed() == 0 ? ""
                        : String.format(", %,d frames sent alone (ring full, or larger than a slot)",
                                s.ringBypassed()), s.flushErrors() == 0 ? ""
                        : String.format(", %,d flushes refused (retried)", s.flushErrors())));
            }
        }
        return sb.toString();
    }
}
