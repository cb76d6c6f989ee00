package io.judo.engine;

import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.Malformed;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.io.IOException;
import java.util.Locale;

/**
 * Whether one capture's checksums are validated, and why. Under {@link ChecksumMode#AUTO} this is Suricata's
 * file-mode {@code checksum-checks: auto}: of the capture's first {@value #SAMPLE} TCP/UDP packets (all of them in a
 * shorter capture), more than 1 in {@value #RATIO} with a bad IPv4, TCP or UDP checksum means the capture was taken
 * on a host whose NIC fills checksums in after capture (offloading), and validation is off for that capture.
 * Decided per capture, before its first packet is processed (Suricata decides once, after 1,000 packets, while
 * validating): several captures from different hosts each get their own answer, and a short capture is decided too.
 *
 * @param mode the mode asked for
 * @param validate whether this capture's checksums are validated
 * @param sampled TCP/UDP packets sampled (0 unless the mode is auto)
 * @param bad sampled packets with a bad checksum
 */
public record ChecksumDecision(ChecksumMode mode, boolean validate, long sampled, long bad) {
    /** TCP/UDP packets sampled at the start of a capture. */
    public static final int SAMPLE = 1000;
    /** Validation stops when more than one sampled packet in this many has a bad checksum. */
    public static final int RATIO = 10;

    /** The decision for a mode that needs no sample (on or off). */
    public static ChecksumDecision fixed(ChecksumMode mode) {
        if (mode == ChecksumMode.AUTO) {
            throw new IllegalArgumentException("auto is decided from a sample");
        }
        return new ChecksumDecision(mode, mode == ChecksumMode.ON, 0, 0);
    }

    /** The auto decision for {@code sampled} packets of which {@code bad} had a bad checksum. */
    public static ChecksumDecision auto(long sampled, long bad) {
        return new ChecksumDecision(ChecksumMode.AUTO, bad * RATIO <= sampled, sampled, bad);
    }

    /**
     * Samples the start of a capture: decodes (with checksums verified) up to {@value #SAMPLE} TCP/UDP packets and
     * decides. A reader that fails part way decides on what it read.
     */
    public static ChecksumDecision sample(CaptureReader reader) throws IOException {
        Sampler s = new Sampler();
        PacketRecord record = new PacketRecord();
        PacketView view = new PacketView();
        PacketDecoder decoder = new PacketDecoder(true);
        while (!s.complete() && reader.next(record) == ReadStatus.RECORD) {
            s.add(decoder.decode(record, view));
        }
        return s.decision();
    }

    /** Counts a capture's first TCP/UDP packets as they are decoded (with checksums verified). */
    public static final class Sampler {
        private long sampled;
        private long bad;

        /** Counts {@code v} when it is a TCP or UDP packet whose checksum could be verified (not a fragment). */
        public void add(PacketView v) {
            if (complete() || v.fragment() || v.l4Offset() < 0 || v.ipProtocol() != 6 && v.ipProtocol() != 17) {
                return;
            }
            sampled++;
            if (v.has(Malformed.BAD_TCP_CHECKSUM) || v.has(Malformed.BAD_UDP_CHECKSUM)
                    || v.has(Malformed.BAD_IPV4_CHECKSUM)) {
                bad++;
            }
        }

        /** True once {@value #SAMPLE} packets were counted. */
        public boolean complete() {
            return sampled >= SAMPLE;
        }

        public ChecksumDecision decision() {
            return auto(sampled, bad);
        }
    }

    /**
     * For the summary: {@code auto: off after 1,000 packets, 412 bad (offloading)}, {@code auto: on after 145
     * packets, 1 bad}, {@code on}, {@code off}.
     */
    public String text() {
        if (mode != ChecksumMode.AUTO) {
            return mode.text();
        }
        return "auto: " + counts() + (validate ? "" : " (offloading)");
    }

    /** The auto decision with its counts, e.g. {@code off after 1,000 packets, 412 bad}. */
    public String counts() {
        if (sampled == 0) {
            return "on (no TCP/UDP packets to sample)";
        }
        return String.format(Locale.ROOT, "%s after %,d packets, %,d bad", validate ? "on" : "off", sampled, bad);
    }
}
