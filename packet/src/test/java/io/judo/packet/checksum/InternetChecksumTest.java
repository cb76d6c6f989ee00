package io.judo.packet.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    /** RFC 1071 section 3's worked example: the folded sum of these bytes is 0xddf2. */
    @Test
    void rfc1071Example() {
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0xddf2, InternetChecksum.fold(InternetChecksum.add(0, ByteBuffer.wrap(b), 0, b.length)));
        assertEquals(0x220d, InternetChecksum.compute(ByteBuffer.wrap(b), 0, b.length));
    }

    /** A well-known IPv4 header (192.168.0.1 → 192.168.0.199) whose checksum is 0xb861. */
    @Test
    void knownIpv4Header() {
        byte[] h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0, 0,
            (byte) 0xc0, (byte) 0xa8, 0x00, 0x01, (byte) 0xc0, (byte) 0xa8, 0x00, (byte) 0xc7};
        assertEquals(0xb861, InternetChecksum.compute(ByteBuffer.wrap(h), 0, h.length));
    }

    @Property
    void oddLengthsAndOffsetsAndByteOrdersAgree(@ForAll @Size(max = 200) byte[] data, @ForAll @IntRange(max = 5) int pad) {
        ByteBuffer big = ByteBuffer.allocate(data.length + pad);
        big.position(pad);
        big.put(data);
        ByteBuffer little = ByteBuffer.allocateDirect(data.length + pad).order(ByteOrder.LITTLE_ENDIAN);
        little.position(pad);
        little.put(data);
        long expected = InternetChecksum.add(0, data, 0, data.length);
        assertEquals(InternetChecksum.fold(expected), InternetChecksum.fold(InternetChecksum.add(0, big, pad, data.length)));
        assertEquals(InternetChecksum.fold(expected), InternetChecksum.fold(InternetChecksum.add(0, little, pad, data.length)));
    }

    /** RFC 1624: updating after a word changes equals recomputing from scratch. */
    @Property
    void incrementalUpdateEqualsRecompute(@ForAll @Size(min = 2, max = 64) byte[] data, @ForAll int wordIndex,
                                          @ForAll short newWord) {
        byte[] even = data.length % 2 == 0 ? data : java.util.Arrays.copyOf(data, data.length + 1);
        int at = Math.floorMod(wordIndex, even.length / 2) * 2;
        int before = InternetChecksum.finish(InternetChecksum.add(0, even, 0, even.length));
        int oldWord = ((even[at] & 0xff) << 8) | (even[at + 1] & 0xff);
        even[at] = (byte) (newWord >>> 8);
        even[at + 1] = (byte) newWord;
        int after = InternetChecksum.finish(InternetChecksum.add(0, even, 0, even.length));
        int updated = InternetChecksum.update16(before, oldWord, newWord & 0xffff);
        // 0x0000 and 0xffff are the same one's-complement value; verification accepts either.
        assertEquals(after == 0xffff ? 0 : after, updated == 0xffff ? 0 : updated);
    }

    @Property
    void update32IsTwoWordUpdates(@ForAll @Size(min = 8, max = 8) byte[] data, @ForAll int newValue) {
        ByteBuffer b = ByteBuffer.wrap(data.clone());
        int before = InternetChecksum.compute(b, 0, 8);
        int oldValue = b.getInt(4);
        b.putInt(4, newValue);
        int after = InternetChecksum.compute(b, 0, 8);
        int updated = InternetChecksum.update32(before, oldValue, newValue);
        assertEquals(after == 0xffff ? 0 : after, updated == 0xffff ? 0 : updated);
    }
}
