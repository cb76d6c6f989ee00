package io.judo.engine.detect;

import io.judo.matcher.PatternDatabase;
import io.judo.rules.ir.Inspection;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.SuricataRule;
import io.judo.vm.Buffer;
import java.util.List;

/**
 * Which rules of the transaction hook run on SSH connections, and their prefilter. An SSH rule reads an SSH buffer
 * or tests an SSH event. A connection is Suricata's one SSH transaction; the application layer tells each side's
 * banner and KEXINIT once, then {@code DONE}. An SSH rule is tried at every point in its direction (both, when it has
 * none) and at {@code DONE}: what it reads is there from some point on (a buffer not there yet fails the run), and it
 * alerts at the first point where it holds, once per flow and direction (Suricata's one alert per rule and
 * transaction direction). The prefilter scans each SSH buffer that holds fast patterns and, for fast patterns in the
 * packet data, the stream window of the chunk that completed the progress. Allocates nothing per connection.
 */
final class SshInspection implements AutoCloseable {
    /** Per rule, the directions it runs in: bit 0 to the server, bit 1 to the client; 0: not an SSH rule. */
    private final byte[] dirs;
    private final BufferScanners scanners;
    private final boolean any;
    /** Per direction, whether some rule runs in it (asked at each progress point: not a walk over every rule). */
    private final boolean[] anyIn = new boolean[2];

    /**
     * @param list the rule set's rules (indexes as the hook's)
     * @param code the transaction hook's code (its per-rule directions and per-buffer prefilters)
     * @param dbs the hook's databases, parallel to {@code code.buffers()}
     * @param source the buffers, to tell which prefilter buffers are SSH buffers
     * @param candidates the marks scanning sets
     */
    SshInspection(List<SuricataRule> list, CompiledRuleSet.HookCode code, PatternDatabase[] dbs, SshBuffers source,
            Candidates candidates) {
        this.dirs = new byte[list.size()];
        boolean found = false;
        for (int rule : code.ruleOfRegion()) {
            SuricataRule r = list.get(rule);
            boolean ssh = r.appEvents().stream().anyMatch(e -> e.startsWith("ssh."));
            for (Inspection i : r.transactionInspections()) {
                ssh |= i.buffer().ssh();
            }
            if (!ssh) {
                continue;
            }
            int dir = code.txRules()[rule].direction();
            dirs[rule] = (byte) (dir == 0 ? 1 : dir == 1 ? 2 : 3);
            anyIn[0] |= dir != 1;
            anyIn[1] |= dir != 0;
            found = true;
        }
        this.any = found;
        this.scanners = new BufferScanners(code, dbs, id -> {
            Buffer b = source.baseOf(id);
            return any && b != null && (b.ssh() || b == Buffer.STREAM);
        }, candidates);
    }

    /** Whether any rule runs on SSH connections. */
    boolean any() {
        return any;
    }

    /** Whether rule {@code rule} runs in direction {@code dir}. */
    boolean runs(int rule, int dir) {
        return (dirs[rule] & 1 << dir) != 0;
    }

    /** Whether some rule runs in direction {@code dir}. */
    boolean anyIn(int dir) {
        return anyIn[dir];
    }

    /** Marks the candidates whose fast pattern occurs in an SSH buffer or in the stream window ({@code window} null: none). */
    void scan(SshBuffers source, byte[] window, int windowLength) {
        scanners.scanOneEachAndChunk(source, window, windowLength);
    }

    @Override
    public void close() {
        scanners.close();
    }
}
