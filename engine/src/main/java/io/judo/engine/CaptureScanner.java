package io.judo.engine;

import io.judo.packet.capture.CaptureFormatException;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.DecodeCounters;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.flow.FlowKey;
import io.judo.packet.flow.FlowKeySet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Scans captures: decodes every packet, counts protocols and malformed reasons, and counts distinct bidirectional
 * flows. One scanner accumulates over several files. The per-packet loop allocates nothing.
 */
public final class CaptureScanner {
    /** How often (in packets) progress is reported. */
    private static final int PROGRESS_EVERY = 1 << 14;

    /**
     * Opens a capture; lets callers decide where bytes come from (file, bundled resource, stdin). Under checksum
     * mode auto a capture is opened twice, once to sample its first packets; a source that can be read only once
     * (standard input) says so with {@link #once}, and is then sampled while it is processed.
     */
    @FunctionalInterface
    public interface Opener {
        CaptureReader open() throws IOException;

        /** Whether {@link #open} may be called again for the same bytes. */
        default boolean repeatable() {
            return true;
        }

        /** An opener for a source that can be read only once. */
        static Opener once(Opener opener) {
            return new Opener() {
                @Override
                public CaptureReader open() throws IOException {
                    return opener.open();
                }

                @Override
                public boolean repeatable() {
                    return false;
                }
            };
        }
    }

    /** Told, before a capture's first packet, whether its checksums are validated. */
    @FunctionalInterface
    public interface ChecksumListener {
        void decided(String capture, ChecksumDecision decision);
    }

    /** Receives every decoded packet (detection, rewriting): on the scanning thread, the view valid during the call. */
    @FunctionalInterface
    public interface PacketListener {
        void packet(PacketView view, long timeNanos);

        /** A sharded scanner passed a packet of another shard, captured at {@code timeNanos}: the clock moved. */
        default void skipped(long timeNanos) {
        }
    }

    private PacketListener listener;
    /** Null when this scanner takes every packet. */
    private io.judo.engine.worker.Shard shard;
    private long absorbedFlows;
    private ChecksumListener checksumListener;
    private final ChecksumMode checksumMode;
    /** Verifies checksums; {@link #plain} does not. The current capture's decision picks one. */
    private final PacketDecoder verifying = new PacketDecoder(true);
    private final PacketDecoder plain = new PacketDecoder(false);
    private final List<ChecksumDecision> checksums = new ArrayList<>();
    private final List<String> checksumNames = new ArrayList<>();
    private final PacketView view = new PacketView();
    private final PacketRecord record = new PacketRecord();
    private final FlowKey key = new FlowKey();
    private final FlowKeySet flows = new FlowKeySet();
    private final DecodeCounters counters = new DecodeCounters();
    private final List<FileOutcome> outcomes = new ArrayList<>();
    private long elapsedNanos;
    private volatile boolean stopRequested;

    /** @param verifyChecksums verify IP/TCP/UDP/ICMP checksums (bad ones are counted as malformed reasons) */
    public CaptureScanner(boolean verifyChecksums) {
        this(verifyChecksums ? ChecksumMode.ON : ChecksumMode.OFF);
    }

    /**
     * @param checksums on: verify IP/TCP/UDP/ICMP checksums (bad ones are counted as malformed reasons and, in
     *     reassembly, left out); off: do not; auto: decide per capture from its first TCP/UDP packets
     *     ({@link ChecksumDecision})
     */
    public CaptureScanner(ChecksumMode checksums) {
        this.checksumMode = checksums;
    }

    /**
     * Scans one capture to its end. Never throws for bad capture content: a file that is not a capture, or that
     * ends early, is recorded in its {@link FileOutcome}; everything read before the problem stays counted.
     */
    public FileOutcome scan(String name, Opener opener, ScanProgress progress) {
        long started = System.nanoTime();
        FileOutcome outcome;
        long packets = 0;
        String format = null;
        ChecksumDecision.Sampler sampler = null;
        ChecksumDecision decision = null;
        try {
            if (checksumMode != ChecksumMode.AUTO) {
                decision = ChecksumDecision.fixed(checksumMode);
            } else if (opener.repeatable()) {
                try (CaptureReader sample = opener.open()) {
                    decision = ChecksumDecision.sample(sample);
                }
            } else {
                sampler = new ChecksumDecision.Sampler(); // decided on the way, validating meanwhile (Suricata's way)
            }
        } catch (IOException | RuntimeException e) {
            decision = null; // the capture cannot be read: the scan below reports why
        }
        if (decision != null) {
            decided(name, decision);
        }
        PacketDecoder decoder = decision == null || decision.validate() ? verifying : plain;
        try (CaptureReader reader = opener.open()) {
            format = reader.format();
            ReadStatus status = ReadStatus.END;
            boolean interrupted = false;
            while (true) {
                // checked before each read, so a stop request lets the packet in hand finish and reads no more
                if (stopRequested) {
                    interrupted = true;
                    break;
                }
                status = reader.next(record);
                if (status != ReadStatus.RECORD) {
                    break;
                }
                if (shard != null) {
                    // a sharded scanner reads every record but takes only its workers' packets: the header decode
                    // that picks the worker, without checksums; then, for its own, the decode the capture wants
                    if (!shard.owns(record, view)) {
                        if (listener != null) {
                            listener.skipped(record.timestampNanos());
                        }
                        if ((++packets & (PROGRESS_EVERY - 1)) == 0) {
                            progress.update(name, reader.position(), packets);
                        }
                        continue;
                    }
                    if (decoder != plain) {
                        decoder.decode(record, view);
                    }
                } else {
                    decoder.decode(record, view);
                }
                if (sampler != null) {
                    sampler.add(view);
                    if (sampler.complete()) {
                        decision = sampler.decision();
                        decided(name, decision);
                        decoder = decision.validate() ? verifying : plain;
                        sampler = null;
                    }
                }
                counters.count(view);
                long t = record.timestampNanos();
                firstNanos = Math.min(firstNanos, t);
                lastNanos = Math.max(lastNanos, t);
                if (listener != null) {
                    listener.packet(view, t);
                }
                if (key.set(view)) {
                    flows.add(key);
                }
                if ((++packets & (PROGRESS_EVERY - 1)) == 0) {
                    progress.update(name, reader.position(), counters.packets());
                }
            }
            if (sampler != null) { // a one-time source shorter than the sample
                decided(name, sampler.decision());
                sampler = null;
            }
            outcome = new FileOutcome(name, format, packets, status, reader.problem(), reader.problemOffset(),
                    interrupted);
        } catch (CaptureFormatException e) {
            outcome = new FileOutcome(name, null, packets, null, e.getMessage(), -1);
        } catch (IOException e) {
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            if (e instanceof java.nio.file.NoSuchFileException) {
                message = "no such file";
            } else if (e instanceof java.nio.file.AccessDeniedException) {
                message = "permission denied";
            } else if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
                message = fse.getReason();
            }
            outcome = new FileOutcome(name, format, packets, format == null ? null : ReadStatus.CORRUPT, message, -1);
        }
        outcomes.add(outcome);
        elapsedNanos += System.nanoTime() - started;
        return outcome;
    }

    private void decided(String name, ChecksumDecision decision) {
        checksums.add(decision);
        checksumNames.add(name);
        if (checksumListener != null) {
            checksumListener.decided(name, decision);
        }
    }

    /** Sets the listener told of each capture's checksum decision. */
    public CaptureScanner checksumListener(ChecksumListener l) {
        this.checksumListener = l;
        return this;
    }

    /** The mode checksums are validated in. */
    public ChecksumMode checksumMode() {
        return checksumMode;
    }

    /** Each capture's checksum decision, in order (captures that could not be read have none). */
    public List<ChecksumDecision> checksums() {
        return checksums;
    }

    /** The capture each of {@link #checksums()} is for. */
    public List<String> checksumCaptures() {
        return checksumNames;
    }

    /**
     * Asks the scan to stop: the packet in hand is finished (counted, given to the listener) and no further record
     * is read; that file's outcome is marked interrupted. Safe from any thread (a signal handler's).
     */
    public void stop() {
        stopRequested = true;
    }

    /** True once {@link #stop()} was called: callers scan no further files. */
    public boolean stopped() {
        return stopRequested;
    }

    /**
     * Makes this scanner shard {@code index} of {@code count}: it reads every record of a capture but decodes in full,
     * counts and hands to its listener only the packets whose address pair hashes to it
     * ({@link io.judo.engine.worker.FlowHash}), so {@code count} scanners on {@code count} threads, each reading the
     * same files, together see every packet once, each flow (and each fragment) by one of them. Only for captures
     * that can be read more than once (not standard input). The counts of the others are added to one with
     * {@link #absorb}.
     */
    public CaptureScanner shard(int index, int count) {
        this.shard = count == 1 && index == 0 ? null : new io.judo.engine.worker.Shard(index, count);
        return this;
    }

    /**
     * Adds {@code other}'s counts (a sibling shard's, after its thread ended) to this scanner's: decode counters and
     * distinct flows add up (a flow is one shard's); the elapsed time is the longer of the two; outcomes and checksum
     * decisions stay this scanner's (every shard read the same records).
     */
    public void absorb(CaptureScanner other) {
        counters.add(other.counters);
        absorbedFlows += other.flows();
        firstNanos = Math.min(firstNanos, other.firstNanos);
        lastNanos = Math.max(lastNanos, other.lastNanos);
        elapsedNanos = Math.max(elapsedNanos, other.elapsedNanos);
    }

    /** Sets the listener that sees every decoded packet after it is counted. */
    public CaptureScanner listener(PacketListener l) {
        this.listener = l;
        return this;
    }

    /** Counters over everything scanned so far. */
    public DecodeCounters counters() {
        return counters;
    }

    /** The capture time of the earliest packet counted ({@link Long#MAX_VALUE} before any). */
    public long firstPacketNanos() {
        return firstNanos;
    }

    /** The capture time of the latest packet counted ({@link Long#MIN_VALUE} before any). */
    public long lastPacketNanos() {
        return lastNanos;
    }

    private long firstNanos = Long.MAX_VALUE;
    private long lastNanos = Long.MIN_VALUE;

    /** Distinct bidirectional flows seen (non-first fragments are not counted: their ports are unknown). */
    public long flows() {
        return flows.size() + absorbedFlows;
    }

    /** One outcome per scanned file, in order. */
    public List<FileOutcome> outcomes() {
        return outcomes;
    }

    /** Time spent scanning, all files. */
    public long elapsedNanos() {
        return elapsedNanos;
    }
}
