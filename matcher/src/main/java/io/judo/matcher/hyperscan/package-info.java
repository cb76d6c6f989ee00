/**
 * The Hyperscan backend: Vectorscan 5.4.12 through its raw JavaCPP binding (the high-level wrapper scans Strings
 * only). Databases are immutable and shared; each scanner owns a scratch; streams map to {@code hs_stream_t}.
 * Direct buffers are scanned in place; heap buffers are copied once into native memory.
 */
package io.judo.matcher.hyperscan;
