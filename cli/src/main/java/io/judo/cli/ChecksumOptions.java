package io.judo.cli;

import io.judo.engine.ChecksumMode;
import picocli.CommandLine.Option;

/**
 * {@code --checksum-validation auto|on|off} (and {@code --no-checksum-validation}, the older spelling of off), shared
 * by {@code judo scan}, {@code judo streams} and {@code judo grep --pcap} so that the three agree on what a capture
 * holds.
 */
final class ChecksumOptions {
    @Option(names = "--checksum-validation", paramLabel = "MODE", completionCandidates = Choices.ChecksumModes.class,
            description = "auto, on or off: leave TCP "
            + "segments with a bad checksum out of reassembly, as the receiving host would (on), keep them (off), "
            + "or, the default, decide per capture as Suricata's checksum-checks: auto does: off when more than 1 "
            + "in 10 of its first 1,000 TCP/UDP packets have a bad checksum (taken on a host with checksum "
            + "offload).")
    String mode;

    @Option(names = "--no-checksum-validation", description = "Same as --checksum-validation off.")
    boolean off;

    /** The mode asked for; a bad value is a usage error. */
    ChecksumMode mode() {
        return mode(null);
    }

    /**
     * As {@link #mode()}, with {@code configured} (suricata.yaml's stream.checksum-validation as "on" or "off", or
     * null) used when neither option is given.
     */
    ChecksumMode mode(String configured) {
        String asked = mode != null ? mode : off || configured == null ? "auto" : configured;
        ChecksumMode m = ChecksumMode.named(asked);
        if (m == null) {
            throw new UserError("--checksum-validation: auto, on or off, got '" + asked + "'");
        }
        if (off && m != ChecksumMode.OFF && mode != null && !mode.equalsIgnoreCase("auto")) {
            throw new UserError("--no-checksum-validation contradicts --checksum-validation " + mode);
        }
        return off ? ChecksumMode.OFF : m;
    }
}
