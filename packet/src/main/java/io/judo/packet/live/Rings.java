package io.judo.packet.live;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A socket's mapped rings, set up together: the kernel maps the receive ring and the transmit ring in one
 * {@code mmap} (receive ring first) and refuses new rings once it is mapped. Either ring may be missing where the
 * kernel refuses it; the socket then falls back to a system call per frame on that side.
 */
final class Rings {
    final RxRing rx;
    final TxRing tx;
    /** Why there is no transmit ring (null when there is one). */
    final String txMissing;
    private final Pointer base;
    private final long size;

    private Rings(RxRing rx, TxRing tx, String txMissing, Pointer base, long size) {
        this.rx = rx;
        this.tx = tx;
        this.txMissing = txMissing;
        this.base = base;
        this.size = size;
    }

    /** Sets up the rings of {@code fd}: a receive ring, and a transmit ring for this MTU when {@code transmit}. */
    static Rings map(int fd, boolean transmit, int mtu) {
        try {
            setInt(fd, LibC.PACKET_VERSION, LibC.TPACKET_V2);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            return new Rings(null, null, "no TPACKET_V2 (" + e.getMessage() + ")", null, 0);
        }
        boolean rx = ask(fd, LibC.PACKET_RX_RING, RxRing.request()) == null;
        String txMissing = transmit ? null : "transmit ring not asked for";
        int frameSize = TxRing.frameSize(mtu);
        if (transmit) {
            String refused = ask(fd, LibC.PACKET_TX_RING, TxRing.request(frameSize));
            txMissing = refused == null ? null : "the kernel refused a transmit ring: " + refused;
        }
        boolean tx = txMissing == null;
        long rxBytes = rx ? RxRing.BYTES : 0;
        long size = rxBytes + (tx ? TxRing.BYTES : 0);
        if (size == 0) {
            return new Rings(null, null, txMissing, null, 0);
        }
        Pointer p = null;
        try {
            p = LibC.mmap(null, size, LibC.PROT_READ_WRITE, LibC.MAP_SHARED, fd, 0);
        } catch (LastErrorException e) {
            p = null;
        }
        if (p == null || Pointer.nativeValue(p) == -1) {
            // unmapped rings would swallow frames: take them back so recvfrom and send work
            if (rx) {
                ask(fd, LibC.PACKET_RX_RING, new byte[16]);
            }
            if (tx) {
                ask(fd, LibC.PACKET_TX_RING, new byte[16]);
            }
            return new Rings(null, null, "the rings could not be mapped", null, 0);
        }
        RxRing r = rx ? new RxRing(p.getByteBuffer(0, rxBytes)) : null;
        TxRing t = tx ? new TxRing(p.getByteBuffer(rxBytes, TxRing.BYTES), frameSize) : null;
        return new Rings(r, t, txMissing, p, size);
    }

    /** A {@code tpacket_req}. */
    static byte[] request(int blockSize, int blocks, int frameSize, int frames) {
        byte[] req = new byte[16];
        ByteBuffer r = ByteBuffer.wrap(req).order(ByteOrder.nativeOrder());
        r.putInt(0, blockSize);
        r.putInt(4, blocks);
        r.putInt(8, frameSize);
        r.putInt(12, frames);
        return req;
    }

    /** Sets a ring option; returns null, or the kernel's reason for refusing. */
    private static String ask(int fd, int option, byte[] request) {
        try {
            LibC.setsockopt(fd, LibC.SOL_PACKET, option, request, request.length);
            return null;
        } catch (LastErrorException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static void setInt(int fd, int option, int value) {
        byte[] v = new byte[4];
        ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).putInt(0, value);
        LibC.setsockopt(fd, LibC.SOL_PACKET, option, v, 4);
    }

    void unmap() {
        if (base != null) {
            LibC.munmap(base, size);
        }
    }
}
