package io.judo.packet.live;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.nio.ByteBuffer;

/**
 * The few libc calls a packet socket needs, bound by JNA's direct mapping (a native method per call, no proxy, no
 * allocation per call). Structures are passed as byte arrays laid out by the callers in the machine's byte order.
 */
final class LibC {
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_MR_PROMISC = 1;
    /** Linux 4.20 and later: the socket does not see the frames it (or any socket) sends out of its interface. */
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int PACKET_OUTGOING = 4;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_TX_RING = 13;
    /** Frames the kernel cannot send from the transmit ring are marked free instead of stopping the ring. */
    static final int PACKET_LOSS = 14;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_FANOUT_HASH = 0;
    static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_VERSION = 10;
    static final int TPACKET_V2 = 1;
    static final int PROT_READ_WRITE = 3;
    static final int MAP_SHARED = 1;
    static final int ETH_P_ALL = 0x0003;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 0x1;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int EMSGSIZE = 90;
    static final int ENOBUFS = 105;
    static final long SIOCGIFMTU = 0x8921;

    static {
        Native.register("c");
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int bind(int fd, byte[] address, int length) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    /** Returns -1 with errno set instead of throwing: an empty socket is the common case, not an error. */
    static native long recvfrom(int fd, ByteBuffer buffer, long length, int flags, byte[] from, int[] fromLength);

    static native long send(int fd, byte[] buffer, long length, int flags);

    /**
     * {@code send} from native memory at {@code address} (a direct buffer's, with an offset): no copy. The address
     * travels as a 64-bit integer, which the LP64 calling conventions of Linux on x86-64 and arm64 pass exactly as a
     * pointer, so no Pointer object is made per frame.
     */
    static native long send(int fd, long address, long length, int flags);

    /** An ioctl whose argument is a structure laid out in {@code arg} (an {@code ifreq} here). */
    static native int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

    static native int poll(byte[] fds, long count, int timeoutMillis);

    static native int if_nametoindex(String name);

    static native com.sun.jna.Pointer mmap(com.sun.jna.Pointer address, long length, int protection, int flags, int fd,
            long offset);

    static native int munmap(com.sun.jna.Pointer address, long length);

    static native int close(int fd);
}
