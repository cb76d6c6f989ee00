package io.judo.reassembly;

/**
 * IP defragmentation settings (suricata.yaml's {@code defrag} section).
 *
 * @param timeoutNanos how long a datagram may wait for its missing fragments after its latest one; then its fragments
 *                     are dropped ({@link FragmentCount#TIMEOUTS})
 * @param memcap       bytes all waiting datagrams together may hold; past it the oldest are dropped
 *                     ({@link FragmentCount#MEMCAP_EVICTIONS})
 * @param maxFragments fragments one datagram may have ({@link FragmentCount#TOO_MANY_FRAGMENTS} past it)
 */
public record DefragConfig(long timeoutNanos, long memcap, int maxFragments) {
    public DefragConfig {
        if (timeoutNanos <= 0 || memcap <= 0) {
            throw new IllegalArgumentException("defrag timeout and memcap must be positive");
        }
        if (maxFragments < 1 || maxFragments > Short.MAX_VALUE - 1) {
            throw new IllegalArgumentException("maxFragments must be 1.." + (Short.MAX_VALUE - 1));
        }
    }

    /** Suricata's defaults: 60 s timeout, 32 MiB; 256 fragments per datagram. */
    public static DefragConfig defaults() {
        return new DefragConfig(60_000_000_000L, 32L << 20, 256);
    }

    /** With timeout {@code nanos}. */
    public DefragConfig withTimeout(long nanos) {
        return new DefragConfig(nanos, memcap, maxFragments);
    }

    /** With memcap {@code bytes}. */
    public DefragConfig withMemcap(long bytes) {
        return new DefragConfig(timeoutNanos, bytes, maxFragments);
    }
}
