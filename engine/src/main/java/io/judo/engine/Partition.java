package io.judo.engine;

import io.judo.engine.detect.Alert;
import io.judo.engine.detect.Detector;
import io.judo.engine.detect.FlowPath;
import io.judo.engine.detect.PolicyEngine;
import io.judo.engine.detect.Rewriting;
import io.judo.engine.detect.Stage;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.TcpReassembler;
import io.judo.vm.Verdict;
import java.util.function.Consumer;

/**
 * One partition: a flow path (defragmentation, flow table, TCP reassembly) and the rule stages over it, the Suricata
 * stage then the policy stage, each with its per-flow state in a slot of the path's flows. A packet is tracked once,
 * the stream bytes it completes reach every stage, then every stage inspects it, and {@link #packet} returns the one
 * {@link Decision}. Owns no thread and no static state: a worker runs one, a Flink subtask could host one. Not
 * thread-safe.
 */
public final class Partition implements AutoCloseable {
    private final FlowPath path;
    private final Detector suricata;
    private final PolicyEngine policy;
    private final Stage[] stages;
    private boolean prevent;
    private long droppedPackets;
    private final Decision decision = new Decision();
    private long now;

    Partition(Programs programs, Consumer<Alert> alerts, Consumer<PolicyEngine.Logged> logs) {
        this.path = new FlowPath(programs.config(), programs.validateChecksums());
        this.suricata = programs.rules() == null ? null
                : new Detector(programs.rules(), programs.ruleDatabases(), path, alerts, programs.jit());
        this.policy = programs.policy() == null ? null
                : new PolicyEngine(programs.policy(), programs.policyDatabase(), path, logs, programs.jit(),
                        programs.limiter());
        if (policy != null) {
            policy.inside(programs.inside());
        }
        if (suricata != null && policy != null) {
            suricata.recordEdits(false); // the policy's rewriting is the one applied
        }
        if (suricata == null) {
            this.stages = policy == null ? new Stage[0] : new Stage[] {policy}; // none: only outputs (EVE flow records)
        } else {
            this.stages = policy == null ? new Stage[] {suricata} : new Stage[] {suricata, policy};
        }
        decision.rewriting = policy != null ? policy : suricata;
    }

    /**
     * Inline: the names of the bridge's two sides, which a judo policy's {@code on} names match (a packet comes in on
     * the side it arrived by, or, from an inside network, goes out on the other).
     */
    public void sides(String side0, String side1) {
        if (policy != null) {
            policy.sides(side0, side1);
        }
    }

    /** Inline: the side (0 or 1) the next packet arrived by. */
    public void arrivedBy(int side) {
        if (policy != null) {
            policy.arrivedBy(side);
        }
    }

    /**
     * Decides one decoded packet captured at {@code timeNanos}. The view must stay valid during the call only.
     *
     * @return this partition's decision object, filled for this packet (valid until the next call)
     */
    public Decision packet(PacketView v, long timeNanos) {
        now = timeNanos;
        Decision d = decision;
        d.reset();
        PacketView whole = path.run(stages, v, timeNanos);
        if (whole == null) {
            d.held = true;
            d.verdict = Decision.HELD;
            return d;
        }
        Flow f = path.flow();
        d.flow = f;
        d.direction = f == null ? 0 : path.direction();
        if (policy != null) {
            d.verdict = policy.lastVerdict();
            d.queue = policy.lastQueue();
            d.tag = policy.lastTag();
            d.policyRule = policy.lastRule();
        }
        if (suricata != null && suricata.blocked()) {
            d.suricataBlocked = true;
            if (prevent) {
                droppedPackets++;
            }
            if (d.verdict == Verdict.PASS) {
                d.verdict = Verdict.DROP; // a drop or reject rule leaves the packet out (of a written capture, a link)
            }
        }
        return d;
    }

    /**
     * A packet of another partition passed at {@code timeNanos} (a sharded reader skips it): this partition's flows
     * age by the capture's clock, not only by their own packets, so a flow times out when it would in one partition.
     */
    public void advance(long timeNanos) {
        now = timeNanos;
        for (Stage s : stages) {
            s.clock(timeNanos);
        }
        path.advance(timeNanos);
    }

    /**
     * Prevention (IPS) mode for the Suricata stage ({@link Detector#prevent}): once a drop or reject rule fires in a
     * flow, its later packets are dropped unseen. Outputs that pass packets on (a written capture, a link) turn it on.
     */
    public void prevent(boolean on) {
        prevent = on;
        if (suricata != null) {
            suricata.prevent(on);
        }
    }

    /** Whether prevention mode is on ({@link #prevent}). */
    public boolean preventing() {
        return prevent;
    }

    /** In prevention mode, the packets the Suricata stage dropped (by its rules, and in the flows they dropped). */
    public long droppedPackets() {
        return droppedPackets;
    }

    /** Sends stream anomalies (overlaps with different data, gaps, decoys, memcap...) to {@code sink}. */
    public void onAnomaly(Consumer<Detector.Anomaly> sink) {
        anomalySinks = anomalySinks == null ? sink : anomalySinks.andThen(sink); // the journal and EVE both listen
        Consumer<Detector.Anomaly> all = anomalySinks;
        path.anomalies((f, dir, event, offset) -> all.accept(new Detector.Anomaly(now, f, dir, event, offset)));
    }

    private Consumer<Detector.Anomaly> anomalySinks;

    /**
     * Subscribes {@code t} to the partition's application layer (created on first use): it hears every transaction
     * of every flow, after the rule stages.
     */
    public void onTransaction(io.judo.engine.detect.AppLayer.Transactions t) {
        path.appLayer().subscribe(t);
    }

    /**
     * Tells {@code l} of the partition's stream bytes and flow ends, after the stages and outputs that listen already
     * (an EVE flow log hears a flow's end once its last alerts were raised).
     */
    public void onStream(io.judo.engine.detect.FlowPath.StreamListener l) {
        path.listen(l);
    }

    /** The partition's application layer, or null when no stage or output asked for one. */
    public io.judo.engine.detect.AppLayer appLayer() {
        return path.appLayerIfAny();
    }

    /** The application layer's count of {@code c}; 0 when the partition has no application layer. */
    public long count(io.judo.engine.detect.AppLayerCount c) {
        io.judo.engine.detect.AppLayer a = path.appLayerIfAny();
        return a == null ? 0 : a.count(c);
    }

    /** The Suricata stage's count of {@code c}; 0 without Suricata rules. */
    public long count(io.judo.engine.detect.SuricataCount c) {
        return suricata() == null ? 0 : suricata().count(c);
    }

    /** The judo policy stage's count of {@code c}; 0 without a policy. */
    public long count(io.judo.engine.detect.PolicyCount c) {
        return policy() == null ? 0 : policy().count(c);
    }

    /** Ends every flow (end of input): what reassembly still holds reaches the stages. */
    public void finish() {
        for (Stage s : stages) {
            s.finishing();
        }
        path.finish();
    }

    /** The Suricata stage, or null. */
    public Detector suricata() {
        return suricata;
    }

    /** The policy stage, or null. */
    public PolicyEngine policy() {
        return policy;
    }

    /** The stage whose edits apply to packets as they leave (the policy's when there is one). */
    public Rewriting rewriting() {
        return decision.rewriting;
    }

    /** The time of the packet last given. */
    public long lastTime() {
        return now;
    }

    /** The flow path's reassembler (its counters). */
    public TcpReassembler reassembler() {
        return path.reassembler();
    }

    @Override
    public void close() {
        for (Stage s : stages) {
            s.close();
        }
    }
}
