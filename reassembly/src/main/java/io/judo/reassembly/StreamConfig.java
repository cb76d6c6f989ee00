package io.judo.reassembly;

/**
 * Reassembly settings.
 *
 * @param policy overlap policy
 * @param depth bytes per direction delivered at most (Long.MAX_VALUE for unlimited)
 * @param gapWindow buffered bytes beyond a hole after which the hole is declared lost
 * @param maxBuffered out-of-order bytes one direction may hold
 * @param ttlLimit a data segment whose TTL is more than this below its direction's first packet is taken for a decoy
 *                 (Snort's ttl_limit); negative disables the check
 * @param windowSlack data may start this far past the receiver's tracked window edge before it is refused (ACKs
 *                    missing from a capture); negative disables the check
 * @param memcap out-of-order bytes all streams together may hold
 * @param onMemcap what happens to a flow whose segment would pass the memcap
 * @param hosts per-network overlap and fragment policies (suricata.yaml's host-os-policy), or null for {@code policy}
 *              everywhere
 * @param midstream whether a TCP flow whose first packet is not a SYN is picked up mid-stream (true, the default) or
 *                  left untracked (suricata.yaml's {@code stream.midstream: false}: no reassembly, no detection)
 * @param defrag IP defragmentation's timeout, memcap and fragment limit (defragmentation comes before reassembly, and
 *               every flow path that reassembles defragments)
 */
public record StreamConfig(OverlapPolicy policy, long depth, long gapWindow, long maxBuffered, int ttlLimit,
                           long windowSlack, long memcap, MemcapAction onMemcap, HostPolicies hosts,
                           boolean midstream, DefragConfig defrag) {
    /** With the default defragmentation settings. */
    public StreamConfig(OverlapPolicy policy, long depth, long gapWindow, long maxBuffered, int ttlLimit,
                        long windowSlack, long memcap, MemcapAction onMemcap, HostPolicies hosts,
                        boolean midstream) {
        this(policy, depth, gapWindow, maxBuffered, ttlLimit, windowSlack, memcap, onMemcap, hosts, midstream,
                DefragConfig.defaults());
    }

    /** Picking flows up mid-stream. */
    public StreamConfig(OverlapPolicy policy, long depth, long gapWindow, long maxBuffered, int ttlLimit,
                        long windowSlack, long memcap, MemcapAction onMemcap, HostPolicies hosts) {
        this(policy, depth, gapWindow, maxBuffered, ttlLimit, windowSlack, memcap, onMemcap, hosts, true);
    }

    /** Without per-network policies. */
    public StreamConfig(OverlapPolicy policy, long depth, long gapWindow, long maxBuffered, int ttlLimit,
                        long windowSlack, long memcap, MemcapAction onMemcap) {
        this(policy, depth, gapWindow, maxBuffered, ttlLimit, windowSlack, memcap, onMemcap, null);
    }

    /**
     * first policy, unlimited depth, 1 MiB gap window, 4 MiB buffer per direction, TTL limit 5, 64 KiB slack,
     * 256 MiB memcap (Suricata's reassembly default) refusing segments past it.
     */
    public static StreamConfig defaults() {
        return new StreamConfig(OverlapPolicy.FIRST, Long.MAX_VALUE, 1 << 20, 4 << 20);
    }

    /** With the other settings at their defaults. */
    public StreamConfig(OverlapPolicy policy, long depth, long gapWindow, long maxBuffered) {
        this(policy, depth, gapWindow, maxBuffered, 5, 1 << 16, 256L << 20, MemcapAction.DROP);
    }

    public StreamConfig withMemcap(long bytes, MemcapAction action) {
        return new StreamConfig(policy, depth, gapWindow, maxBuffered, ttlLimit, windowSlack, bytes, action,
                hosts, midstream, defrag);
    }

    public StreamConfig withPolicy(OverlapPolicy p) {
        return new StreamConfig(p, depth, gapWindow, maxBuffered, ttlLimit, windowSlack, memcap, onMemcap,
                hosts, midstream, defrag);
    }

    public StreamConfig withDepth(long d) {
        return new StreamConfig(policy, d, gapWindow, maxBuffered, ttlLimit, windowSlack, memcap, onMemcap,
                hosts, midstream, defrag);
    }

    public StreamConfig withTtlLimit(int limit) {
        return new StreamConfig(policy, depth, gapWindow, maxBuffered, limit, windowSlack, memcap, onMemcap,
                hosts, midstream, defrag);
    }

    public StreamConfig withWindowSlack(long slack) {
        return new StreamConfig(policy, depth, gapWindow, maxBuffered, ttlLimit, slack, memcap, onMemcap,
                hosts, midstream, defrag);
    }

    /** With per-network policies ({@code null}: none). */
    public StreamConfig withHosts(HostPolicies h) {
        return new StreamConfig(policy, depth, gapWindow, maxBuffered, ttlLimit, windowSlack, memcap, onMemcap,
                h, midstream, defrag);
    }

    /** Picking TCP flows up mid-stream, or leaving them untracked ({@code false}). */
    public StreamConfig withMidstream(boolean on) {
        return new StreamConfig(policy, depth, gapWindow, maxBuffered, ttlLimit, windowSlack, memcap, onMemcap, hosts,
                on, defrag);
    }

    /** With defragmentation settings {@code d}. */
    public StreamConfig withDefrag(DefragConfig d) {
        return new StreamConfig(policy, depth, gapWindow, maxBuffered, ttlLimit, windowSlack, memcap, onMemcap, hosts,
                midstream, d);
    }
}
