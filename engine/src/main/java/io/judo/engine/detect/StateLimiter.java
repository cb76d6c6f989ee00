package io.judo.engine.detect;

import io.judo.packet.decode.PacketView;
import io.judo.rules.judo.JudoRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * pf's state limits for a judo policy: {@code max} (states a rule holds), {@code max-src-nodes}, {@code max-src-states},
 * {@code max-src-conn} and {@code max-src-conn-rate} per source address, and {@code overload <table> [flush [global]]}.
 * A packet that would create a state past a limit is dropped (pf's "state-limit" and "src-limit" reasons). A TCP
 * connection is counted against its source when its handshake completes; one that goes past {@code max-src-conn} or
 * the rate is dropped with its state, its source goes into the overload table, and {@code flush} kills the source's
 * other states (the rule's, or with {@code global} every rule's): their flows' next packets meet the rules again.
 *
 * <p>Shared by every partition of a run, as pf's source nodes are global; its methods run once per state (created,
 * established, ended), never per packet, so they are synchronized. A state killed from another partition is marked,
 * and its own partition drops the state at the flow's next packet.
 */
public final class StateLimiter {
    /** What stopped a state. */
    public enum Limit {
        MAX_STATES("max"),
        SRC_NODES("max-src-nodes"),
        SRC_STATES("max-src-states"),
        SRC_CONN("max-src-conn"),
        SRC_CONN_RATE("max-src-conn-rate");

        private final String option;

        Limit(String option) {
            this.option = option;
        }

        /** The pf state option. */
        public String option() {
            return option;
        }
    }

    /** A connection-rate count, scaled so that one connection is this much (pf's moving average, in integers). */
    private static final long ONE = 1000;

    /** One source address's counts for a rule, or for the rules with {@code source-track global}. */
    private static final class Source {
        final AddressKey address;
        int states;
        int connections;
        long rate;
        long rateLast;
        final List<Tracked> members = new ArrayList<>(2);

        Source(AddressKey address) {
            this.address = address;
        }
    }

    /** The limiter's part of one pf state. */
    public static final class Tracked {
        final int rule;
        final int origin;
        final Source source;
        final AddressKey host;
        boolean live = true;
        boolean counted;
        /** Set when an overload's flush killed the state (possibly from another partition). */
        volatile boolean killed;

        Tracked(int rule, int origin, Source source, AddressKey host) {
            this.rule = rule;
            this.origin = origin;
            this.source = source;
            this.host = host;
        }

        /** Whether a flush killed the state: its flow's next packet meets the rules again. */
        public boolean killed() {
            return killed;
        }

        /** The flow direction of the packet that created the state. */
        public int origin() {
            return origin;
        }
    }

    private final List<JudoRule> rules;
    private final RuntimeTables tables;
    /** Whether any rule flushes globally: then every state is indexed by its source. */
    private final boolean indexAll;
    private final int[] statesOfRule;
    /** Per track (0: global, rule + 1), the sources and how many of them hold states. */
    private final List<Map<AddressKey, Source>> sources = new ArrayList<>();
    private final int[] liveSources;
    private final int[] sweptAt;
    private final Map<AddressKey, List<Tracked>> byHost = new HashMap<>();
    private final AddressKey probe = new AddressKey();
    /** The longest rate window of any rule: a source idle for longer has no rate left to keep. */
    private final long maxWindow;
    private final long[] hits = new long[Limit.values().length];
    private long overloads;
    private long killedStates;

    /** The limiter a policy's rules need, or null when none has state limits. */
    public static StateLimiter of(io.judo.rules.judo.JudoPolicy policy) {
        StateLimiter l = new StateLimiter(policy.rules(), new RuntimeTables(policy.runtimeTables()));
        return l.active() ? l : null;
    }

    public StateLimiter(List<JudoRule> rules, RuntimeTables tables) {
        this.rules = rules;
        this.tables = tables;
        boolean all = false;
        for (JudoRule r : rules) {
            all |= r.limits() != null && r.limits().flush() == 2;
        }
        this.indexAll = all;
        long w = 0;
        for (JudoRule r : rules) {
            if (r.limits() != null) {
                w = Math.max(w, r.limits().rateSeconds() * 1_000_000_000L);
            }
        }
        this.maxWindow = w;
        this.statesOfRule = new int[rules.size()];
        this.liveSources = new int[rules.size() + 1];
        this.sweptAt = new int[rules.size() + 1];
        for (int i = 0; i <= rules.size(); i++) {
            sources.add(new HashMap<>());
            sweptAt[i] = 1024;
        }
    }

    /** Whether states need the limiter at all (some rule has limits or an overload). */
    public boolean active() {
        for (JudoRule r : rules) {
            if (r.limits() != null) {
                return true;
            }
        }
        return false;
    }

    /** {@link #admit}'s answer for a state a limit refused. */
    public static final Tracked REFUSED = new Tracked(-1, 0, null, null);

    /**
     * A state rule {@code rule} (0-based) is about to create for packet {@code v}, whose source is the state's.
     *
     * @return the state's tracking, null when nothing needs tracking, or {@link #REFUSED}: drop the packet
     */
    public synchronized Tracked admit(int rule, PacketView v, int direction, long now) {
        JudoRule.StateLimits l = rules.get(rule).limits();
        if (l == null && !indexAll || v.addressLength() == 0) {
            return null;
        }
        if (l != null && l.max() > 0 && statesOfRule[rule] >= l.max()) {
            return refuse(Limit.MAX_STATES);
        }
        probe.fill(v.buffer(), v.srcAddressOffset(), -1, v.addressLength());
        Source source = null;
        if (l != null && l.perSource()) {
            int track = l.globalTracking() ? 0 : rule + 1;
            Map<AddressKey, Source> map = sources.get(track);
            source = map.get(probe);
            if ((source == null || source.states == 0) && l.maxSrcNodes() > 0
                    && liveSources[track] >= l.maxSrcNodes()) {
                return refuse(Limit.SRC_NODES);
            }
            if (source != null && l.maxSrcStates() > 0 && source.states >= l.maxSrcStates()) {
                return refuse(Limit.SRC_STATES);
            }
            if (source == null) {
                sweep(track, now);
                source = new Source(probe.copy());
                map.put(source.address, source);
            }
            if (source.states++ == 0) {
                liveSources[track]++;
            }
        }
        AddressKey host = source != null ? source.address : probe.copy();
        Tracked t = new Tracked(rule, direction, source, host);
        if (source != null) {
            source.members.add(t);
        }
        if (indexAll) {
            byHost.computeIfAbsent(host, k -> new ArrayList<>(2)).add(t);
        }
        statesOfRule[rule]++;
        return t;
    }

    private Tracked refuse(Limit why) {
        hits[why.ordinal()]++;
        return REFUSED;
    }

    /**
     * The state's TCP handshake completed at {@code now}: its connection counts against its source.
     *
     * @return false when the connection goes past a limit: drop the packet, the state is gone (see the class note)
     */
    public synchronized boolean established(Tracked t, long now) {
        if (t.counted || !t.live || t.source == null) {
            return t.live;
        }
        t.counted = true;
        JudoRule.StateLimits l = rules.get(t.rule).limits();
        Source s = t.source;
        s.connections++;
        boolean bad = false;
        if (l.maxSrcConn() > 0 && s.connections > l.maxSrcConn()) {
            hits[Limit.SRC_CONN.ordinal()]++;
            bad = true;
        }
        if (l.rateConnections() > 0) {
            long window = l.rateSeconds() * 1_000_000_000L;
            long since = Math.max(0, now - s.rateLast);
            // a moving average: what was counted decays linearly over the window
            s.rate = since >= window ? 0 : s.rate - (long) (s.rate * ((double) since / window));
            s.rate += ONE;
            // partitions reach the limiter out of capture order: the average's clock never goes back
            s.rateLast = Math.max(s.rateLast, now);
            if (s.rate > l.rateConnections() * ONE) {
                hits[Limit.SRC_CONN_RATE.ordinal()]++;
                bad = true;
            }
        }
        if (!bad) {
            return true;
        }
        if (l.overload() > 0 && tables.add(l.overload(), s.address)) {
            overloads++;
        }
        if (l.flush() == 1) {
            for (Tracked m : List.copyOf(s.members)) {
                if (m != t && m.rule == t.rule) {
                    kill(m);
                }
            }
        } else if (l.flush() == 2) {
            List<Tracked> all = byHost.get(s.address);
            if (all != null) {
                for (Tracked m : List.copyOf(all)) {
                    if (m != t) {
                        kill(m);
                    }
                }
            }
        }
        if (t.live) {
            release(t);
        }
        return false;
    }

    private void kill(Tracked m) {
        if (m.live) {
            m.killed = true;
            killedStates++;
            release(m);
        }
    }

    /** The state ended (its flow closed, or its partition dropped it): it no longer counts. */
    public synchronized void ended(Tracked t) {
        if (t != null && t != REFUSED && t.live) {
            release(t);
        }
    }

    private void release(Tracked t) {
        t.live = false;
        statesOfRule[t.rule]--;
        Source s = t.source;
        if (s != null) {
            s.members.remove(t);
            if (t.counted) {
                s.connections--;
            }
            if (--s.states == 0) {
                JudoRule.StateLimits l = rules.get(t.rule).limits();
                liveSources[l.globalTracking() ? 0 : t.rule + 1]--;
            }
        }
        if (indexAll) {
            List<Tracked> all = byHost.get(t.host);
            if (all != null) {
                all.remove(t);
                if (all.isEmpty()) {
                    byHost.remove(t.host);
                }
            }
        }
    }

    /**
     * Drops a track's sources that hold no state and whose rate has decayed to nothing, once the track has doubled
     * since the last sweep (a source keeps its rate between connections, so it cannot go with its last state).
     */
    private void sweep(int track, long now) {
        Map<AddressKey, Source> map = sources.get(track);
        if (map.size() < 2 * sweptAt[track]) {
            return;
        }
        for (Iterator<Source> it = map.values().iterator(); it.hasNext(); ) {
            Source s = it.next();
            if (s.states == 0 && (s.rate == 0 || now - s.rateLast > maxWindow)) {
                it.remove();
            }
        }
        sweptAt[track] = Math.max(1024, map.size());
    }

    /** Packets dropped or connections cut per limit. */
    public synchronized long hits(Limit l) {
        return hits[l.ordinal()];
    }

    /** Sources put in overload tables (each once per table). */
    public synchronized long overloads() {
        return overloads;
    }

    /** States killed by flushes (the overloaded connection itself not counted). */
    public synchronized long killedStates() {
        return killedStates;
    }

    /** The tables overloads fill. */
    public RuntimeTables tables() {
        return tables;
    }
}
