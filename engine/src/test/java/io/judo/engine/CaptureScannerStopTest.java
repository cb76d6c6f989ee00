package io.judo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.capture.Captures;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** {@link CaptureScanner#stop()}: the packet in hand is finished, nothing more is read, the outcome says so. */
class CaptureScannerStopTest {
    @Test
    void stopFinishesThePacketInHandAndReadsNoMore() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TrafficGenerator(3).write(bytes, 1000, Long.MAX_VALUE);
        byte[] capture = bytes.toByteArray();
        CaptureScanner scanner = new CaptureScanner(true);
        long[] seen = new long[1];
        scanner.listener((view, time) -> {
            if (++seen[0] == 100) {
                scanner.stop(); // as a signal handler would, mid-packet
            }
        });
        FileOutcome o = scanner.scan("mix", () -> Captures.open(capture), ScanProgress.NONE);
        assertEquals(100, seen[0]);
        assertEquals(100, o.packets());
        assertEquals(100, scanner.counters().packets(), "the packet in hand was counted");
        assertTrue(o.interrupted());
        assertFalse(o.complete());
        assertFalse(o.failed());
        assertTrue(scanner.stopped());

        FileOutcome next = scanner.scan("again", () -> Captures.open(capture), ScanProgress.NONE);
        assertEquals(0, next.packets());
        assertTrue(next.interrupted());
    }

    @Test
    void aScanNotStoppedIsComplete() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TrafficGenerator(3).write(bytes, 200, Long.MAX_VALUE);
        CaptureScanner scanner = new CaptureScanner(true);
        FileOutcome o = scanner.scan("mix", () -> Captures.open(bytes.toByteArray()), ScanProgress.NONE);
        assertTrue(o.complete());
        assertFalse(o.interrupted());
        assertFalse(scanner.stopped());
    }
}
