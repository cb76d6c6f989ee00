package io.judo.reassembly;

import io.judo.packet.decode.PacketView;
import io.judo.packet.flow.FlowKey;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Consumer;

/**
 * Bidirectional flows keyed by {@link FlowKey} (5-tuple and VLANs, both directions one key). Iteration order is
 * least recently used first, so idle flows expire from the head and, when the table is full, the least recently
 * used flow is evicted to make room. Looking a flow up allocates nothing; creating one allocates the flow.
 */
public final class FlowTable {
    private final int maxFlows;
    private final long tcpTimeout;
    private final long otherTimeout;
    private final LinkedHashMap<FlowKey, Flow> flows = new LinkedHashMap<>(1024, 0.75f, true);
    private long created;
    private long evicted;
    private long expired;

    /**
     * @param maxFlows flows held at most; beyond it the least recently used is evicted
     * @param tcpTimeoutNanos idle time after which a TCP flow ends
     * @param otherTimeoutNanos idle time for UDP, ICMP and the rest
     */
    public FlowTable(int maxFlows, long tcpTimeoutNanos, long otherTimeoutNanos) {
        this.maxFlows = maxFlows;
        this.tcpTimeout = tcpTimeoutNanos;
        this.otherTimeout = otherTimeoutNanos;
    }

    /** Defaults close to Suricata's: one million flows, TCP 3600 s, others 300 s. */
    public static FlowTable defaults() {
        return new FlowTable(1_000_000, 3600_000_000_000L, 300_000_000_000L);
    }

    /**
     * The flow of a packet, created when new (the client is the sender, unless the packet is a SYN-ACK or, picked
     * up mid-stream, the receiver has the higher port).
     *
     * @param onEnd receives a flow evicted to make room
     */
    Flow lookup(FlowKey key, PacketView v, long now, Consumer<Flow> onEnd) {
        Flow f = flows.get(key);
        if (f != null) {
            f.lastSeen = Math.max(f.lastSeen, now);
            return f;
        }
        if (flows.size() >= maxFlows) {
            Iterator<Flow> oldest = flows.values().iterator();
            Flow victim = oldest.next();
            oldest.remove();
            evicted++;
            onEnd.accept(victim);
        }
        boolean senderIsClient = senderIsClient(v);
        FlowKey copy = new FlowKey().set(key);
        f = new Flow(copy, ++created, v, senderIsClient, now);
        flows.put(copy, f);
        return f;
    }

    private static boolean senderIsClient(PacketView v) {
        int flags = v.tcpFlags();
        if (v.ipProtocol() == 6 && (flags & 0x02) != 0) {
            return (flags & 0x10) == 0; // SYN: the client; SYN-ACK: the server
        }
        return v.srcPort() >= v.dstPort(); // mid-stream: servers usually have the lower port
    }

    /** Ends flows idle for longer than their timeout at time {@code now}. */
    void expire(long now, Consumer<Flow> onEnd) {
        long shortest = Math.min(tcpTimeout, otherTimeout);
        Iterator<Flow> it = flows.values().iterator();
        while (it.hasNext()) {
            Flow f = it.next();
            long idle = now - f.lastSeen;
            if (idle <= shortest) {
                return; // later flows were used more recently still
            }
            if (idle > (f.protocol == 6 ? tcpTimeout : otherTimeout)) {
                it.remove();
                expired++;
                onEnd.accept(f);
            }
        }
    }

    /** Ends every flow (end of input). */
    void drain(Consumer<Flow> onEnd) {
        Iterator<Flow> it = flows.values().iterator();
        while (it.hasNext()) {
            Flow f = it.next();
            it.remove();
            onEnd.accept(f);
        }
    }

    public int size() {
        return flows.size();
    }

    public long created() {
        return created;
    }

    public long evicted() {
        return evicted;
    }

    public long expired() {
        return expired;
    }
}
