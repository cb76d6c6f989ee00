/**
 * Building packets and captures: {@link io.judo.packet.build.PacketBuilder} writes correct frames (lengths and
 * checksums computed, or deliberately broken on request) for every link type and protocol the decoders read;
 * {@link io.judo.packet.build.TcpConversation} produces complete TCP exchanges; {@link io.judo.packet.build.TrafficGenerator}
 * fills captures with a realistic mix for demos and benchmarks.
 */
package io.judo.packet.build;
