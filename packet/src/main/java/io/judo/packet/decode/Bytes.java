package io.judo.packet.decode;

import java.nio.ByteBuffer;

/** Field reads the layer decoders share. The buffer is big-endian, so plain absolute gets are network order. */
final class Bytes {
    private Bytes() {
    }

    static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    /**
     * Length of the option at {@code at} in the kind-length-value layout IPv4 and TCP options share: 0 for
     * end-of-list, 1 for no-op, -1 for a length that is impossible (under 2, or running past {@code end}).
     */
    static int optionLength(ByteBuffer b, int at, int end) {
        int kind = b.get(at) & 0xff;
        if (kind == 0) {
            return 0;
        }
        if (kind == 1) {
            return 1;
        }
        if (at + 1 >= end) {
            return -1;
        }
        int len = b.get(at + 1) & 0xff;
        return len < 2 || at + len > end ? -1 : len;
    }
}
