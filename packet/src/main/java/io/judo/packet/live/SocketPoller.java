package io.judo.packet.live;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Waits until one of several {@link PacketSocket}s has a frame ({@code poll(2)}), without allocating. */
public final class SocketPoller {
    private final PacketSocket[] sockets;
    private final byte[] fds;
    private final ByteBuffer view;

    public SocketPoller(PacketSocket... sockets) {
        this.sockets = sockets.clone();
        this.fds = new byte[8 * sockets.length];
        this.view = ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder());
        for (int i = 0; i < sockets.length; i++) {
            view.putInt(8 * i, sockets[i].fd());
            view.putShort(8 * i + 4, LibC.POLLIN);
        }
    }

    /**
     * Waits at most {@code timeoutMillis} for a frame on any socket.
     *
     * @return true when some socket may have a frame
     */
    public boolean await(int timeoutMillis) {
        for (int i = 0; i < sockets.length; i++) {
            view.putShort(8 * i + 6, (short) 0);
        }
        return LibC.poll(fds, sockets.length, timeoutMillis) > 0;
    }
}
