package io.judo.packet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.packet.capture.CaptureFormatException;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.DecodeCounters;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.flow.FlowKey;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the capture readers and the decoders: no input may raise anything but
 * {@link CaptureFormatException} (from opening a non-capture). In the test suite this fuzzes for a few seconds
 * (JAZZER_FUZZ=1, set by the packet module's Surefire configuration); for a long run see docs/TESTING.md.
 */
class PacketFuzzTest {
    private static final int[] LINKS = {LinkType.ETHERNET, LinkType.RAW, LinkType.LINUX_SLL, LinkType.LINUX_SLL2,
        LinkType.NULL, LinkType.LOOP, LinkType.NFLOG, LinkType.IPV6};

    private final PacketDecoder decoder = new PacketDecoder(true);
    private final PacketView view = new PacketView();
    private final PacketRecord record = new PacketRecord();
    private final DecodeCounters counters = new DecodeCounters();
    private final FlowKey key = new FlowKey();

    @FuzzTest(maxDuration = "10s")
    void readersAndDecodersNeverThrow(byte[] input) throws IOException {
        // 1. The bytes as a capture file: every record is decoded.
        try (CaptureReader r = Captures.open(input)) {
            ReadStatus s;
            int guard = 0;
            while ((s = r.next(record)) == ReadStatus.RECORD && guard++ < 100_000) {
                counters.count(decoder.decode(record, view));
                key.set(view);
            }
        } catch (CaptureFormatException expected) {
            // not a capture: the one acceptable outcome
        }
        // 2. The bytes as one frame of every link type, captured whole and as if snapped.
        ByteBuffer b = ByteBuffer.wrap(input);
        for (int link : LINKS) {
            decoder.decode(b, 0, input.length, input.length, link, view);
            key.set(view);
            if (view.payloadOffset() >= 0 && (view.payloadOffset() + view.payloadLength() > input.length
                    || view.payloadLength() < 0)) {
                throw new IllegalStateException("payload outside the frame for link " + link);
            }
            decoder.decode(b, 0, input.length, input.length + 100, link, view);
        }
    }
}
