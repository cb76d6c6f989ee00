package io.judo.engine;

import io.judo.engine.detect.Alert;
import io.judo.engine.detect.Detector;
import io.judo.engine.detect.JitCache;
import io.judo.engine.detect.PolicyEngine;
import io.judo.engine.detect.StateLimiter;
import io.judo.matcher.Engine;
import io.judo.matcher.PatternDatabase;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.judo.CompiledPolicy;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.CompiledRuleSet.Hook;
import java.util.function.Consumer;

/**
 * What every partition of one run shares: the compiled Suricata rule set and judo policy (either may be absent), their
 * prefilter databases (compiled once here: a database is immutable and thread-safe), the stream settings and whether
 * programs are JIT-compiled. Thread-safe; {@link #partition} builds one partition per worker (or per Flink subtask).
 */
public final class Programs implements AutoCloseable {
    private final CompiledRuleSet rules;
    private final CompiledPolicy policy;
    private final Detector.Databases ruleDatabases;
    private final PatternDatabase policyDatabase;
    private final StreamConfig config;
    private final boolean validateChecksums;
    private final JitCache jit;
    private final StateLimiter limiter;

    private Programs(CompiledRuleSet rules, CompiledPolicy policy, Detector.Databases ruleDatabases,
            PatternDatabase policyDatabase, StreamConfig config, boolean validateChecksums, JitCache jit) {
        this.limiter = policy == null ? null : StateLimiter.of(policy.policy());
        this.rules = rules;
        this.policy = policy;
        this.ruleDatabases = ruleDatabases;
        this.policyDatabase = policyDatabase;
        this.config = config;
        this.validateChecksums = validateChecksums;
        this.jit = jit;
    }

    /**
     * Compiles the prefilter databases.
     *
     * @param rules Suricata/Snort rules, or null for none
     * @param policy a judo policy, or null for none
     * @param matcher the prefilter backend
     * @param config stream reassembly settings (its overlap policy also picks the fragment policy)
     * @param validateChecksums leave TCP segments with bad checksums out of reassembly
     * @param jit run the programs JIT-compiled (falling back to the interpreter when the JIT declines)
     * @throws io.judo.matcher.MatcherException when a prefilter pattern does not compile
     */
    public static Programs compile(CompiledRuleSet rules, CompiledPolicy policy, Engine matcher, StreamConfig config,
            boolean validateChecksums, boolean jit) {
        return compile(rules, policy, matcher, config, validateChecksums, jit, null);
    }

    /**
     * As {@link #compile(CompiledRuleSet, CompiledPolicy, Engine, StreamConfig, boolean, boolean)}, keeping the rules'
     * compiled Hyperscan databases in {@code cacheDir} and loading them from there when the same patterns were
     * compiled before (null: compile afresh, keep nothing).
     */
    public static Programs compile(CompiledRuleSet rules, CompiledPolicy policy, Engine matcher, StreamConfig config,
            boolean validateChecksums, boolean jit, java.nio.file.Path cacheDir) {
        JitCache cache = jit ? new JitCache() : null;
        if (cache != null) { // the JIT's classes are generated while the prefilter databases compile
            if (rules != null) {
                for (Hook h : Hook.values()) {
                    cache.prepare(rules.hook(h).program());
                }
            }
            if (policy != null) {
                cache.prepare(policy.program(), policy.streamProgram());
            }
        }
        Detector.Databases dbs = rules == null ? null : Detector.Databases.compile(rules, matcher, cacheDir);
        try {
            PatternDatabase pdb = policy == null ? null : PolicyEngine.database(policy, matcher);
            return new Programs(rules, policy, dbs, pdb, config, validateChecksums, cache);
        } catch (RuntimeException e) {
            if (dbs != null) {
                dbs.close();
            }
            throw e;
        }
    }

    /**
     * A new partition: its own flow path, and a stage per program (the Suricata stage first, then the policy stage).
     *
     * @param alerts receives the Suricata stage's alerts, on the partition's thread
     * @param logs receives the packets the policy's {@code log} rules matched, on the partition's thread
     */
    public Partition partition(Consumer<Alert> alerts, Consumer<PolicyEngine.Logged> logs) {
        return new Partition(this, alerts, logs);
    }

    /** The Suricata rule set, or null. */
    public CompiledRuleSet rules() {
        return rules;
    }

    /** The judo policy, or null. */
    public CompiledPolicy policy() {
        return policy;
    }

    /** How many of the rules' prefilter databases were loaded from the cache, and how many there are: {cached, all}. */
    public int[] cachedDatabases() {
        return ruleDatabases == null ? new int[2] : new int[] {ruleDatabases.cached(), ruleDatabases.count()};
    }

    Detector.Databases ruleDatabases() {
        return ruleDatabases;
    }

    PatternDatabase policyDatabase() {
        return policyDatabase;
    }

    StreamConfig config() {
        return config;
    }

    boolean validateChecksums() {
        return validateChecksums;
    }

    JitCache jit() {
        return jit;
    }

    private io.judo.vm.pool.CidrSet inside;

    /**
     * The networks on the inside of the judo policy's firewall: a packet from one of them goes {@code out}, any other
     * comes {@code in} (null, the default: every packet comes in). Set before the first partition is built.
     */
    public Programs inside(io.judo.vm.pool.CidrSet networks) {
        this.inside = networks;
        return this;
    }

    io.judo.vm.pool.CidrSet inside() {
        return inside;
    }

    /** The policy's state limits and overload tables, shared by every partition (null when it has none). */
    public StateLimiter limiter() {
        return limiter;
    }

    /** Releases the prefilter databases; call after every partition built from these programs is closed. */
    @Override
    public void close() {
        if (ruleDatabases != null) {
            ruleDatabases.close();
        }
        if (policyDatabase != null) {
            policyDatabase.close();
        }
    }
}
