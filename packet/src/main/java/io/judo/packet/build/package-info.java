/**
 * Building packets and captures: {@link io.judo.packet.build.PacketBuilder} writes correct frames (lengths and
 * checksums computed, or deliberately broken on request) for every link type and protocol the decoders read;
 * {@link io.judo.packet.build.TcpConversation} produces complete TCP exchanges; {@link io.judo.packet.build.TrafficGenerator}
 * fills captures with a realistic mix for demos and benchmarks, {@link io.judo.packet.build.HttpTrafficGenerator} with
 * HTTP/1.1 and {@link io.judo.packet.build.AppTrafficGenerator} with an application mix (DNS, TLS, HTTP, SMTP, FTP,
 * SSH) whose messages are built field by field ({@link io.judo.packet.build.WireBuffer},
 * {@link io.judo.packet.build.DnsMessage}, one package-private {@code *Sessions} class per protocol).
 */
package io.judo.packet.build;
