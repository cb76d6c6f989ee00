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
 * <p>Receiving and sending allocate nothing: frames are read where the kernel's receive ring holds them (or into a
 * direct buffer the socket owns), and sent by copying them into the kernel's transmit ring, from which one
 * {@link #flush} sends all waiting frames (or with one {@code send} each where there is no ring). Sockets of one
 * {@linkplain Options#fanoutGroup fanout group} share an interface's frames by flow. Not thread-safe; one thread
 * owns the socket.
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
    /**
     * Whether outgoing frames are skipped here, by their packet type: where the kernel lacks PACKET_IGNORE_OUTGOING,
     * and in a fanout group, whose shared hook ignores outgoing frames only with PACKET_FANOUT_FLAG_IGNORE_OUTGOING
     * (Linux 6.2), not with its members' own setting. Frames the group's members send are never looped back to it.
     */
    private boolean filterOutgoing;
    private long received;
    private long sent;
    private long sendErrors;
    private long tooLong;
    private boolean closed;

    private PacketSocket(String name, int index, int fd, boolean filterOutgoing, int mtu, Rings rings) {
        this.name = name;
        this.index = index;
        this.fd = fd;
        this.filterOutgoing = filterOutgoing;
        this.mtu = mtu;
        this.rings = rings;
        this.ring = rings.rx;
        this.tx = rings.tx;
    }

    /**
     * The kernel's receive ring (PACKET_MMAP, TPACKET_V2): frames are read where the kernel wrote them, without a
     * system call or a copy each. Null where the kernel refuses it (then frames are read with recvfrom).
     */
    private final RxRing ring;
    /**
     * The kernel's transmit ring: frames are copied into it and one {@link #flush} sends all of them. Null where the
     * kernel refuses it or it was not asked for (then each frame is one {@code send}).
     */
    private final TxRing tx;
    private final Rings rings;
    /** The interface's MTU when the socket was opened: the transmit ring's kernel drops longer frames silently. */
    private final int mtu;
    /** Whether frames were put in the transmit ring since the last {@link #flush} that got them all out. */
    private boolean txWaiting;
    private long kicks;
    private long kickErrors;
    private long bypassed;
    /** The slot handed out by the last {@link #receive}, returned to the kernel at the next one. */
    private int heldSlot = -1;
    private long truncated;
    /** The fanout group joined, or -1. */
    private int fanoutGroup = -1;

    /**
     * How a socket is opened.
     *
     * @param fanoutGroup the PACKET_FANOUT group to join (0 to 65535), or -1 for none: the sockets of one group on
     *     one interface share its frames, each flow to one socket by the kernel's flow hash (symmetric: both
     *     directions of a connection hash alike); IPv4 fragments are reassembled by the kernel first so that a
     *     datagram's fragments go together (PACKET_FANOUT_FLAG_DEFRAG), so a member sees the whole datagram
     * @param transmitRing whether to send through a mapped transmit ring (frames batched until {@link #flush});
     *     without it, or where the kernel refuses it, each frame is one {@code send}
     * @param qdiscBypass whether frames skip the interface's queueing discipline (PACKET_QDISC_BYPASS): less work
     *     per frame, but traffic control on the interface no longer applies and other packet sockets do not see them
     */
    public record Options(int fanoutGroup, boolean transmitRing, boolean qdiscBypass) {
        /** No fanout group, a transmit ring, the queueing discipline kept. */
        public static final Options DEFAULT = new Options(-1, true, false);

        public Options {
            if (fanoutGroup < -1 || fanoutGroup > 0xffff) {
                throw new IllegalArgumentException("fanout group: 0 to 65535 or -1, got " + fanoutGroup);
            }
        }

        /** These options joining fanout group {@code group}. */
        public Options withFanout(int group) {
            return new Options(group, transmitRing, qdiscBypass);
        }

        /** These options with or without a transmit ring. */
        public Options withTransmitRing(boolean on) {
            return new Options(fanoutGroup, on, qdiscBypass);
        }

        /** These options with or without PACKET_QDISC_BYPASS. */
        public Options withQdiscBypass(boolean on) {
            return new Options(fanoutGroup, transmitRing, on);
        }
    }

    /**
     * The kernel refused to join a fanout group because a group with that id exists in the network namespace for
     * another interface, mode or flags (EINVAL): the caller may try another id.
     */
    public static final class FanoutGroupTaken extends IOException {
        private static final long serialVersionUID = 1L;

        FanoutGroupTaken(String message) {
            super(message);
        }
    }

    /**
     * Opens a socket on interface {@code name}.
     *
     * @throws IOException naming the interface and the reason (no such interface, not permitted, ...)
     */
    public static PacketSocket open(String name) throws IOException {
        return open(name, Options.DEFAULT);
    }

    /**
     * Opens a socket on interface {@code name} with {@code options}.
     *
     * @throws IOException naming the interface and the reason (no such interface, not permitted, a fanout group of
     *     another kind with that id, ...)
     */
    public static PacketSocket open(String name, Options options) throws IOException {
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
        int mtu = mtu(fd, name);
        try {
            if (options.qdiscBypass()) {
                setInt(fd, LibC.SOL_PACKET, LibC.PACKET_QDISC_BYPASS, 1);
            }
            // a frame the transmit ring cannot send is skipped, not left to stop the ring
            setInt(fd, LibC.SOL_PACKET, LibC.PACKET_LOSS, 1);
        } catch (LastErrorException e) {
            LibC.close(fd);
            throw new IOException(name + ": cannot set up the raw socket: " + reason(e));
        }
        PacketSocket socket = new PacketSocket(name, index, fd, filter, mtu, Rings.map(fd, options.transmitRing(),
                mtu));
        if (options.fanoutGroup() >= 0) {
            // after the rings: setting a ring takes a socket off the interface and back, which a member should not
            try {
                setInt(fd, LibC.SOL_PACKET, LibC.PACKET_FANOUT, options.fanoutGroup()
                        | (LibC.PACKET_FANOUT_HASH | LibC.PACKET_FANOUT_FLAG_DEFRAG) << 16);
            } catch (LastErrorException e) {
                socket.close();
                String message = name + ": cannot join fanout group " + options.fanoutGroup() + ": " + reason(e);
                if (e.getErrorCode() == 22) {
                    throw new FanoutGroupTaken(message + " (a group of another kind or interface has that id)");
                }
                throw new IOException(message);
            }
            socket.fanoutGroup = options.fanoutGroup();
            socket.filterOutgoing = true; // the group's hook, not this socket's, now decides what arrives
        }
        return socket;
    }

    /**
     * The kernel's index of interface {@code name} (what a fanout group id can be derived from before any socket is
     * open), or 0 when there is no such interface.
     *
     * @throws IOException where there is no Linux libc to ask
     */
    public static int interfaceIndex(String name) throws IOException {
        try {
            return LibC.if_nametoindex(name);
        } catch (UnsatisfiedLinkError e) {
            throw new IOException("raw sockets need Linux and libc (" + e.getMessage() + ")");
        }
    }

    /** The PACKET_FANOUT group this socket joined, or -1 for none. */
    public int fanoutGroup() {
        return fanoutGroup;
    }

    /** The interface's MTU (SIOCGIFMTU), or 1500 when the kernel does not say. */
    private static int mtu(int fd, String name) {
        byte[] ifreq = new byte[40];
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, ifreq, 0, Math.min(n.length, 15));
        try {
            LibC.ioctl(fd, LibC.SIOCGIFMTU, ifreq);
            return ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder()).getInt(16);
        } catch (LastErrorException e) {
            return 1500;
        }
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
     * Transmits {@code length} bytes of {@code bytes} from {@code offset} as one frame, link header included. With a
     * transmit ring the frame is copied into it and leaves at the next {@link #flush}.
     *
     * @return true when the kernel took it (or the ring did); false when it refused (queue full, frame longer than
     *     the interface's MTU), counted in {@link #sendErrors}
     */
    public boolean send(byte[] bytes, int offset, int length) {
        if (tx != null && length >= 14 && length <= tx.capacity()) {
            if (longerThanMtu(length, bytes[offset + 12], bytes[offset + 13])) {
                return refusedTooLong();
            }
            if (room()) {
                tx.put(bytes, offset, length);
                return queued();
            }
        }
        byte[] b = bytes;
        if (offset != 0) { // JNA passes an array from its start
            b = sendScratch(length);
            System.arraycopy(bytes, offset, b, 0, length);
        }
        beforeSystemCall();
        return sent(LibC.send(fd, b, length, 0), length);
    }

    /**
     * Whether the kernel would refuse the frame (longer than MTU plus the Ethernet header, plus a VLAN tag when it
     * has one), checked here because the ring's kernel side drops it without a word.
     */
    private boolean longerThanMtu(int length, byte typeHigh, byte typeLow) {
        int allowed = mtu + 14;
        if (typeHigh == (byte) 0x81 && typeLow == 0) {
            allowed += 4;
        }
        return length > allowed;
    }

    private boolean refusedTooLong() {
        sendErrors++;
        tooLong++;
        return false;
    }

    /** Whether the ring's next slot is free, after a flush when it was not (the kernel frees slots it sent). */
    private boolean room() {
        if (tx.hasRoom()) {
            return true;
        }
        flush();
        return tx.hasRoom();
    }

    private boolean queued() {
        txWaiting = true;
        sent++;
        return true;
    }

    /**
     * Before a frame goes out with its own system call although there is a ring (the ring is full of frames still on
     * their way, or the frame is larger than a slot): the frames in the ring go first, to keep the order.
     */
    private void beforeSystemCall() {
        if (tx != null) {
            bypassed++;
            flush();
        }
    }

    /**
     * Sends every frame put in the transmit ring since the last flush, with one system call; nothing without a ring
     * or when none waits. A bridge calls it at the end of each batch of frames.
     */
    public void flush() {
        if (!txWaiting) {
            return;
        }
        kicks++;
        if (LibC.send(fd, 0L, 0, LibC.MSG_DONTWAIT) < 0) {
            kickErrors++; // out of send buffer for now (the frames still wait) or the interface went away
        }
        txWaiting = tx.lastWaiting();
    }

    /** Whether frames wait in the transmit ring for a {@link #flush} (one that failed leaves them waiting). */
    public boolean flushPending() {
        return txWaiting;
    }

    /** Whether frames go out through the mapped transmit ring (else one {@code send} each). */
    public boolean transmitRing() {
        return tx != null;
    }

    /** Why frames go out one {@code send} each, or null when they go through the transmit ring. */
    public String transmitRingMissing() {
        return rings.txMissing;
    }

    /** {@link #flush}es that made the kernel send frames from the ring. */
    public long flushes() {
        return kicks;
    }

    /** {@link #flush}es the kernel refused (the frames stayed in the ring for the next one). */
    public long flushErrors() {
        return kickErrors;
    }

    /** Frames sent with a system call each although there is a ring: it was full, or they were larger than a slot. */
    public long ringBypassed() {
        return bypassed;
    }

    private boolean sent(long n, int length) {
        if (n != length) {
            sendErrors++;
            if (Native.getLastError() == LibC.EMSGSIZE) {
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
        if (tx != null && length >= 14 && length <= tx.capacity()) {
            if (longerThanMtu(length, buffer.get(offset + 12), buffer.get(offset + 13))) {
                return refusedTooLong();
            }
            if (room()) {
                tx.put(buffer, offset, length);
                return queued();
            }
        }
        if (buffer.isDirect()) {
            beforeSystemCall();
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
            flush();
            rings.unmap();
            LibC.close(fd);
        }
    }
}
