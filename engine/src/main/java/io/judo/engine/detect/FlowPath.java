package io.judo.engine.detect;

import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.DefragPolicy;
import io.judo.reassembly.Defragmenter;
import io.judo.reassembly.Flow;
import io.judo.reassembly.FlowSlots;
import io.judo.reassembly.FlowTable;
import io.judo.reassembly.StreamConfig;
import io.judo.reassembly.StreamEvent;
import io.judo.reassembly.StreamSink;
import io.judo.reassembly.TcpReassembler;

/**
 * A partition's one flow path, what happens to a packet before any rule stage sees it: IP defragmentation
 * (target-based, the fragment counterpart of the stream policy), TCP reassembly (whose in-order bytes go to every
 * {@link StreamListener} during {@link #track}), flow tracking for every other protocol, and the header a stream chunk
 * is inspected with. The Suricata stage and the policy stage share one, so a packet is reassembled once and both see
 * the same flow. Not thread-safe: one per partition.
 */
public final class FlowPath {
    private final TcpReassembler reassembler;
    /** Reverses the last datagram's flow when the application layer finds it began with answers. */
    private final java.util.function.BooleanSupplier reverseLast;
    private final Defragmenter defragmenter;
    private final FlowSlots slots = new FlowSlots();
    private final SyntheticHeader synthetic = new SyntheticHeader();
    private PacketView current;
    private StreamListener[] listeners = new StreamListener[0];
    /**
     * The stream events raised while the packet being tracked was (one bit per {@link StreamEvent}) and their flow:
     * Suricata sets a stream event on the packet whose processing raised it, and {@code stream-event} rules read it
     * there. Events of another flow in the same call (a flow the packet's evicted) reset it, so the packet's own,
     * raised last, are kept.
     */
    private int packetEvents;
    private Flow packetEventsFlow;
    private boolean tracking;

    /** Receives stream anomalies (every event but FIN and RST): overlaps with different data, gaps, decoys... */
    public interface Anomalies {
        void anomaly(Flow f, int dir, StreamEvent event, long offset);
    }

    /** A rule stage's side of the stream: in-order bytes, and the end of a direction. */
    public interface StreamListener {
        /** In-order bytes of direction {@code dir} at stream offset {@code offset}. */
        void data(Flow f, int dir, long offset, byte[] bytes, int from, int length);

        /** Direction {@code dir} of {@code f} ended (FIN, or either way on RST): kept bytes can go. */
        void ended(Flow f, int dir);

        /** Bytes [offset, offset + length) of direction {@code dir} were lost: they will never be delivered. */
        default void gap(Flow f, int dir, long offset, long length) {
        }

        /** {@code f} ends (timed out, evicted, or flushed at the end of input): its last bytes were delivered. */
        default void closed(Flow f) {
        }
    }

    private Anomalies anomalies;

    /** Sets where anomalies go (null: nowhere). */
    public void anomalies(Anomalies a) {
        this.anomalies = a;
    }

    /**
     * @param config stream reassembly settings (the overlap policy also picks the fragment policy)
     * @param validateChecksums leave TCP segments with bad checksums out of reassembly
     */
    public FlowPath(StreamConfig config, boolean validateChecksums) {
        StreamSink sink = new StreamSink() {
            @Override
            public void data(Flow f, int dir, long offset, byte[] data, int from, int length) {
                for (StreamListener l : listeners) {
                    l.data(f, dir, offset, data, from, length);
                }
            }

            @Override
            public void gap(Flow f, int dir, long offset, long length) {
                for (StreamListener l : listeners) {
                    l.gap(f, dir, offset, length);
                }
            }

            @Override
            public void event(Flow f, int dir, StreamEvent event, long offset) {
                if (tracking) {
                    if (f != packetEventsFlow) {
                        packetEventsFlow = f;
                        packetEvents = 0;
                    }
                    packetEvents |= event.bit();
                }
                if (anomalies != null && event != StreamEvent.FIN && event != StreamEvent.RST) {
                    anomalies.anomaly(f, dir, event, offset);
                }
                if (event == StreamEvent.FIN || event == StreamEvent.RST) {
                    for (StreamListener l : listeners) {
                        l.ended(f, dir);
                        if (event == StreamEvent.RST) {
                            l.ended(f, 1 - dir);
                        }
                    }
                }
            }
        };
        this.reassembler = new TcpReassembler(FlowTable.defaults(), config, sink, f -> {
            for (StreamListener l : listeners) {
                l.closed(f);
            }
        }, validateChecksums);
        this.defragmenter = new Defragmenter(DefragPolicy.of(config.policy()), config.defrag(),
                new PacketDecoder(false));
        reassembler.defragmentWith(defragmenter);
        this.reverseLast = reassembler::reverseLast;
        if (config.hosts() != null) {
            reassembler.policiesBy(config.hosts());
        }
    }

    /** Adds a stage's stream side; stages hear stream bytes in the order they were added (rule stage order). */
    public void listen(StreamListener l) {
        StreamListener[] more = java.util.Arrays.copyOf(listeners, listeners.length + 1);
        more[listeners.length] = l;
        listeners = more;
    }

    /**
     * The path's application layer, created (and listening, after the listeners already added) on first use: only a
     * partition whose stages or outputs want transactions parses them.
     */
    public AppLayer appLayer() {
        if (appLayer == null) {
            appLayer = new AppLayer(slots);
            listen(appLayer);
        }
        return appLayer;
    }

    /** The application layer if anything asked for it, else null. */
    public AppLayer appLayerIfAny() {
        return appLayer;
    }

    private AppLayer appLayer;

    /** The allocator of this path's flow slots: each stage and the rewriter take theirs here. */
    public FlowSlots slots() {
        return slots;
    }

    /**
     * Defragments and tracks one packet; stream bytes it completes reach the sink before this returns.
     *
     * @return the packet to inspect (a whole datagram when fragments completed one), or null while a datagram is
     *     still incomplete
     */
    public PacketView track(PacketView v, long now) {
        current = v;
        packetEvents = 0;
        packetEventsFlow = null;
        tracking = true;
        try {
            return trackPacket(v, now);
        } finally {
            tracking = false;
        }
    }

    /**
     * The stream events tracking the last packet raised in {@code f} (one bit per {@link StreamEvent}); 0 for
     * another flow, or when it raised none.
     */
    public int streamEvents(Flow f) {
        return f != null && f == packetEventsFlow ? packetEvents : 0;
    }

    private PacketView trackPacket(PacketView v, long now) {
        if (v.fragment()) {
            v = defragmenter.fragment(v, now);
            if (v == null) {
                return null;
            }
            current = v;
        }
        if (v.ipProtocol() == 6 && v.l4Offset() >= 0) {
            reassembler.packet(v, now);
        } else {
            reassembler.track(v, now);
            if (appLayer != null && v.ipProtocol() == 17 && reassembler.lastFlow() != null) {
                // UDP has no stream: each datagram reaches the application layer (DNS) before the stages inspect it
                appLayer.datagram(reassembler.lastFlow(), reassembler.lastDirection(), v, reverseLast);
            }
        }
        return v;
    }

    /**
     * One packet through {@code stages}: each begins it, the path tracks it (stream bytes it completes reach the
     * listeners), then each inspects the tracked packet, in order; or, for a fragment the path holds, each hears so.
     *
     * @return the packet inspected (the whole datagram for a completed one), or null for a held fragment
     */
    public PacketView run(Stage[] stages, PacketView v, long timeNanos) {
        for (Stage s : stages) {
            s.begin(v, timeNanos);
        }
        PacketView whole = track(v, timeNanos);
        if (whole == null) {
            for (Stage s : stages) {
                s.fragmentHeld();
            }
            return null;
        }
        Flow f = flow();
        int dir = f == null ? 0 : direction();
        for (Stage s : stages) {
            s.inspect(whole, f, dir);
        }
        return whole;
    }

    /** The clock moved to {@code now} on a packet of another partition: flows idle past their timeout end. */
    public void advance(long now) {
        current = null;
        reassembler.advance(now);
    }

    /** The flow of the packet just tracked, or null. */
    public Flow flow() {
        return reassembler.lastFlow();
    }

    /** The direction of the packet just tracked in {@link #flow()}. */
    public int direction() {
        return reassembler.lastDirection();
    }

    /**
     * The header to inspect a stream chunk of {@code f}'s direction {@code dir} with: the packet that delivered it, or,
     * when bytes are flushed without one (a flow ending, the other direction of a reset), a header-only packet built
     * from the flow's endpoints.
     */
    public PacketView header(Flow f, int dir) {
        PacketView v = current;
        if (v != null && reassembler.lastFlow() == f && reassembler.lastDirection() == dir) {
            return v;
        }
        return synthetic.of(f, dir);
    }

    /** Ends every flow, flushing what reassembly still holds. */
    public void finish() {
        current = null;
        reassembler.finish();
    }

    /** The reassembler (its counters: bad checksums, memcap...). */
    public TcpReassembler reassembler() {
        return reassembler;
    }
}
