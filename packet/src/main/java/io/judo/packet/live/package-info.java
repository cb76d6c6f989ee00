/**
 * Live interfaces: raw {@code AF_PACKET} sockets on Linux, through libc by JNA, for {@code judo inline}. One socket per
 * interface sees every frame the interface receives (promiscuous, the socket's own transmissions ignored) and sends
 * frames out of it as they are, link header included; a {@link io.judo.packet.live.SocketPoller} waits on several.
 */
package io.judo.packet.live;
