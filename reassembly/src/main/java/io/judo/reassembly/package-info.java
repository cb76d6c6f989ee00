/**
 * Flows and reassembly: a bidirectional {@link io.judo.reassembly.FlowTable} and, per TCP flow direction, a
 * {@link io.judo.reassembly.TcpStream} that turns segments into in-order bytes with 64-bit stream offsets, resolving
 * overlaps by an {@link io.judo.reassembly.OverlapPolicy} and reporting anomalies as
 * {@link io.judo.reassembly.StreamEvent}s. Reassembly knows nothing of what consumes the bytes
 * ({@link io.judo.reassembly.StreamSink}); 32-bit sequence numbers exist only at the TCP edge, compared wrap-safely.
 * IPv4 and IPv6 fragments are rebuilt first by the {@link io.judo.reassembly.Defragmenter} under a
 * {@link io.judo.reassembly.DefragPolicy}; {@link io.judo.reassembly.HostPolicies} picks both policies per
 * destination network.
 */
package io.judo.reassembly;
