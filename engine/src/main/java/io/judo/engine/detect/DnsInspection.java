package io.judo.engine.detect;

import io.judo.matcher.PatternDatabase;
import io.judo.rules.ir.Inspection;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.SuricataRule;
import io.judo.vm.interp.Helpers;
import java.util.List;

/**
 * Which rules of the transaction hook run on DNS messages, and their prefilter. A DNS rule reads a DNS buffer, tests
 * a DNS event, or tests {@code app-layer-protocol:dns} (the {@code dns} header protocol) with nothing in the packet
 * data. Each DNS message is one transaction (a request and its response are two, as in Suricata), inspected once in
 * its direction; a rule runs once per element of the multi-buffers it reads (the same element number in each: see
 * docs/RULES.md) until it matches, so it alerts at most once per message. The prefilter scans every element of each
 * DNS buffer that holds fast patterns, with this stage's own scanners over the hook's shared databases. Allocates
 * nothing per message.
 */
final class DnsInspection implements AutoCloseable {
    /** Per rule, a bit per DNS list it reads, plus {@link #RUNS} when it is a DNS rule at all. */
    private final int[] lists;
    private static final int RUNS = 1 << 30;
    /** Per prefilter buffer, the DNS list it is. */
    private final int[] bufferList;
    private final BufferScanners scanners;
    private final boolean any;

    /**
     * @param list the rule set's rules (indexes as the hook's)
     * @param code the transaction hook's code (its per-buffer prefilters)
     * @param dbs the hook's databases, parallel to {@code code.buffers()}
     * @param source the buffers, to tell which prefilter buffers are DNS lists
     * @param candidates the marks scanning sets
     */
    DnsInspection(List<SuricataRule> list, CompiledRuleSet.HookCode code, PatternDatabase[] dbs, DnsBuffers source,
            Candidates candidates) {
        this.lists = new int[list.size()];
        boolean found = false;
        for (int rule : code.ruleOfRegion()) {
            SuricataRule r = list.get(rule);
            int mask = 0;
            boolean dns = r.appEvents().stream().anyMatch(e -> e.startsWith("dns."));
            for (Inspection i : r.transactionInspections()) {
                int l = DnsBuffers.listOf(i.buffer());
                if (l >= 0) {
                    mask |= 1 << l;
                }
                dns |= i.buffer().dns(); // dns.opcode too: one value per message, no list
            }
            dns |= r.chain().isEmpty() && r.appProtos().stream()
                    .anyMatch(p -> p.id() == Helpers.APP_PROTO_DNS && !p.negated());
            if (dns) {
                lists[rule] = mask | RUNS;
                found = true;
            }
        }
        this.any = found;
        this.scanners = new BufferScanners(code, dbs, id -> source.listOfId(id) >= 0, candidates);
        this.bufferList = new int[scanners.size()];
        for (int i = 0; i < bufferList.length; i++) {
            bufferList[i] = source.listOfId(scanners.buffer(i));
        }
    }

    /** Whether any rule runs on DNS messages (else the layer's messages are not inspected at all). */
    boolean any() {
        return any;
    }

    /** Whether rule {@code rule} runs on DNS messages. */
    boolean runs(int rule) {
        return (lists[rule] & RUNS) != 0;
    }

    /**
     * How many times rule {@code rule} runs over the message {@code source} inspects: once per element of its
     * longest DNS list; 0 when every list it reads is empty (it cannot match), 1 when it reads none.
     */
    int iterations(int rule, DnsBuffers source) {
        int mask = lists[rule] & ~RUNS;
        if (mask == 0) {
            return 1;
        }
        int n = 0;
        for (int l = 0; l < DnsBuffers.LISTS; l++) {
            if ((mask & 1 << l) != 0) {
                n = Math.max(n, source.count(l));
            }
        }
        return n;
    }

    /** Marks the candidates whose fast pattern occurs in any element of a DNS buffer of the message. */
    void scan(DnsBuffers source) {
        for (int i = 0; i < bufferList.length; i++) {
            scanners.scanElements(i, source, source.count(bufferList[i]));
        }
    }

    @Override
    public void close() {
        scanners.close();
    }
}
