package io.judo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.capture.Captures;
import io.judo.packet.decode.DecodeCounters;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.Malformed;
import io.judo.packet.testing.Frames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checksum mode auto (Suricata's file-mode {@code checksum-checks: auto}): validation stops for a capture when more
 * than 1 in 10 of its first 1,000 TCP/UDP packets have a bad checksum; decided per capture, before its packets are
 * processed, or on the way for a source that can be read only once.
 */
class ChecksumDecisionTest {
    /** {@code bad} of {@code packets} TCP segments with a bad checksum (the first ones), then good ones. */
    private static byte[] capture(int packets, int bad) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < packets; i++) {
            PacketBuilder b = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000 + i % 7, 80)
                    .seq(1000 + i).payload(new byte[] {'x'});
            frames.add((i < bad ? b.badTransportChecksum() : b).build());
        }
        return Frames.pcap(LinkType.ETHERNET, frames, false);
    }

    private static CaptureScanner scan(ChecksumMode mode, CaptureScanner.Opener... captures) {
        CaptureScanner s = new CaptureScanner(mode);
        for (int i = 0; i < captures.length; i++) {
            s.scan("c" + i, captures[i], ScanProgress.NONE);
        }
        return s;
    }

    @Test
    void moreThanOneInTenBadTurnsValidationOff() {
        assertTrue(ChecksumDecision.auto(1000, 100).validate(), "exactly 1 in 10 is not more");
        assertFalse(ChecksumDecision.auto(1000, 101).validate());
        assertTrue(ChecksumDecision.auto(0, 0).validate(), "nothing to sample: validate");
        assertEquals("auto: off after 1,000 packets, 412 bad (offloading)", ChecksumDecision.auto(1000, 412).text());
        assertEquals("auto: on after 145 packets, 1 bad", ChecksumDecision.auto(145, 1).text());
    }

    @Test
    void onlyTheFirstThousandTcpAndUdpPacketsAreSampled() throws Exception {
        // 1,500 packets, the first 101 bad: off; had the sample run past 1,000 it would have seen 1 in 15.
        ChecksumDecision d = ChecksumDecision.sample(Captures.open(capture(1500, 101)));
        assertEquals(ChecksumDecision.auto(1000, 101), d);
        // ICMP does not count, bad or not
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            frames.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").icmp(8, 0, i).badTransportChecksum()
                    .build());
        }
        frames.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(5000, 53).payload(new byte[4]).build());
        assertEquals(ChecksumDecision.auto(1, 0),
                ChecksumDecision.sample(Captures.open(Frames.pcap(LinkType.ETHERNET, frames, false))));
    }

    @Test
    void anOffloadedCaptureIsNotValidatedAndAGoodOneWithOneDamagedChecksumIs() {
        byte[] offloaded = capture(300, 200);
        byte[] damaged = capture(300, 1);
        CaptureScanner s = scan(ChecksumMode.AUTO, () -> Captures.open(offloaded), () -> Captures.open(damaged));
        assertEquals(List.of(ChecksumDecision.auto(300, 200), ChecksumDecision.auto(300, 1)), s.checksums());
        assertEquals(List.of("c0", "c1"), s.checksumCaptures());
        // decided per capture: the offloaded one decodes unchecked, the damaged segment of the other is found
        assertEquals(1, s.counters().count(Malformed.BAD_TCP_CHECKSUM));
    }

    @Test
    void onAndOffNeedNoSample() {
        byte[] offloaded = capture(300, 200);
        assertEquals(200, scan(ChecksumMode.ON, () -> Captures.open(offloaded)).counters()
                .count(Malformed.BAD_TCP_CHECKSUM));
        CaptureScanner off = scan(ChecksumMode.OFF, () -> Captures.open(offloaded));
        assertEquals(0, off.counters().count(Malformed.BAD_TCP_CHECKSUM));
        assertEquals(List.of(ChecksumDecision.fixed(ChecksumMode.OFF)), off.checksums());
    }

    @Test
    void aSourceReadOnceIsValidatedUntilTheSampleDecides() {
        byte[] bytes = capture(1500, 1200);
        List<ChecksumDecision> told = new ArrayList<>();
        CaptureScanner s = new CaptureScanner(ChecksumMode.AUTO).checksumListener((name, d) -> told.add(d));
        int[] opened = new int[1];
        s.scan("stdin", CaptureScanner.Opener.once(() -> {
            opened[0]++;
            return Captures.open(bytes);
        }), ScanProgress.NONE);
        assertEquals(1, opened[0], "opened once");
        assertEquals(List.of(ChecksumDecision.auto(1000, 1000)), told);
        DecodeCounters c = s.counters();
        assertEquals(1000, c.count(Malformed.BAD_TCP_CHECKSUM), "validated while sampling, not after");
        assertEquals(1500, c.packets());
    }
}
