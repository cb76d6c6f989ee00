package io.judo.engine.detect;

import io.judo.matcher.PatternDatabase;
import io.judo.rules.ir.Inspection;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.SuricataRule;
import io.judo.vm.Buffer;
import io.judo.vm.interp.Helpers;
import java.util.List;

/**
 * Which rules of the transaction hook run on SMTP transactions, and their prefilter. An SMTP rule reads an SMTP
 * buffer, tests an SMTP event, or reads {@code file.data} without being an HTTP rule (Suricata's file.data covers
 * every protocol with files). Each runs once per mail, when it is over (its buffers are then complete), in the
 * client's direction (everything a mail holds comes from the client; a rule to the client never runs here), once per
 * element of the multi-buffers it reads ({@code smtp.rcpt_to}, {@code file.data}) until it alerts. The prefilter scans
 * every element of each SMTP buffer that holds fast patterns. Allocates nothing per mail.
 */
final class SmtpInspection implements AutoCloseable {
    /** Per rule, whether it runs on SMTP transactions. */
    private final boolean[] runs;
    /** Per rule, the multi-buffers it reads (their element counts give its runs), or none. */
    private final Buffer[][] multi;
    private final BufferScanners scanners;
    private final boolean any;

    /**
     * @param list the rule set's rules (indexes as the hook's)
     * @param code the transaction hook's code (its per-rule directions and per-buffer prefilters)
     * @param dbs the hook's databases, parallel to {@code code.buffers()}
     * @param source the buffers, to tell which prefilter buffers are SMTP buffers
     * @param candidates the marks scanning sets
     */
    SmtpInspection(List<SuricataRule> list, CompiledRuleSet.HookCode code, PatternDatabase[] dbs, SmtpBuffers source,
            Candidates candidates) {
        this.runs = new boolean[list.size()];
        this.multi = new Buffer[list.size()][];
        boolean found = false;
        for (int rule : code.ruleOfRegion()) {
            SuricataRule r = list.get(rule);
            boolean http = r.http() || r.appProtos().stream().anyMatch(p -> !p.negated()
                    && p.id() == Helpers.APP_PROTO_HTTP);
            boolean smtp = r.appEvents().stream().anyMatch(e -> e.startsWith("smtp."));
            java.util.Set<Buffer> lists = java.util.EnumSet.noneOf(Buffer.class);
            for (Inspection i : r.transactionInspections()) {
                Buffer b = i.buffer();
                smtp |= b.smtp() || b == Buffer.FILE_DATA && !http;
                if (b == Buffer.SMTP_RCPT_TO || b == Buffer.FILE_DATA) {
                    lists.add(b);
                }
            }
            if (!smtp || code.txRules()[rule].direction() == 1) {
                continue;
            }
            runs[rule] = true;
            multi[rule] = lists.toArray(new Buffer[0]);
            found = true;
        }
        this.any = found;
        this.scanners = new BufferScanners(code, dbs, id -> {
            Buffer b = source.baseOf(id);
            return any && b != null && (b.smtp() || b == Buffer.FILE_DATA);
        }, candidates);
    }

    /** Whether any rule runs on SMTP transactions. */
    boolean any() {
        return any;
    }

    /** Whether rule {@code rule} runs on SMTP transactions. */
    boolean runs(int rule) {
        return runs[rule];
    }

    /** How many times rule {@code rule} runs over the mail: its multi-buffers' largest element count, else once. */
    int iterations(int rule, SmtpBuffers source) {
        int n = 1;
        for (int i = 0; i < multi[rule].length; i++) {
            n = i == 0 ? source.count(multi[rule][i]) : Math.max(n, source.count(multi[rule][i]));
        }
        return n;
    }

    /** Marks the candidates whose fast pattern occurs in any element of an SMTP buffer of the mail. */
    void scan(SmtpBuffers source) {
        for (int i = 0; i < scanners.size(); i++) {
            scanners.scanElements(i, source, source.count(source.baseOf(scanners.buffer(i))));
        }
    }

    @Override
    public void close() {
        scanners.close();
    }
}
