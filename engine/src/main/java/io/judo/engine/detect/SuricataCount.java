package io.judo.engine.detect;

/**
 * The Suricata stage's counters, one partition's each ({@link Detector#count}); summed over the workers by
 * {@link io.judo.engine.Pipeline#sum(SuricataCount)} for the summary and {@code --json}. Per-rule counts (alerts,
 * checks, time) are arrays indexed by rule instead.
 */
public enum SuricataCount {
    /** Packets the stage decided. */
    PACKETS,
    /** Alerts raised (after thresholds and suppressions). */
    ALERTS,
    /** Rule checks: rule regions run after prefiltering, every hook. */
    RULE_CHECKS,
    /** Rule checks stopped by the payload inspector's step budget (the VM's fuel, the regex engines' steps). */
    BUDGET_EXCEEDED,
    /** In prevention mode, the flows a drop or reject rule dropped (their later packets are dropped unseen). */
    FLOWS_DROPPED
}
