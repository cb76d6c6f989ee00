package io.judo.packet.decode;

import java.nio.ByteBuffer;

/** Decodes a frame held in a byte array, as tests need it. */
final class Decoded {
    private Decoded() {
    }

    static PacketView decode(int linkType, byte[] frame) {
        return decode(linkType, frame, frame.length, frame.length, true);
    }

    static PacketView decode(int linkType, byte[] frame, int captured, int original, boolean checksums) {
        // Put the frame at a non-zero offset so that absolute indexing is exercised.
        ByteBuffer b = ByteBuffer.allocate(frame.length + 7);
        b.position(7);
        b.put(frame);
        return new PacketDecoder(checksums).decode(b, 7, captured, original, linkType, new PacketView());
    }
}
