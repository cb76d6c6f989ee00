package io.judo.reassembly;

import io.judo.packet.decode.PacketView;
import io.judo.packet.flow.FlowKey;
import java.util.function.Consumer;

/**
 * Bidirectional flows keyed by {@link FlowKey} (5-tuple and VLANs, both directions one key), held in a hash table
 * whose chains and least-recently-used list run through the flows themselves (no map entries, no key copies: the
 * memory per tracked flow is the flow and its streams). Idle flows expire from the least recently used end and, when
 * the table is full, that flow is evicted to make room. Looking a flow up allocates nothing; creating one allocates
 * the flow.
 */
public final class FlowTable {
    private static final int INITIAL_BUCKETS = 1024;

    private final int maxFlows;
    private final long tcpTimeout;
    private final long otherTimeout;
    private Flow[] buckets = new Flow[INITIAL_BUCKETS];
    /** Least recently used flow (where expiry and eviction start) and most recently used one. */
    private Flow oldest;
    private Flow newest;
    /** Per timeout class (0 TCP, 1 the rest), its least and most recently used flow. */
    private final Flow[] oldestOf = new Flow[2];
    private final Flow[] newestOf = new Flow[2];
    private long touches;
    private int size;
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
        int h = key.symmetricHash();
        for (Flow f = buckets[h & (buckets.length - 1)]; f != null; f = f.hashNext) {
            if (f.matches(key, h)) {
                f.lastSeen = Math.max(f.lastSeen, now);
                touch(f);
                return f;
            }
        }
        if (size >= maxFlows && oldest != null) {
            Flow victim = oldest;
            remove(victim);
            evicted++;
            victim.endReason = Flow.EndReason.FORCED;
            onEnd.accept(victim);
        }
        created++;
        Flow f = new Flow(key, flowId(key, now), v, senderIsClient(v), now);
        int b = h & (buckets.length - 1);
        f.hashNext = buckets[b];
        buckets[b] = f;
        link(f);
        if (++size > buckets.length - (buckets.length >>> 2)) {
            grow();
        }
        return f;
    }

    private static boolean senderIsClient(PacketView v) {
        if (v.ipProtocol() != 6) {
            return true; // UDP, ICMP and the rest: the first packet's sender is the client, as Suricata has it
        }
        int flags = v.tcpFlags();
        if ((flags & 0x02) != 0) {
            return (flags & 0x10) == 0; // SYN: the client; SYN-ACK: the server
        }
        return v.srcPort() >= v.dstPort(); // mid-stream: servers usually have the lower port
    }

    /** Moves {@code f} to the most recently used end. */
    private void touch(Flow f) {
        if (f != newest) {
            unlink(f);
            link(f);
        }
    }

    private static int timeoutClass(Flow f) {
        return f.protocol == 6 ? 0 : 1;
    }

    private void link(Flow f) {
        f.touched = ++touches;
        int c = timeoutClass(f);
        f.olderInClass = newestOf[c];
        f.newerInClass = null;
        if (newestOf[c] != null) {
            newestOf[c].newerInClass = f;
        } else {
            oldestOf[c] = f;
        }
        newestOf[c] = f;
        f.older = newest;
        f.newer = null;
        if (newest != null) {
            newest.newer = f;
        } else {
            oldest = f;
        }
        newest = f;
    }

    private void unlink(Flow f) {
        int c = timeoutClass(f);
        if (f.olderInClass != null) {
            f.olderInClass.newerInClass = f.newerInClass;
        } else {
            oldestOf[c] = f.newerInClass;
        }
        if (f.newerInClass != null) {
            f.newerInClass.olderInClass = f.olderInClass;
        } else {
            newestOf[c] = f.olderInClass;
        }
        f.olderInClass = null;
        f.newerInClass = null;
        if (f.older != null) {
            f.older.newer = f.newer;
        } else {
            oldest = f.newer;
        }
        if (f.newer != null) {
            f.newer.older = f.older;
        } else {
            newest = f.older;
        }
        f.older = null;
        f.newer = null;
    }

    /** Takes {@code f} out of its bucket chain and the LRU list. */
    private void remove(Flow f) {
        int b = f.hash & (buckets.length - 1);
        if (buckets[b] == f) {
            buckets[b] = f.hashNext;
        } else {
            Flow p = buckets[b];
            while (p.hashNext != f) {
                p = p.hashNext;
            }
            p.hashNext = f.hashNext;
        }
        f.hashNext = null;
        unlink(f);
        size--;
    }

    /** Doubles the buckets (load factor 0.75), rehashing every chain. */
    private void grow() {
        Flow[] old = buckets;
        Flow[] next = new Flow[old.length * 2];
        for (Flow head : old) {
            for (Flow f = head; f != null; ) {
                Flow after = f.hashNext;
                int b = f.hash & (next.length - 1);
                f.hashNext = next[b];
                next[b] = f;
                f = after;
            }
        }
        buckets = next;
    }

    /**
     * Ends flows idle for longer than their timeout at time {@code now}, least recently used first. Each timeout class
     * is walked from its oldest flow only while flows are past that class's timeout, so a call costs the flows it ends
     * (a walk of one list stopped at the shorter timeout would pass every TCP flow idle between the two timeouts on
     * every packet: minutes of a long capture's flows, per packet).
     */
    void expire(long now, Consumer<Flow> onEnd) {
        while (true) {
            Flow tcp = oldestOf[0];
            Flow other = oldestOf[1];
            boolean tcpDue = tcp != null && now - tcp.lastSeen > tcpTimeout;
            boolean otherDue = other != null && now - other.lastSeen > otherTimeout;
            if (!tcpDue && !otherDue) {
                return; // later flows of each class were used more recently still
            }
            Flow f = tcpDue && (!otherDue || tcp.touched < other.touched) ? tcp : other;
            remove(f);
            expired++;
            f.endReason = Flow.EndReason.TIMEOUT;
            onEnd.accept(f);
        }
    }

    /** Ends every flow (end of input), least recently used first. */
    void drain(Consumer<Flow> onEnd) {
        while (oldest != null) {
            Flow f = oldest;
            remove(f);
            f.endReason = Flow.EndReason.SHUTDOWN;
            onEnd.accept(f);
        }
    }

    public int size() {
        return size;
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

    /**
     * A flow's id: a hash of its key (both directions alike) and its first packet's time, not a counter, so that it
     * names the same flow whichever flow table (whichever worker) tracks it, and the flows of several workers never
     * share one. Kept below 2^53, as EVE readers that parse numbers as doubles need; never 0 (0 means no flow).
     */
    static long flowId(io.judo.packet.flow.FlowKey key, long firstNanos) {
        long h = mix(key.addressHi(true) * 31 + key.addressLo(true)) + mix(key.addressHi(false) * 31
                + key.addressLo(false));
        h = mix(h ^ mix(key.packed()));
        if (key.tunnel() != 0) {
            h = mix(h ^ key.tunnel());
        }
        h = mix(h ^ firstNanos) & ((1L << 53) - 1);
        return h == 0 ? 1 : h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
