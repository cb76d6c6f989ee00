package io.judo.packet.live;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A TPACKET_V2 transmit ring: slots the sender fills with a frame and marks {@code TP_STATUS_SEND_REQUEST}; one
 * {@code send} with no data then makes the kernel transmit every marked slot, and it marks each free again
 * ({@code TP_STATUS_AVAILABLE}) once the frame has left the socket.
 */
final class TxRing {
    /**
     * Where the kernel reads a frame in its slot: right after the header, {@code TPACKET_ALIGN(sizeof(tpacket2_hdr))},
     * as the socket does not set PACKET_TX_HAS_OFF.
     */
    static final int DATA = 32;
    static final int SEND_REQUEST = 1;
    static final int SENDING = 2;
    /** The whole ring's size; the slots are as large as the interface's MTU needs. */
    static final int BYTES = 8 << 20;
    private static final int BLOCK_SIZE = 1 << 20;
    private static final VarHandle STATUS = MethodHandles.byteBufferViewVarHandle(int[].class,
            ByteOrder.nativeOrder());
    final int frameSize;
    final int frames;
    private final ByteBuffer memory;
    private final ByteBuffer headers;
    private int next;

    TxRing(ByteBuffer memory, int frameSize) {
        this.memory = memory.order(ByteOrder.BIG_ENDIAN);
        this.headers = memory.duplicate().order(ByteOrder.nativeOrder());
        this.frameSize = frameSize;
        this.frames = BYTES / frameSize;
    }

    /**
     * The slot size for frames of an interface with this MTU: header, link header with a VLAN tag, the packet,
     * rounded up to a power of two (so slots tile the ring's blocks).
     */
    static int frameSize(int mtu) {
        int need = DATA + 14 + 4 + mtu;
        return Math.max(2048, Integer.highestOneBit(need - 1) << 1);
    }

    /** The {@code tpacket_req} asking the kernel for a ring of {@link #frameSize} slots. */
    static byte[] request(int frameSize) {
        int block = Math.max(BLOCK_SIZE, frameSize);
        return Rings.request(block, BYTES / block, frameSize, BYTES / frameSize);
    }

    /** The largest frame a slot holds. */
    int capacity() {
        return frameSize - DATA;
    }

    /** Whether the next slot in ring order is free: neither waiting to be sent nor on its way out. */
    boolean hasRoom() {
        return ((int) STATUS.getAcquire(headers, next * frameSize) & (SEND_REQUEST | SENDING)) == 0;
    }

    /** Copies a frame into the next slot (which {@link #hasRoom} said is free) and marks it for sending. */
    void put(ByteBuffer frame, int offset, int length) {
        int at = next * frameSize;
        memory.put(at + DATA, frame, offset, length);
        commit(at, length);
    }

    /** As {@link #put(ByteBuffer, int, int)}, from an array. */
    void put(byte[] frame, int offset, int length) {
        int at = next * frameSize;
        memory.put(at + DATA, frame, offset, length);
        commit(at, length);
    }

    private void commit(int at, int length) {
        headers.putInt(at + 4, length); // tp_len
        STATUS.setRelease(headers, at, SEND_REQUEST); // after the frame: the kernel reads it once it sees this
        next = next + 1 == frames ? 0 : next + 1;
    }

    /** Whether the frame put last still waits for the kernel (a kick did not get to it). */
    boolean lastWaiting() {
        int last = next == 0 ? frames - 1 : next - 1;
        return ((int) STATUS.getAcquire(headers, last * frameSize) & SEND_REQUEST) != 0;
    }
}
