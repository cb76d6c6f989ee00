package io.judo.engine.detect;

import io.judo.matcher.PatternDatabase;
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
    /** The union of every rule's {@link #at} mask: which points and directions some rule runs at. */
    private final int atAny;
    /** Per rule, whether it reads {@code tls.certs} (a multi-buffer). */
    private final boolean[] certs;
    /** Per rule, whether it runs at several points ({@code ssl_state}) and so must alert once per flow at most. */
    private final boolean[] once;
    /** Per prefilter buffer, whether it is {@code tls.certs} (a multi-buffer) or the stream window. */
    private final boolean[] multi;
    private final boolean[] stream;
    private final BufferScanners scanners;
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
        int union = 0;
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
            union |= mask;
            found = true;
        }
        this.any = found;
        this.atAny = union;
        this.scanners = new BufferScanners(code, dbs, id -> {
            Buffer b = source.baseOf(id);
            return any && b != null && (b.tls() || b == Buffer.STREAM); // no TLS rule: no scanners to make
        }, candidates);
        this.multi = new boolean[scanners.size()];
        this.stream = new boolean[scanners.size()];
        for (int i = 0; i < multi.length; i++) {
            Buffer b = source.baseOf(scanners.buffer(i));
            multi[i] = b == Buffer.TLS_CERTS;
            stream[i] = b == Buffer.STREAM;
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
        return (atAny & bit(p, dir)) != 0; // asked at every TLS progress point: one test, not a walk of the rules
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
        for (int i = 0; i < multi.length; i++) {
            if (!stream[i]) {
                scanners.scanElements(i, source, multi[i] ? source.certificates() : 1);
            } else if (window != null) {
                scanners.scan(i, window, windowLength);
            }
        }
    }

    @Override
    public void close() {
        scanners.close();
    }
}
