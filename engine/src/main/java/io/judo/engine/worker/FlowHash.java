package io.judo.engine.worker;

import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;

/**
 * The worker a packet belongs to: a symmetric hash of its source and destination addresses (both directions of a flow
 * hash alike, as symmetric RSS does). Ports are left out on purpose: a non-first IP fragment carries none, and the
 * fragments of a datagram must reach the worker that owns its flow, where they are reassembled; hashing the address
 * pair keeps every fragment, and every flow between two hosts, on one worker without defragmenting on the reader.
 * The cost: one host pair's traffic is one worker's. Packets without IP go to worker 0.
 */
public final class FlowHash {
    private FlowHash() {
    }

    /** The worker of {@code v} among {@code workers}. */
    public static int worker(PacketView v, int workers) {
        if (workers == 1 || v.addressLength() == 0 || v.srcAddressOffset() < 0) {
            return 0;
        }
        ByteBuffer b = v.buffer();
        long src = address(b, v.srcAddressOffset(), v.addressLength());
        long dst = address(b, v.dstAddressOffset(), v.addressLength());
        long h = mix(src) + mix(dst); // addition commutes: both directions hash alike
        return (int) ((mix(h) >>> 1) % workers);
    }

    private static long address(ByteBuffer b, int at, int length) {
        if (length == 4) {
            return b.getInt(at) & 0xffffffffL;
        }
        return b.getLong(at) * 31 + b.getLong(at + 8);
    }

    /** A 64-bit finalizer (Stafford's variant 13, as SplitMix64 uses): every input bit reaches every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
