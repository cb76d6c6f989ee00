package io.judo.reassembly;

/**
 * A {@link Defragmenter}'s counters ({@link Defragmenter#count}), each with the name reports and manifests give it
 * ({@link Defragmenter#counters()}).
 */
public enum FragmentCount {
    /** Fragments taken in. */
    FRAGMENTS("fragments"),
    /** Datagrams rebuilt whole. */
    REASSEMBLED("reassembled"),
    /** Fragments that overlapped held data (any bytes). */
    OVERLAPS("overlaps"),
    /** Fragments whose overlap differed from the held bytes: an evasion attempt or a broken sender. */
    OVERLAPS_DIFFERENT("overlaps_different_data"),
    /** First fragments too short to carry the whole TCP or UDP header (RFC 1858). */
    TINY_FIRST_FRAGMENTS("tiny_first_fragments"),
    /** TCP fragments whose offset falls inside the TCP header (RFC 1858's overlapping-header attack). */
    TCP_HEADER_OVERWRITES("tcp_header_overwrites"),
    /** Datagrams whose fragments did not all arrive within the timeout. */
    TIMEOUTS("timeouts"),
    /** Datagrams dropped to stay under the memory cap. */
    MEMCAP_EVICTIONS("memcap_evictions"),
    /** Datagrams dropped for having more fragments than the limit. */
    TOO_MANY_FRAGMENTS("too_many_fragments");

    private final String report;

    FragmentCount(String report) {
        this.report = report;
    }

    /** The counter's name in reports and manifests. */
    public String report() {
        return report;
    }
}
