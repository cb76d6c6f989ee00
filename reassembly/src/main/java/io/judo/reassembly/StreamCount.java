package io.judo.reassembly;

/** A {@link TcpReassembler}'s counters ({@link TcpReassembler#count}). */
public enum StreamCount {
    /** Segments that met the memcap (each handled by the configured {@link MemcapAction}). */
    MEMCAP_HITS,
    /** TCP segments left out for a bad checksum. */
    BAD_CHECKSUM,
    /** RSTs ignored (outside the receive window, as a stack would). */
    IGNORED_RST
}
