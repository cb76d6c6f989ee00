package io.judo.packet.live;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A raw {@code AF_PACKET} socket bound to one Linux interface: receives every frame arriving on it (the interface is
 * put in promiscuous mode for as long as the socket is open) and transmits whole frames out of it. Frames this host
 * sends out of the interface, including the ones sent through this socket, are not received, so a bridge never sees
 * its own output. Needs CAP_NET_RAW.
 *
 * <p>Receiving and sending allocate nothing: frames are read into a direct buffer the socket owns, and sent from a
 * caller's byte array. Not thread-safe; one thread owns the socket.
 */
public final class PacketSocket implements AutoCloseable {
    /** Large enough for any frame of a 64 KiB IP packet. */
    public static final int FRAME_CAPACITY = 65_536 + 64;

    private final String name;
    private final int index;
    private final int fd;
    private final ByteBuffer frame = ByteBuffer.allocateDirect(FRAME_CAPACITY).order(ByteOrder.BIG_ENDIAN);
    private final byte[] from = new byte[20];
    private final int[] fromLength = new int[1];
    private final boolean filterOutgoing;
    private long received;
    private long sent;
    private long sendErrors;
    private long tooLong;
    private boolean closed;

    private PacketSocket(String name, int index, int fd, boolean filterOutgoing) {
        this.name = name;
        this.index = index;
        this.fd = fd;
        this.filterOutgoing = filterOutgoing;
    }

    /**
     * Opens a socket on interface {@code name}.
     *
     * @throws IOException naming the interface and the reason (no such interface, not permitted, ...)
     */
    public static PacketSocket open(String name) throws IOException {
        int index;
        int fd;
        try {
            index = LibC.if_nametoindex(name);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("raw sockets need Linux and libc (" + e.getMessage() + ")");
        }
        if (index == 0) {
            throw new IOException("no interface named '" + name + "'");
        }
        try {
            // protocol 0: no frame arrives before bind() narrows the socket to this interface
            fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0);
        } catch (LastErrorException e) {
            throw new IOException(name + ": cannot open a raw socket: " + reason(e) + (e.getErrorCode() == 1
                    ? " (needs root or CAP_NET_RAW)" : ""));
        }
        try {
            byte[] ll = new byte[20];
            ByteBuffer b = ByteBuffer.wrap(ll).order(ByteOrder.nativeOrder());
            b.putShort(0, (short) LibC.AF_PACKET);
            b.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) LibC.ETH_P_ALL);
            b.order(ByteOrder.nativeOrder()).putInt(4, index);
            LibC.bind(fd, ll, ll.length);
            byte[] mreq = new byte[16];
            ByteBuffer m = ByteBuffer.wrap(mreq).order(ByteOrder.nativeOrder());
            m.putInt(0, index);
            m.putShort(4, (short) LibC.PACKET_MR_PROMISC);
            LibC.setsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_ADD_MEMBERSHIP, mreq, mreq.length);
            setInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, 4 << 20);
            setInt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, 4 << 20);
        } catch (LastErrorException e) {
            LibC.close(fd);
            throw new IOException(name + ": cannot set up the raw socket: " + reason(e));
        }
        boolean filter;
        try {
            setInt(fd, LibC.SOL_PACKET, LibC.PACKET_IGNORE_OUTGOING, 1);
            filter = false;
        } catch (LastErrorException e) {
            filter = true; // older kernel: skip outgoing frames by their packet type instead
        }
        return new PacketSocket(name, index, fd, filter);
    }

    private static void setInt(int fd, int level, int option, int value) {
        byte[] v = new byte[4];
        ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).putInt(0, value);
        LibC.setsockopt(fd, level, option, v, 4);
    }

    private static String reason(LastErrorException e) {
        String s = e.getMessage();
        int bracket = s == null ? -1 : s.indexOf("] ");
        return bracket >= 0 ? s.substring(bracket + 2) : String.valueOf(s);
    }

    /**
     * Reads one waiting frame into {@link #frame()} without blocking.
     *
     * @return the frame's length (the buffer holds it at [0, length)), or 0 when no frame is waiting
     * @throws IOException when the socket fails
     */
    public int receive() throws IOException {
        while (true) {
            fromLength[0] = from.length;
            long n = LibC.recvfrom(fd, frame, frame.capacity(), LibC.MSG_DONTWAIT, from, fromLength);
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
                    return 0;
                }
                throw new IOException(name + ": receive failed (errno " + errno + ")");
            }
            if (filterOutgoing && (from[10] & 0xff) == LibC.PACKET_OUTGOING) {
                continue;
            }
            received++;
            return (int) n;
        }
    }

    /** The receive buffer, big-endian, holding the last frame {@link #receive} returned. */
    public ByteBuffer frame() {
        return frame;
    }

    /**
     * Transmits {@code length} bytes of {@code bytes} from {@code offset} as one frame, link header included.
     *
     * @return true when the kernel took it; false when it refused (queue full, frame longer than the interface's
     *     MTU), counted in {@link #sendErrors}
     */
    public boolean send(byte[] bytes, int offset, int length) {
        byte[] b = bytes;
        if (offset != 0) { // JNA passes an array from its start
            b = sendScratch(length);
            System.arraycopy(bytes, offset, b, 0, length);
        }
        long n = LibC.send(fd, b, length, 0);
        if (n != length) {
            sendErrors++;
            if (Native.getLastError() == 90) { // EMSGSIZE
                tooLong++;
            }
            return false;
        }
        sent++;
        return true;
    }

    private byte[] scratch = new byte[2048];

    private byte[] sendScratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }

    /** Transmits the frame at [{@code offset}, offset + length) of {@code buffer}. */
    public boolean send(ByteBuffer buffer, int offset, int length) {
        byte[] b = sendScratch(length);
        buffer.get(offset, b, 0, length);
        return send(b, 0, length);
    }

    public String name() {
        return name;
    }

    /** The interface's index. */
    public int index() {
        return index;
    }

    int fd() {
        return fd;
    }

    public long received() {
        return received;
    }

    public long sent() {
        return sent;
    }

    /** Frames the kernel refused to send. */
    public long sendErrors() {
        return sendErrors;
    }

    /** Of {@link #sendErrors}, frames longer than the interface's MTU. */
    public long tooLong() {
        return tooLong;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
