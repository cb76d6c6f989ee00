package io.judo.packet.live;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A TPACKET_V2 receive ring: {@link #FRAMES} slots of {@link #FRAME_SIZE} bytes, each a {@code tpacket2_hdr} the kernel
 * fills (status, lengths, where the frame starts), the {@code sockaddr_ll} after it, then the frame.
 */
final class RxRing {
    static final int FRAME_SIZE = 4096;
    static final int FRAMES = 2048;
    static final int BLOCK_SIZE = 1 << 20;
    static final int BYTES = FRAME_SIZE * FRAMES;
    private static final VarHandle STATUS = MethodHandles.byteBufferViewVarHandle(int[].class,
            ByteOrder.nativeOrder());
    /** The ring's memory, big-endian as frames are read; the headers are read through a native-order view. */
    final ByteBuffer memory;
    private final ByteBuffer headers;
    int next;

    RxRing(ByteBuffer memory) {
        this.memory = memory.order(ByteOrder.BIG_ENDIAN);
        this.headers = memory.duplicate().order(ByteOrder.nativeOrder());
    }

    /** The {@code tpacket_req} asking the kernel for this ring. */
    static byte[] request() {
        return Rings.request(BLOCK_SIZE, BYTES / BLOCK_SIZE, FRAME_SIZE, FRAMES);
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
}
