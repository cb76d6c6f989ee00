package io.judo.engine;

import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.PacketDecoder;
import io.judo.reassembly.DefragPolicy;
import io.judo.reassembly.Defragmenter;
import io.judo.reassembly.Flow;
import io.judo.reassembly.FlowTable;
import io.judo.reassembly.HostPolicies;
import io.judo.reassembly.StreamConfig;
import io.judo.reassembly.StreamSink;
import io.judo.reassembly.TcpReassembler;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The flow path for commands that want the reassembled streams themselves rather than rule verdicts ({@code judo
 * streams}, {@code judo grep --pcap}, the demo's stream line): captures read with the same checksum decision as
 * {@code judo scan}, fragments reassembled with the fragment policy of the stream policy's operating system (per
 * destination when host policies are given), TCP reassembled into {@code sink}. Not thread-safe.
 */
public final class StreamTap {
    private final TcpReassembler reassembler;
    private final Defragmenter defragmenter;
    private final PacketDecoder checking = new PacketDecoder(true);
    private final PacketDecoder plain = new PacketDecoder(false);
    /** Null when this tap takes every packet. */
    private io.judo.engine.worker.Shard shard;

    /**
     * @param config reassembly settings; its overlap policy picks the fragment policy too
     * @param hosts per-destination policies, or null for the one policy
     * @param validateChecksums leave TCP segments with bad checksums out (when a capture is validated at all)
     * @param sink receives each direction's in-order bytes, gaps and events
     * @param onEnd told when a flow ends (expired, evicted, or at {@link #finish})
     */
    public StreamTap(StreamConfig config, HostPolicies hosts, boolean validateChecksums, StreamSink sink,
            Consumer<Flow> onEnd) {
        this.reassembler = new TcpReassembler(FlowTable.defaults(), config, sink, onEnd, validateChecksums);
        this.defragmenter = new Defragmenter(DefragPolicy.of(config.policy()), config.defrag(),
                new PacketDecoder(true));
        reassembler.defragmentWith(defragmenter);
        if (hosts != null) {
            reassembler.policiesBy(hosts);
        }
    }

    /**
     * Reads one capture to its end.
     *
     * @param validate whether this capture's checksums are checked ({@link ChecksumDecision#validate()})
     * @return how the capture ended (a truncated or corrupt end is reported by the reader's problem)
     */
    public ReadStatus read(CaptureReader reader, boolean validate) throws IOException {
        if (shard == null) {
            return reassembler.readAll(reader, validate ? checking : plain);
        }
        io.judo.packet.capture.PacketRecord record = new io.judo.packet.capture.PacketRecord();
        io.judo.packet.decode.PacketView view = new io.judo.packet.decode.PacketView();
        ReadStatus status;
        while ((status = reader.next(record)) == ReadStatus.RECORD) {
            if (!shard.owns(record, view)) {
                // another worker's packet: only the clock moves, so flows here expire exactly as in one table
                reassembler.advance(record.timestampNanos());
                continue;
            }
            if (validate) {
                checking.decode(record, view);
            }
            reassembler.packet(view, record.timestampNanos());
        }
        return status;
    }

    /**
     * Makes this tap worker {@code index} of {@code count} reading the same captures: it reassembles only the flows
     * (and fragments) whose address pair hashes to it ({@link io.judo.engine.worker.FlowHash}), so {@code count}
     * taps on {@code count} threads together reassemble every stream once, each stream whole on one of them.
     */
    public StreamTap shard(int index, int count) {
        this.shard = count == 1 && index == 0 ? null : new io.judo.engine.worker.Shard(index, count);
        return this;
    }

    /** Ends every flow, flushing what reassembly holds. */
    public void finish() {
        reassembler.finish();
    }

    /** The reassembler's counters (bad checksums, memcap hits). */
    public TcpReassembler reassembler() {
        return reassembler;
    }

    /** The defragmenter's counters (evasion signs). */
    public Defragmenter defragmenter() {
        return defragmenter;
    }
}
