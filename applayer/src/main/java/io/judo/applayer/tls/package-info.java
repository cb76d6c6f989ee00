/**
 * TLS and SSL: {@link io.judo.applayer.tls.TlsParser} reads one TCP connection's two in-order byte streams, reassembles
 * records across segments and handshake messages across records, and fills the connection's one
 * {@link io.judo.applayer.tls.TlsSession} (Suricata keeps one TLS transaction per flow): ClientHello and ServerHello
 * fields, the JA3, JA3S and JA4 fingerprints, and each certificate of the chains sent in clear (TLS 1.2 and older;
 * TLS 1.3 encrypts them). Buffers ({@link io.judo.applayer.tls.TlsBuffer}) come out as slices over the session's own
 * storage; anomalies are {@link io.judo.applayer.tls.TlsEvent}s, never exceptions. {@link
 * io.judo.applayer.tls.TlsProbe} tells protocol detection whether a direction's first bytes are TLS.
 */
package io.judo.applayer.tls;
