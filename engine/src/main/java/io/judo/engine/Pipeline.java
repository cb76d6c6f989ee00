package io.judo.engine;

import io.judo.engine.detect.ExceptionPolicy;
import io.judo.engine.detect.PolicyEngine;
import io.judo.engine.detect.Rewriting;
import io.judo.engine.output.EveWriter;
import io.judo.engine.output.HttpLog;
import io.judo.engine.output.FrameSink;
import io.judo.engine.output.JournalOutput;
import io.judo.engine.output.OutputException;
import io.judo.engine.output.RewriteOutput;
import io.judo.engine.worker.OrderedFrames;
import io.judo.engine.worker.Workers;
import io.judo.packet.decode.PacketView;
import io.judo.rules.suricata.Classifications;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's partitions and their outputs: one partition per worker, each with its own journal appender and, when
 * packets leave (a rewritten capture), its own rewriting output; EVE lines are shared and written whole. With one
 * worker the partition runs on the thread that reads the packets; with more, {@link Workers} shard flows over threads
 * and {@link OrderedFrames} puts written packets back in input order. Each packet's {@link Decision} drives the
 * outputs: the journal records blocked and rewritten packets, the rewriting output writes the packet as it leaves.
 */
public final class Pipeline implements CaptureScanner.PacketListener {
    private final Programs programs;
    private final EveWriter eve;
    private final Classifications classes;
    private final List<Lane> lanes = new ArrayList<>();
    private final Lane first;
    private Workers workers;
    private OrderedFrames order;
    /** The capture or link packets leave by; null when none. */
    private FrameSink target;
    private String targetName;
    private int mtu;
    private boolean live;

    private static final io.judo.packet.decode.Malformed[] MALFORMED = io.judo.packet.decode.Malformed.values();

    /**
     * What suricata.yaml sets beside the stream settings, for every lane's stages.
     *
     * @param midstreamPolicy  {@code stream.midstream-policy} ({@link io.judo.engine.detect.Detector#midstreamPolicy})
     * @param midstream        whether TCP sessions are picked up mid-stream
     * @param memcapPolicy     {@code stream.reassembly.memcap-policy}, resolved
     * @param disabled         protocols switched off over TCP ({@link io.judo.engine.detect.AppLayer#disable})
     * @param dnsOverUdp       whether datagrams are read as DNS
     * @param http             the HTTP parser's limits, or null for its defaults
     */
    public record Settings(ExceptionPolicy midstreamPolicy, boolean midstream, ExceptionPolicy memcapPolicy,
            java.util.Set<io.judo.applayer.AppProto> disabled, boolean dnsOverUdp,
            io.judo.applayer.http.HttpConfig http) {
        /** Judo's defaults: every session picked up and inspected, memcap hits refuse the segment, every protocol. */
        public static Settings defaults() {
            return new Settings(ExceptionPolicy.AUTO, true, ExceptionPolicy.IGNORE, java.util.Set.of(), true, null);
        }
    }

    /** {@link #simulateIps} was called: every lane, also those made later, prevents. */
    private boolean simulateIps;
    /** {@link #configure}'s settings, for every lane, also those made later. */
    private Settings settings = Settings.defaults();

    /** One worker's partition and the outputs that are its own. */
    private final class Lane implements CaptureScanner.PacketListener {
        final Partition partition;
        final JournalOutput journal;
        RewriteOutput output;

        Lane(JournalOutput journal) {
            this.journal = journal;
            this.partition = programs.partition(a -> {
                if (eve != null) {
                    synchronized (eve) { // workers alert concurrently; a line is written whole
                        eve.write(a);
                    }
                }
                if (journal != null) {
                    journal.alert(a, classes);
                }
            }, l -> {
                if (eve != null) {
                    synchronized (eve) {
                        eve.write(l);
                    }
                }
            });
            if (journal != null) {
                partition.onAnomaly(journal::anomaly);
            }
            if (eve != null && eve.logs(EveWriter.Type.ANOMALY)) {
                partition.onAnomaly(a -> {
                    String name = a.event().suricataEvent();
                    if (name != null) {
                        // timed by the flow's last packet: the packet that raised it, or for an event of the flow's
                        // end the flow's own last one, not whichever later packet (of any worker) ended it
                        String line = EveWriter.streamAnomalyLine(a.flow(), a.direction(), a.flow().lastSeen(), name);
                        synchronized (eve) {
                            eve.write(line);
                        }
                    }
                });
            }
            if (eve != null && (eve.logs(EveWriter.Type.HTTP) || eve.logs(EveWriter.Type.FILEINFO))) {
                partition.onTransaction(new HttpLog(line -> {
                    synchronized (eve) {
                        eve.write(line);
                    }
                }, eve.logs(EveWriter.Type.HTTP), eve.logs(EveWriter.Type.FILEINFO)));
            }
            if (eve != null && eve.logs(EveWriter.Type.DNS)) {
                partition.onTransaction(new io.judo.engine.output.DnsLog(line -> {
                    synchronized (eve) {
                        eve.write(line);
                    }
                }));
            }
            if (eve != null && eve.logs(EveWriter.Type.TLS)) {
                partition.onTransaction(new io.judo.engine.output.TlsLog(line -> {
                    synchronized (eve) {
                        eve.write(line);
                    }
                }));
            }
            if (eve != null && (eve.logs(EveWriter.Type.FTP) || eve.logs(EveWriter.Type.FILEINFO))) {
                partition.onTransaction(new io.judo.engine.output.FtpLog(line -> {
                    synchronized (eve) {
                        eve.write(line);
                    }
                }, eve.logs(EveWriter.Type.FTP), eve.logs(EveWriter.Type.FILEINFO)));
            }
            if (eve != null && (eve.logs(EveWriter.Type.SMTP) || eve.logs(EveWriter.Type.FILEINFO))) {
                partition.onTransaction(new io.judo.engine.output.SmtpLog(line -> {
                    synchronized (eve) {
                        eve.write(line);
                    }
                }, eve.logs(EveWriter.Type.SMTP), eve.logs(EveWriter.Type.FILEINFO)));
            }
            if (eve != null && eve.logs(EveWriter.Type.SSH)) {
                partition.onTransaction(new io.judo.engine.output.SshLog(line -> {
                    synchronized (eve) {
                        eve.write(line);
                    }
                }));
            }
            if (eve != null && eve.logs(EveWriter.Type.FLOW)) { // last: it hears a flow's end after the others
                partition.onStream(new io.judo.engine.output.FlowLog(line -> {
                    synchronized (eve) {
                        eve.write(line);
                    }
                }, partition));
            }
        }

        /** One EVE anomaly record per decoder event the packet raised (checksum problems have none, as in Suricata). */
        private void decodeAnomalies(PacketView view, long timeNanos, long flowId) {
            for (io.judo.packet.decode.Malformed m : MALFORMED) {
                String name = m.suricataEvent();
                if (name != null && view.has(m)) {
                    String line = EveWriter.decodeAnomalyLine(view, timeNanos, flowId, name);
                    synchronized (eve) {
                        eve.write(line);
                    }
                }
            }
        }

        /** Applies the pipeline's {@link Settings} to this lane's stages. */
        void settings() {
            if (partition.suricata() != null) {
                partition.suricata().midstreamPolicy(settings.midstreamPolicy(), settings.midstream());
                partition.suricata().memcapPolicy(settings.memcapPolicy());
            }
            if (partition.appLayer() != null) {
                partition.appLayer().disable(settings.disabled(), settings.dnsOverUdp());
                if (settings.http() != null) {
                    partition.appLayer().httpConfig(settings.http());
                }
            }
        }

        @Override
        public void skipped(long timeNanos) {
            partition.advance(timeNanos);
        }

        @Override
        public void packet(PacketView view, long timeNanos) {
            Decision d = partition.packet(view, timeNanos);
            if (view.problems() != 0 && eve != null && eve.logs(EveWriter.Type.ANOMALY)) {
                decodeAnomalies(view, timeNanos, d.flow() == null ? 0 : d.flow().id());
            }
            if (d.suricataBlocked() && eve != null && partition.preventing() && eve.logs(EveWriter.Type.DROP)) {
                String line = EveWriter.dropLine(view, timeNanos, d.flow() == null ? 0 : d.flow().id());
                synchronized (eve) {
                    eve.write(line);
                }
            }
            PolicyEngine pe = partition.policy();
            if (journal != null && pe != null) {
                journal.decision(pe, d.verdict(), timeNanos);
            }
            if (output != null) {
                Rewriting r = d.rewriting();
                output.packet(r, d.verdict(), view);
                if (journal != null) {
                    journal.rewrites(r, timeNanos);
                    if (pe != null) {
                        journal.remap(pe, timeNanos);
                    }
                }
                if (!live) {
                    output.flushHeld(r, timeNanos, false); // a capture's clock is its packets' times
                }
            }
        }
    }

    /**
     * @param programs the compiled rules and policy
     * @param eve where alerts and policy log lines go as EVE JSON, or null
     * @param journal the journal, or null; further workers append through its siblings
     * @param classes the rule set's classifications (EVE and journal categories)
     */
    public Pipeline(Programs programs, EveWriter eve, JournalOutput journal, Classifications classes) {
        this.programs = programs;
        this.eve = eve;
        this.classes = classes;
        this.first = new Lane(journal);
        lanes.add(first);
    }

    /**
     * Packets leave into a capture file through {@code sink} (its name for messages), rewritten as the rules say;
     * drop and reject leave them out. Prevention mode: a flow a drop rule fired in is dropped from then on.
     */
    public void writeCapture(String name, FrameSink sink, int mtu) {
        this.target = sink;
        this.targetName = name;
        this.mtu = mtu;
        first.output = RewriteOutput.capture(name, sink, mtu);
        first.partition.prevent(true);
    }

    /**
     * Suricata's {@code --simulate-ips}: prevention mode without a packet output. Drop and reject rules drop the
     * packets they match and every later packet of their flows (counted, EVE {@code drop} records when asked for,
     * alerts and flow records say so), as an inline Suricata would.
     */
    public void simulateIps() {
        simulateIps = true;
        for (Lane lane : lanes) {
            lane.partition.prevent(true);
        }
    }

    /** Applies suricata.yaml's exception policies, protocol switches and HTTP limits to every lane. */
    public void configure(Settings s) {
        this.settings = s;
        for (Lane lane : lanes) {
            lane.settings();
        }
    }

    /** Packets leave onto a link through {@code sink} (inline): one worker, the link's own clock for held bytes. */
    public void sendInline(String name, FrameSink sink, int mtu) {
        sendInline(name, List.of(sink), mtu);
    }

    /**
     * Packets leave onto links (inline), one worker per sink: lane i's partition decides the packets handed to
     * {@link #packet(int, PacketView, long)} with lane i and sends them through {@code sinks.get(i)}. Each lane is
     * driven by one thread of the caller's (the thread that reads that worker's sockets); nothing is shared between
     * lanes but the EVE writer, so the caller must see to it that a flow's packets, both ways, reach one lane (a
     * flow-hashing fanout does). The link's own clock times held bytes.
     *
     * @throws IllegalStateException when the pipeline already has workers or a packet output
     */
    public void sendInline(String name, List<? extends FrameSink> sinks, int mtu) {
        if (workers != null || lanes.size() > 1 || first.output != null || sinks.isEmpty()) {
            throw new IllegalStateException("sendInline: a fresh pipeline and at least one link");
        }
        first.output = RewriteOutput.inline(name, sinks.get(0), mtu);
        first.partition.prevent(true);
        for (int i = 1; i < sinks.size(); i++) {
            Lane lane = new Lane(first.journal == null ? null : first.journal.sibling());
            lane.output = RewriteOutput.inline(name, sinks.get(i), mtu);
            lane.partition.prevent(true);
            lane.settings();
            lanes.add(lane);
        }
        live = true;
    }

    /**
     * Runs {@code n} workers (1: the partition on the reading thread). A link's workers are those
     * {@link #sendInline(String, List, int)} made, one per sink.
     *
     * @return how many run
     */
    public int workers(int n) {
        if (n <= 1 || live || workers != null) {
            return lanes.size();
        }
        if (target != null) {
            order = new OrderedFrames(n, target);
            first.output = RewriteOutput.capture(targetName, order.lane(0), mtu);
        }
        for (int i = 1; i < n; i++) {
            Lane lane = new Lane(first.journal == null ? null : first.journal.sibling());
            if (order != null) {
                lane.output = RewriteOutput.capture(targetName, order.lane(i), mtu);
                lane.partition.prevent(true);
            }
            if (simulateIps) {
                lane.partition.prevent(true);
            }
            lane.settings();
            lanes.add(lane);
        }
        workers = new Workers(lanes, "judo-worker", order);
        return n;
    }

    /**
     * For {@code n} readers of their own (sharded {@link CaptureScanner}s on {@code n} threads, each reading the same
     * files): one lane per reader, each to be called from its reader's thread only; {@link #finish} after they ended.
     * Not with a packet output (its packets must leave in input order: {@link #workers}).
     */
    public List<CaptureScanner.PacketListener> shards(int n) {
        if (first.output != null || workers != null || lanes.size() > 1) {
            throw new IllegalStateException("shards: a fresh pipeline without a packet output");
        }
        for (int i = 1; i < n; i++) {
            Lane lane = new Lane(first.journal == null ? null : first.journal.sibling());
            lane.partition.prevent(simulateIps);
            lane.settings();
            lanes.add(lane);
        }
        return List.copyOf(lanes);
    }

    @Override
    public void packet(PacketView view, long timeNanos) {
        if (workers != null) {
            workers.packet(view, timeNanos);
        } else {
            first.packet(view, timeNanos);
        }
    }

    /**
     * Inline, one of {@link #sendInline(String, List, int)}'s lanes: decides a packet in lane {@code lane}'s
     * partition and sends it through the lane's link; to be called from that lane's thread only.
     */
    public void packet(int lane, PacketView view, long timeNanos) {
        lanes.get(lane).packet(view, timeNanos);
    }

    /** Inline: as {@link #packet(int, PacketView, long)}, for a packet that arrived by bridge side {@code side}. */
    public void packet(int lane, int side, PacketView view, long timeNanos) {
        Lane l = lanes.get(lane);
        l.partition.arrivedBy(side);
        l.packet(view, timeNanos);
    }

    /** Inline: the names of the bridge's two sides, for a judo policy's {@code on} (every lane's partition). */
    public void sides(String side0, String side1) {
        for (Lane l : lanes) {
            l.partition.sides(side0, side1);
        }
    }

    /** Inline: sends held-back bytes that waited long enough ({@code all}: all); returns how many remain held. */
    public int tick(long timeNanos, boolean all) {
        return tick(0, timeNanos, all);
    }

    /** As {@link #tick(long, boolean)}, for lane {@code lane}'s held bytes, from that lane's thread. */
    public int tick(int lane, long timeNanos, boolean all) {
        Lane l = lanes.get(lane);
        return l.output == null ? 0 : l.output.flushHeld(l.partition.rewriting(), timeNanos, all);
    }

    /**
     * Inline: when {@code v} is a reply of a flow lane {@code lane}'s policy remapped (nat-to/rdr-to), the frame with
     * its original addresses in {@code into}'s output; returns its length, or 0 when it is no such reply.
     */
    public int untranslate(int lane, PacketView v, io.judo.rewrite.SegmentRewriter into) {
        PolicyEngine pe = lanes.get(lane).partition.policy();
        return pe == null ? 0 : pe.rewrites().replies().untranslate(v, into);
    }

    /** The queue lane {@code lane}'s judo policy put its last packet in (0: the default queue, or no policy). */
    public int lastQueue(int lane) {
        PolicyEngine pe = lanes.get(lane).partition.policy();
        return pe == null ? 0 : pe.lastQueue();
    }

    /** The judo policy's queue declarations; none without a policy. */
    private List<io.judo.rules.judo.JudoPolicy.Queue> declaredQueues() {
        return programs.policy() == null ? List.of() : programs.policy().policy().queues();
    }

    /**
     * The transmit queues of one interface for the policy's declared queues (index 0: pf's default queue), or null
     * when there is no judo policy or it declares none.
     */
    public io.judo.engine.queue.TransmitQueues transmitQueues(io.judo.engine.queue.TransmitQueues.Transmitter out,
            long nowNanos) {
        List<io.judo.rules.judo.JudoPolicy.Queue> declared = declaredQueues();
        if (declared.isEmpty()) {
            return null;
        }
        long[] rates = new long[declared.size() + 1];
        int[] prios = new int[declared.size() + 1];
        prios[0] = 1; // pf's default queue
        for (int i = 0; i < declared.size(); i++) {
            rates[i + 1] = declared.get(i).rateBitsPerSecond();
            prios[i + 1] = declared.get(i).prio();
        }
        return new io.judo.engine.queue.TransmitQueues(rates, prios, io.judo.engine.queue.TransmitQueues.DEFAULT_LIMIT,
                out, nowNanos);
    }

    /** Declared queue names, index 0 the default queue. */
    public List<String> queueNames() {
        List<String> names = new ArrayList<>(List.of("(default)"));
        declaredQueues().forEach(q -> names.add(q.name()));
        return names;
    }

    /**
     * Why the judo policy must run on one worker inline, or null when it can run on several: the way back of a
     * nat-to/rdr-to flow is keyed by addresses the kernel's fanout hashes differently from the flow's (a reply may
     * reach a worker that does not know the flow), and a queue's rate is one limit for the link, not one per worker.
     */
    public String needsOneWorker() {
        if (programs.policy() == null) {
            return null;
        }
        for (io.judo.rules.judo.JudoRule r : programs.policy().policy().rules()) {
            if (r.natTo() != null || r.rdrTo() != null) {
                return "the policy remaps addresses (nat-to/rdr-to): a translated reply hashes to another worker than "
                        + "its flow";
            }
        }
        return declaredQueues().isEmpty() ? null
                : "the policy declares queues: a queue's rate limits the whole link, not each worker";
    }

    /**
     * Waits for the workers, sends what is still held back, flushes reassembly (end of input) and closes the journal
     * and the packet output (not the EVE writer's stream: its opener closes it).
     *
     * @throws OutputException when an output could not be written
     * @throws IllegalStateException when a worker failed (a bug)
     */
    public void finish() {
        long started = System.nanoTime();
        try {
            if (workers != null) {
                workers.finish();
            }
            if (order != null) {
                order.finish();
            }
            drainNanos = workers == null ? 0 : System.nanoTime() - started;
        } catch (Workers.WorkerFailure e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof OutputException oe) {
                    throw oe; // the output's own trouble (a full disk), said as such
                }
            }
            throw new IllegalStateException(e.getMessage(), e.getCause());
        }
        for (Lane lane : lanes) {
            if (lane.output != null) {
                Rewriting r = lane.partition.rewriting();
                lane.output.flushHeld(r, r.lastTime(), true); // bytes still held back go out at the end
            }
            lane.partition.finish(); // on this thread: the workers were joined
            lane.partition.close();
        }
        for (int i = lanes.size() - 1; i >= 0; i--) { // siblings before the journal that owns the queue
            if (lanes.get(i).journal != null) {
                lanes.get(i).journal.close();
            }
        }
        if (first.output != null) {
            if (order != null) {
                try {
                    target.close();
                } catch (java.io.IOException e) {
                    throw new OutputException(targetName, e);
                }
            } else {
                for (Lane lane : lanes) { // inline: a link per lane
                    if (lane.output != null) {
                        lane.output.close();
                    }
                }
            }
        }
    }

    /** Each worker's partition, worker 0 first. */
    public List<Partition> partitions() {
        List<Partition> all = new ArrayList<>();
        for (Lane l : lanes) {
            all.add(l.partition);
        }
        return all;
    }

    /** Worker 0's partition (the only one with one worker). */
    public Partition first() {
        return first.partition;
    }

    /** What the packet output did, all workers summed; null when packets do not leave. */
    public RewriteOutput.Report rewriteReport() {
        if (first.output == null) {
            return null;
        }
        RewriteOutput.Report r = null;
        for (Lane l : lanes) {
            r = r == null ? l.output.report(l.partition.rewriting()) : r.add(l.output, l.partition.rewriting());
        }
        return r;
    }

    /** A count summed over the workers' partitions (each worker counts its own packets and flows). */
    public long sum(java.util.function.ToLongFunction<Partition> count) {
        long n = 0;
        for (Lane l : lanes) {
            n += count.applyAsLong(l.partition);
        }
        return n;
    }

    /** An application-layer count summed over the workers' partitions ({@link Partition#count}). */
    public long sum(io.judo.engine.detect.AppLayerCount c) {
        return sum(p -> p.count(c));
    }

    /** A Suricata-stage count summed over the workers' partitions. */
    public long sum(io.judo.engine.detect.SuricataCount c) {
        return sum(p -> p.count(c));
    }

    /** A reassembly count summed over the workers' partitions (each worker reassembles its own flows). */
    public long sum(io.judo.reassembly.StreamCount c) {
        return sum(p -> p.reassembler().count(c));
    }

    /** A policy-stage count summed over the workers' partitions. */
    public long sum(io.judo.engine.detect.PolicyCount c) {
        return sum(p -> p.count(c));
    }

    /** Per-index counts (per rule, per verdict, per queue...) summed over the workers' partitions. */
    public long[] sumCounts(java.util.function.Function<Partition, long[]> counts) {
        return mergeCounts(counts, Long::sum);
    }

    /** Per-index maxima (the slowest check per rule...) over the workers' partitions. */
    public long[] maxCounts(java.util.function.Function<Partition, long[]> counts) {
        return mergeCounts(counts, Math::max);
    }

    private long[] mergeCounts(java.util.function.Function<Partition, long[]> counts,
            java.util.function.LongBinaryOperator merge) {
        long[] total = counts.apply(first.partition).clone();
        for (int w = 1; w < lanes.size(); w++) {
            long[] c = counts.apply(lanes.get(w).partition);
            for (int i = 0; i < total.length; i++) {
                total[i] = merge.applyAsLong(total[i], c[i]);
            }
        }
        return total;
    }

    /** Journal records written by every worker. */
    public long journalRecords() {
        long n = 0;
        for (Lane l : lanes) {
            n += l.journal == null ? 0 : l.journal.written();
        }
        return n;
    }

    /**
     * How long {@link #finish} waited for the workers to decide the packets handed over before the input ended (0 with
     * one worker): part of the scan's time, as the reading was.
     */
    public long drainNanos() {
        return drainNanos;
    }

    private long drainNanos;

    /** Whether packets leave (a written capture, a link): their order is the input's, read by one reader. */
    public boolean writes() {
        return first.output != null || target != null;
    }

    /** Whether packets go onto a link (inline) rather than into a file. */
    public boolean live() {
        return live;
    }

    /** The compiled programs the partitions run. */
    public Programs programs() {
        return programs;
    }
}
