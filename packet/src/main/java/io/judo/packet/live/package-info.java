/**
 * Live interfaces: raw {@code AF_PACKET} sockets on Linux, through libc by JNA, for {@code judo inline}. One socket per
 * interface sees every frame the interface receives (promiscuous, the socket's own transmissions ignored) and sends
 * frames out of it as they are, link header included; a {@link io.judo.packet.live.SocketPoller} waits on several.
 * Frames are received from the kernel's mapped receive ring and sent through its mapped transmit ring (TPACKET_V2),
 * in batches a flush sends; several sockets in one PACKET_FANOUT group split an interface's flows between workers.
 */
package io.judo.packet.live;
