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
        this.ring = RxRing.map(fd);
    }

    /**
     * The kernel's receive ring (PACKET_MMAP, TPACKET_V2): frames are read where the kernel wrote them, without a
     * system call or a copy each. Null where the kernel refuses it (then frames are read with recvfrom).
     */
    private final RxRing ring;
    /** The ring slot handed out by the last {@link #receive}, returned to the kernel at the next one. */
    private int heldSlot = -1;
    private long truncated;

    /** A TPACKET_V2 receive ring: {@link #FRAMES} slots of {@link #FRAME_SIZE} bytes in one mapping. */
    private static final class RxRing {
        static final int FRAME_SIZE = 4096;
        static final int FRAMES = 2048;
        static final int BLOCK_SIZE = 1 << 20;
        private static final java.lang.invoke.VarHandle STATUS = java.lang.invoke.MethodHandles
                .byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
        final com.sun.jna.Pointer base;
        /** The mapping, big-endian as frames are read; the headers are read through a native-order view. */
        final ByteBuffer memory;
        final ByteBuffer headers;
        int next;

        private RxRing(com.sun.jna.Pointer base, ByteBuffer memory) {
            this.base = base;
            this.memory = memory;
            this.headers = memory.duplicate().order(ByteOrder.nativeOrder());
        }

        static RxRing map(int fd) {
            try {
                setInt(fd, LibC.SOL_PACKET, LibC.PACKET_VERSION, LibC.TPACKET_V2);
                byte[] req = new byte[16];
                ByteBuffer r = ByteBuffer.wrap(req).order(ByteOrder.nativeOrder());
                r.putInt(0, BLOCK_SIZE);
                r.putInt(4, FRAME_SIZE * FRAMES / BLOCK_SIZE);
                r.putInt(8, FRAME_SIZE);
                r.putInt(12, FRAMES);
                LibC.setsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_RX_RING, req, req.length);
                long size = (long) FRAME_SIZE * FRAMES;
                com.sun.jna.Pointer p = LibC.mmap(null, size, LibC.PROT_READ_WRITE, LibC.MAP_SHARED, fd, 0);
                if (p == null || com.sun.jna.Pointer.nativeValue(p) == -1) {
                    return null;
                }
                return new RxRing(p, p.getByteBuffer(0, size).order(ByteOrder.BIG_ENDIAN));
            } catch (LastErrorException | UnsatisfiedLinkError e) {
                return null;
            }
        }

        /** The slot's status word, read with acquire semantics (the kernel wrote the frame before it). */
        int status(int slot) {
            return (int) STATUS.getAcquire(headers, slot * FRAME_SIZE);
        }

        /** Gives the slot back to the kernel (release: we are done reading it). */
        void release(int slot) {
            STATUS.setRelease(headers, slot * FRAME_SIZE, 0);
        }

        int u32(int at) {
            return headers.getInt(at);
        }

        int u16(int at) {
            return headers.getShort(at) & 0xffff;
        }

        void unmap() {
            LibC.munmap(base, (long) FRAME_SIZE * FRAMES);
        }
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
        if (ring != null) {
            return receiveFromRing();
        }
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

    private int receiveFromRing() {
        if (heldSlot >= 0) {
            ring.release(heldSlot); // the previous frame is done with
            heldSlot = -1;
        }
        while (true) {
            int slot = ring.next;
            if ((ring.status(slot) & 1) == 0) { // TP_STATUS_USER not set: the kernel has not filled it yet
                return 0;
            }
            ring.next = (slot + 1) % RxRing.FRAMES;
            int at = slot * RxRing.FRAME_SIZE;
            int length = ring.u32(at + 4);
            int captured = ring.u32(at + 8);
            int mac = ring.u16(at + 12);
            // the sockaddr_ll follows the 32-byte header: its packet type says whether the frame is outgoing
            boolean outgoing = filterOutgoing && (ring.memory.get(at + 32 + 10) & 0xff) == LibC.PACKET_OUTGOING;
            if (outgoing || captured < length) {
                truncated += captured < length ? 1 : 0; // a frame larger than a ring slot cannot be forwarded
                ring.release(slot);
                continue;
            }
            heldSlot = slot;
            frameOffset = at + mac;
            received++;
            return length;
        }
    }

    private int frameOffset;

    /**
     * The buffer (big-endian) holding the last frame {@link #receive} returned, at {@link #frameOffset}: valid until
     * the next {@link #receive}.
     */
    public ByteBuffer frame() {
        return ring != null ? ring.memory : frame;
    }

    /** Where the last received frame starts in {@link #frame}. */
    public int frameOffset() {
        return ring != null ? frameOffset : 0;
    }

    /** Whether frames come from the kernel's mapped receive ring (else one recvfrom each). */
    public boolean mapped() {
        return ring != null;
    }

    /** Frames the ring cut short (larger than a slot, {@value RxRing#FRAME_SIZE} bytes with headers): dropped. */
    public long truncated() {
        return truncated;
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
        return sent(LibC.send(fd, b, length, 0), length);
    }

    private boolean sent(long n, int length) {
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

    /**
     * Transmits the frame at [{@code offset}, offset + length) of {@code buffer}: straight from its memory when it is
     * a direct buffer (a frame received through the ring goes out without being copied), else through a copy.
     */
    public boolean send(ByteBuffer buffer, int offset, int length) {
        if (buffer.isDirect()) {
            return sent(LibC.send(fd, addressOf(buffer) + offset, length, 0), length);
        }
        byte[] b = sendScratch(length);
        buffer.get(offset, b, 0, length);
        return send(b, 0, length);
    }

    private ByteBuffer addressed;
    private long address;

    /** A direct buffer's address, looked up once per buffer (frames come from one or two buffers). */
    private long addressOf(ByteBuffer buffer) {
        if (buffer != addressed) {
            address = com.sun.jna.Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
            addressed = buffer;
        }
        return address;
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
            if (ring != null) {
                ring.unmap();
            }
            LibC.close(fd);
        }
    }
}
