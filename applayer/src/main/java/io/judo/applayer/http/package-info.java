/**
 * HTTP/1.x: {@link io.judo.applayer.http.HttpParser} reads one TCP connection's two in-order byte streams
 * incrementally and pairs requests and responses into {@link io.judo.applayer.http.HttpTransaction}s, reporting
 * progress to an {@link io.judo.applayer.http.HttpListener}. Each transaction hands out Suricata's sticky buffers
 * ({@link io.judo.applayer.http.HttpBuffer}) as slices over its own storage, and anomalies are
 * {@link io.judo.applayer.http.HttpEvent}s, never exceptions. Limits are in {@link io.judo.applayer.http.HttpConfig}.
 */
package io.judo.applayer.http;
