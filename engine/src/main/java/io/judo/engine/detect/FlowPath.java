package io.judo.engine.detect;

import io.judo.packet.Addresses;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.DefragPolicy;
import io.judo.reassembly.Defragmenter;
import io.judo.reassembly.Flow;
import io.judo.reassembly.FlowTable;
import io.judo.reassembly.StreamConfig;
import io.judo.reassembly.StreamEvent;
import io.judo.reassembly.StreamSink;
import io.judo.reassembly.TcpReassembler;
import java.nio.ByteBuffer;

/**
 * What both rule engines do with a packet before any rule sees it: IP defragmentation (target-based, the fragment
 * counterpart of the stream policy), TCP reassembly (whose in-order bytes go to the engine's sink during
 * {@link #track}), flow tracking for every other protocol, and the header a stream chunk is inspected with.
 */
final class FlowPath {
    private final TcpReassembler reassembler;
    private final Defragmenter defragmenter;
    private final PacketDecoder syntheticDecoder = new PacketDecoder(false);
    private final PacketView syntheticView = new PacketView();
    private PacketView current;

    /** Receives stream anomalies (every event but FIN and RST): overlaps with different data, gaps, decoys... */
    interface Anomalies {
        void anomaly(Flow f, int dir, StreamEvent event, long offset);
    }

    private Anomalies anomalies;

    /** Sets where anomalies go (null: nowhere). */
    void anomalies(Anomalies a) {
        this.anomalies = a;
    }

    /** Where an engine keeps a flow's stream windows; null when it has none yet. */
    interface TailsOf {
        StreamWindows.Tails of(Flow f);
    }

    /**
     * @param data receives in-order stream bytes
     * @param tails the engine's kept bytes per flow, released when a direction ends (FIN) or the flow resets
     */
    FlowPath(StreamConfig config, boolean validateChecksums, StreamSink data, TailsOf tails) {
        StreamSink sink = new StreamSink() {
            @Override
            public void data(Flow f, int dir, long offset, byte[] bytes, int from, int length) {
                data.data(f, dir, offset, bytes, from, length);
            }

            @Override
            public void event(Flow f, int dir, StreamEvent event, long offset) {
                if (anomalies != null && event != StreamEvent.FIN && event != StreamEvent.RST) {
                    anomalies.anomaly(f, dir, event, offset);
                }
                StreamWindows.Tails t = event == StreamEvent.FIN || event == StreamEvent.RST ? tails.of(f) : null;
                if (t != null) {
                    t.release(dir);
                    if (event == StreamEvent.RST) {
                        t.release(1 - dir);
                    }
                }
            }
        };
        this.reassembler = new TcpReassembler(FlowTable.defaults(), config, sink, f -> { }, validateChecksums);
        this.defragmenter = Defragmenter.defaults(DefragPolicy.of(config.policy()), new PacketDecoder(false));
        reassembler.defragmentWith(defragmenter);
    }

    /**
     * Defragments and tracks one packet; stream bytes it completes reach the sink before this returns.
     *
     * @return the packet to inspect (a whole datagram when fragments completed one), or null while a datagram is
     *     still incomplete
     */
    PacketView track(PacketView v, long now) {
        current = v;
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
        }
        return v;
    }

    /** The flow of the packet just tracked, or null. */
    Flow flow() {
        return reassembler.lastFlow();
    }

    /** The direction of the packet just tracked in {@link #flow()}. */
    int direction() {
        return reassembler.lastDirection();
    }

    /**
     * The header to inspect a stream chunk of {@code f}'s direction {@code dir} with: the packet that delivered it, or,
     * when bytes are flushed without one (a flow ending, the other direction of a reset), a header-only packet built
     * from the flow's endpoints.
     */
    PacketView header(Flow f, int dir) {
        PacketView v = current;
        if (v != null && reassembler.lastFlow() == f && reassembler.lastDirection() == dir) {
            return v;
        }
        byte[] src = dir == 0 ? f.clientAddress() : f.serverAddress();
        byte[] dst = dir == 0 ? f.serverAddress() : f.clientAddress();
        int sport = dir == 0 ? f.clientPort() : f.serverPort();
        int dport = dir == 0 ? f.serverPort() : f.clientPort();
        PacketBuilder b = src.length == 4 ? PacketBuilder.ethernet().ipv4(Addresses.format(src), Addresses.format(dst))
                : PacketBuilder.ethernet().ipv6(Addresses.format(src), Addresses.format(dst));
        byte[] frame = b.tcp(sport, dport).build();
        return syntheticDecoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.ETHERNET,
                syntheticView);
    }

    /** Ends every flow, flushing what reassembly still holds. */
    void finish() {
        current = null;
        reassembler.finish();
    }

    TcpReassembler reassembler() {
        return reassembler;
    }
}
