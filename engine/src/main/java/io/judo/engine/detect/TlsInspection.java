package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.matcher.MatchSink;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.Scanner;
import io.judo.rules.ir.Inspection;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.SuricataRule;
import io.judo.vm.Buffer;
import java.util.List;

/**
 * Which rules of the transaction hook run on TLS sessions, when, and their prefilter. A TLS rule reads a TLS buffer
 * or tests a TLS event. A flow's session is Suricata's one TLS transaction; the application layer tells its progress
 * once each ({@link AppLayer.TlsProgress}), and each rule runs at the progress that makes what it reads available,
 * in its direction: a certificate buffer after the server's chain, {@code ja3s.*} (or any rule to the client) after
 * the ServerHello, the rest (SNI, JA3, JA4) after the ClientHello; a rule that may run both ways and reads only
 * buffers both sides have ({@code tls.random}, {@code tls.version}) after each hello in its sender's direction; a
 * rule with a TLS event when the handshake is done (or the flow ends), since events may come at any time. So a rule
 * runs, and alerts, at most once per flow and direction. A rule with {@code ssl_state} (the state grows as the
 * handshake goes) is tried at every point of its direction and alerts at the first where it holds, once per flow. {@code tls.certs} is inspected certificate by certificate
 * until the rule matches. The prefilter scans each TLS buffer that holds fast patterns (every certificate of
 * {@code tls.certs}) and, for fast patterns in the packet data, the stream window of the chunk that completed the
 * progress. Allocates nothing per session.
 */
final class TlsInspection implements AutoCloseable {
    /** Per rule, a bit per (progress, direction) it runs at: {@code 1 << (2 * progress + direction)}; 0: never. */
    private final int[] at;
    /** Per rule, whether it reads {@code tls.certs} (a multi-buffer). */
    private final boolean[] certs;
    /** Per rule, whether it runs at several points ({@code ssl_state}) and so must alert once per flow at most. */
    private final boolean[] once;
    private final int[] buffers;
    private final Scanner[] scanners;
    private final MatchSink[] sinks;
    private final boolean[] multi;
    private final boolean[] stream;
    private final BufferWrappers wrappers;
    private final Slice slice = new Slice();
    private final boolean any;

    /**
     * @param list the rule set's rules (indexes as the hook's)
     * @param code the transaction hook's code (its per-rule directions and per-buffer prefilters)
     * @param dbs the hook's databases, parallel to {@code code.buffers()}
     * @param source the buffers, to tell which prefilter buffers are TLS buffers
     * @param candidates the marks scanning sets
     */
    TlsInspection(List<SuricataRule> list, CompiledRuleSet.HookCode code, PatternDatabase[] dbs, TlsBuffers source,
            Candidates candidates) {
        this.at = new int[list.size()];
        this.certs = new boolean[list.size()];
        this.once = new boolean[list.size()];
        boolean found = false;
        for (int rule : code.ruleOfRegion()) {
            SuricataRule r = list.get(rule);
            boolean events = r.appEvents().stream().anyMatch(e -> e.startsWith("tls."));
            boolean tls = events;
            boolean chain = false;
            boolean serverHello = false;
            boolean requestOnly = false;
            boolean state = false;
            for (Inspection i : r.transactionInspections()) {
                Buffer b = i.buffer();
                tls |= b.tls();
                chain |= b == Buffer.TLS_CERTS || b == Buffer.TLS_CERT_SUBJECT || b == Buffer.TLS_CERT_ISSUER
                        || b == Buffer.TLS_CERT_SERIAL || b == Buffer.TLS_CERT_FINGERPRINT
                        || b == Buffer.TLS_CERT_VALIDITY || b == Buffer.TLS_CERT_CHAIN_LEN;
                state |= b == Buffer.TLS_SSL_STATE;
                serverHello |= b == Buffer.JA3S_HASH || b == Buffer.JA3S_STRING;
                requestOnly |= b.tls() && b.side() == Buffer.Side.REQUEST;
                certs[rule] |= b == Buffer.TLS_CERTS;
            }
            if (!tls) {
                continue;
            }
            int dir = code.txRules()[rule].direction();
            int mask;
            if (events) {
                mask = bit(AppLayer.TlsProgress.DONE, Math.max(0, dir));
            } else if (chain) {
                mask = bit(AppLayer.TlsProgress.SERVER_CERTIFICATES, 1);
            } else if (state) {
                // the handshake state grows at each point: the rule is tried at each, in its direction
                int client = bit(AppLayer.TlsProgress.CLIENT_HELLO, 0) | bit(AppLayer.TlsProgress.DONE, 0);
                int server = bit(AppLayer.TlsProgress.SERVER_HELLO, 1)
                        | bit(AppLayer.TlsProgress.SERVER_CERTIFICATES, 1) | bit(AppLayer.TlsProgress.DONE, 1);
                mask = dir == 0 ? client : dir == 1 ? server : client | server;
                once[rule] = true;
            } else if (serverHello || dir == 1) {
                mask = bit(AppLayer.TlsProgress.SERVER_HELLO, 1);
            } else if (dir == 0 || requestOnly) {
                mask = bit(AppLayer.TlsProgress.CLIENT_HELLO, 0);
            } else {
                mask = bit(AppLayer.TlsProgress.CLIENT_HELLO, 0) | bit(AppLayer.TlsProgress.SERVER_HELLO, 1);
            }
            at[rule] = mask;
            found = true;
        }
        this.any = found;
        List<CompiledRuleSet.BufferPrefilter> prefilters = code.buffers();
        int n = 0;
        for (CompiledRuleSet.BufferPrefilter p : prefilters) {
            Buffer b = source.baseOf(p.buffer());
            n += b != null && (b.tls() || b == Buffer.STREAM) ? 1 : 0;
        }
        this.buffers = new int[n];
        this.scanners = new Scanner[n];
        this.sinks = new MatchSink[n];
        this.multi = new boolean[n];
        this.stream = new boolean[n];
        this.wrappers = new BufferWrappers(n);
        int k = 0;
        for (int i = 0; i < prefilters.size() && found; i++) {
            Buffer b = source.baseOf(prefilters.get(i).buffer());
            if (b == null || !(b.tls() || b == Buffer.STREAM)) {
                continue;
            }
            int[][] rules = prefilters.get(i).rulesOfPattern();
            buffers[k] = prefilters.get(i).buffer();
            multi[k] = b == Buffer.TLS_CERTS;
            stream[k] = b == Buffer.STREAM;
            scanners[k] = dbs[i] == null ? null : dbs[i].scanner();
            sinks[k] = (id, start, end) -> candidates.mark(rules[id]);
            k++;
        }
    }

    private static int bit(AppLayer.TlsProgress p, int dir) {
        return 1 << (2 * p.ordinal() + dir);
    }

    /** Whether any rule runs on TLS sessions (else the layer's progress is not inspected at all). */
    boolean any() {
        return any;
    }

    /** Whether rule {@code rule} runs at progress {@code p} in direction {@code dir}. */
    boolean runs(int rule, AppLayer.TlsProgress p, int dir) {
        return (at[rule] & bit(p, dir)) != 0;
    }

    /** Whether rule {@code rule} runs at several points, so that only its first alert in a flow counts. */
    boolean once(int rule) {
        return once[rule];
    }

    /** Whether some rule runs at progress {@code p} in direction {@code dir}. */
    boolean anyAt(AppLayer.TlsProgress p, int dir) {
        int b = bit(p, dir);
        for (int m : at) {
            if ((m & b) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * How many times rule {@code rule} runs over the session: once per certificate when it reads {@code tls.certs}
     * (0 when the chain is empty: it cannot match), else once.
     */
    int iterations(int rule, TlsBuffers source) {
        return certs[rule] ? source.certificates() : 1;
    }

    /**
     * Marks the candidates whose fast pattern occurs in a TLS buffer of the session (any certificate of the chain)
     * or in the stream window, when there is one ({@code window} null otherwise).
     */
    void scan(TlsBuffers source, byte[] window, int windowLength) {
        for (int i = 0; i < buffers.length; i++) {
            if (scanners[i] == null) {
                continue;
            }
            if (stream[i]) {
                if (window != null && windowLength > 0) {
                    scanners[i].scan(wrappers.wrap(i, window), 0, windowLength, sinks[i]);
                }
                continue;
            }
            int n = multi[i] ? source.certificates() : 1;
            for (int k = 0; k < n; k++) {
                source.element(k);
                if (!source.fill(buffers[i], slice) || slice.length == 0) {
                    continue;
                }
                scanners[i].scan(wrappers.wrap(i, slice.array), slice.offset, slice.length, sinks[i]);
            }
        }
        source.element(0);
    }

    @Override
    public void close() {
        for (Scanner s : scanners) {
            if (s != null) {
                s.close();
            }
        }
    }
}
