package io.judo.reassembly;

import io.judo.packet.decode.Malformed;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.io.IOException;
import io.judo.packet.flow.FlowKey;
import java.util.function.Consumer;

/**
 * Drives TCP reassembly from decoded packets: finds the flow, tracks the handshake (each direction's initial
 * sequence number from its SYN), feeds payloads and FINs to the direction's {@link TcpStream}, honours an RST only
 * when its sequence number is in the window, and ends flows (flushing waiting data) on timeout, eviction or
 * {@link #finish}. With checksum validation on, packets with a bad TCP checksum are ignored, as the receiving host
 * would drop them (an insertion attack otherwise); it is off for captures taken where the NIC computes checksums
 * (every outgoing packet then looks bad). One instance per thread.
 */
public final class TcpReassembler {
    /** An RST counts when its sequence number lies within this many bytes of the next expected one. */
    static final long RST_WINDOW = 1 << 20;

    /** By {@link StreamCount#ordinal()}. */
    private final long[] counts = new long[StreamCount.values().length];
    private final FlowTable table;
    private final StreamConfig config;
    private final StreamSink sink;
    private final boolean validateChecksums;
    private final FlowKey key = new FlowKey();
    private final Consumer<Flow> onEnd;
    private byte[] scratch = new byte[65536];

    private Defragmenter defragmenter;
    private long buffered;
    private HostPolicies hosts;

    private Flow lastFlow;
    private int lastDirection;
    private final RingPool rings = new RingPool();

    public TcpReassembler(FlowTable table, StreamConfig config, StreamSink sink, Consumer<Flow> onEnd) {
        this(table, config, sink, onEnd, true);
    }

    /** @param validateChecksums drop segments whose TCP checksum is wrong */
    public TcpReassembler(FlowTable table, StreamConfig config, StreamSink sink, Consumer<Flow> onEnd,
                          boolean validateChecksums) {
        this.validateChecksums = validateChecksums;
        this.table = table;
        this.config = config;
        this.sink = sink;
        this.onEnd = flow -> {
            flushBoth(flow);
            onEnd.accept(flow);
            releaseRings(flow); // the rings go back to the pool for the next flows
        };
    }

    /**
     * The clock moved to {@code now} without a packet for this table (a packet another shard's table tracks): flows
     * idle past their timeout end now, as they would in one table that saw every packet.
     */
    public void advance(long now) {
        lastFlow = null;
        table.expire(now, onEnd);
    }

    /** Processes one decoded packet captured at {@code now} (nanoseconds). Non-TCP packets only age the table. */
    public void packet(PacketView v, long now) {
        lastFlow = null;
        table.expire(now, onEnd);
        if (v.fragment() && defragmenter != null && v.ipProtocol() == 6) {
            v = defragmenter.fragment(v, now);
            if (v == null) {
                return;
            }
        }
        if (v.ipProtocol() != 6 || v.l4Offset() < 0 || v.l3Offset() < 0) {
            return;
        }
        if (validateChecksums && v.has(Malformed.BAD_TCP_CHECKSUM)) {
            counts[StreamCount.BAD_CHECKSUM.ordinal()]++;
            return;
        }
        if (!key.set(v)) {
            return;
        }
        Flow f = table.lookup(key, v, now, onEnd);
        int dir = f.directionOf(key);
        f.count(dir, v);
        lastFlow = f;
        lastDirection = dir;
        if (f.packets(0) + f.packets(1) == 1) {
            int first = v.tcpFlags();
            f.midstream = (first & 0x12) != 0x02; // anything but a SYN without ACK starts mid-stream
            f.untracked = f.midstream && !config.midstream();
        }
        if (f.closed || f.untracked) {
            return;
        }
        TcpStream s = streamOf(f, dir);
        TcpStream peer = f.stream(1 - dir); // null until that direction's first packet: a SYN-only flow holds one
        int flags = v.tcpFlags();
        long seq = v.seq();
        boolean syn = (flags & 0x02) != 0;
        int length = v.payloadLength();
        if (s.baseTtl < 0) {
            s.baseTtl = (short) v.ttl();
        } else if (length > 0 && config.ttlLimit() >= 0 && s.baseTtl - v.ttl() > config.ttlLimit()) {
            s.event(StreamEvent.TTL_DECOY, s.nextOffset(), sink);
            return;
        }
        if (syn) {
            s.syn(seq);
            s.sawSyn = true;
            s.windowScale = (byte) v.windowScale();
            seq = (seq + 1) & 0xffffffffL;
        } else if (length > 0 && (flags & 0x10) == 0) {
            s.event(StreamEvent.DATA_WITHOUT_ACK, s.nextOffset(), sink);
            return;
        }
        if ((flags & 0x10) != 0 && peer != null && peer.hasIsn()) {
            trackWindow(v, s, peer, syn);
        }
        // Before the first SYN or data the ISN is unknown: no window edge or waiting bytes exist yet either.
        long start = s.hasIsn() ? s.offsetOf(seq) : 0;
        if (length > 0 && s.rightEdge >= 0 && config.windowSlack() >= 0 && start > s.rightEdge + config.windowSlack()) {
            s.event(StreamEvent.OUT_OF_WINDOW, start, sink);
            return;
        }
        if ((flags & 0x04) != 0) {
            rst(f, s, seq);
            return;
        }
        if (length > 0) {
            if (s.hasIsn() && start > s.nextOffset() && buffered + length > config.memcap()) {
                counts[StreamCount.MEMCAP_HITS.ordinal()]++;
                s.event(StreamEvent.MEMCAP, start, sink);
                if (config.onMemcap() != MemcapAction.DROP) {
                    flushBoth(f);
                    f.closed = true;
                    f.bypassed = config.onMemcap() == MemcapAction.BYPASS;
                }
                return;
            }
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            v.buffer().get(v.payloadOffset(), scratch, 0, length);
            long before = s.buffered();
            s.segment(seq, scratch, 0, length, sink);
            buffered += s.buffered() - before;
        }
        if ((flags & 0x01) != 0) {
            if (!s.hasIsn()) {
                s.syn((seq - 1) & 0xffffffffL);
            }
            long before = s.buffered();
            s.fin((seq + length) & 0xffffffffL, sink);
            buffered += s.buffered() - before;
        }
        if (peer != null && s.finished() && peer.finished()) {
            s.releaseRecent();
            peer.releaseRecent();
        }
    }

    /**
     * Moves the peer's right window edge from this ACK: the window is this sender's receive window, scaled by the
     * shift it offered when both SYNs offered one (never on a SYN). Without both SYNs the scale is unknown, so the
     * window is not tracked; the edge only moves forward, since captures reorder ACKs.
     */
    private static void trackWindow(PacketView v, TcpStream s, TcpStream peer, boolean syn) {
        if (!s.sawSyn || !peer.sawSyn) {
            return;
        }
        int shift = !syn && s.windowScale >= 0 && peer.windowScale >= 0 ? Math.min(s.windowScale, 14) : 0;
        long edge = peer.offsetOf(v.ack()) + ((long) v.window() << shift);
        if (edge > peer.rightEdge) {
            peer.rightEdge = edge;
        }
    }

    private void rst(Flow f, TcpStream s, long seq) {
        if (s.hasIsn() && Math.abs(s.offsetOf(seq) - s.nextOffset()) > RST_WINDOW) {
            counts[StreamCount.IGNORED_RST.ordinal()]++;
            s.event(StreamEvent.OUT_OF_WINDOW, s.nextOffset(), sink);
            return;
        }
        f.closed = true;
        s.event(StreamEvent.RST, s.nextOffset(), sink);
        flushBoth(f);
        releaseRings(f);
    }

    /** Both directions forget their delivered bytes (the flow is over): their rings go back to the pool. */
    private static void releaseRings(Flow f) {
        for (int d = 0; d < 2; d++) {
            if (f.stream(d) != null) {
                f.stream(d).releaseRecent();
            }
        }
    }

    /**
     * Tracks a packet that is not TCP (UDP, ICMP, other IP protocols) in the same flow table, so that detection has
     * one flow, one id and one direction for every packet; the result is also {@link #lastFlow()}.
     *
     * @return the flow, or null for a packet without an IP layer
     */
    public Flow track(PacketView v, long now) {
        lastFlow = null;
        table.expire(now, onEnd);
        if (v.l3Offset() < 0 || !key.set(v)) {
            return null;
        }
        Flow f = table.lookup(key, v, now, onEnd);
        lastDirection = f.directionOf(key);
        f.count(lastDirection, v);
        lastFlow = f;
        return f;
    }

    /**
     * Reverses the flow of the last packet given to {@link #track} when it is a datagram flow that has seen packets
     * one way only (its first packets were answers: the application layer says so), and with it
     * {@link #lastDirection()}; otherwise does nothing.
     *
     * @return whether the flow was reversed
     */
    public boolean reverseLast() {
        Flow f = lastFlow;
        if (f == null || f.protocol == 6 || f.packets(1) != 0) {
            return false;
        }
        f.reverse();
        lastDirection ^= 1;
        return true;
    }

    /** The flow of the last packet given to {@link #packet} or {@link #track}, or null (not TCP, no flow). */
    public Flow lastFlow() {
        return lastFlow;
    }

    /** The direction of the last packet in {@link #lastFlow()}: 0 client to server, 1 server to client. */
    public int lastDirection() {
        return lastDirection;
    }

    /**
     * Rebuilds fragmented TCP datagrams with {@code d} before reassembly; without one, fragments are passed on as
     * they are (the first fragment's data only).
     */
    public TcpReassembler defragmentWith(Defragmenter d) {
        this.defragmenter = d;
        if (hosts != null) {
            d.policiesBy(hosts);
        }
        return this;
    }

    /** Chooses each stream's overlap policy by its receiving host, overriding the configuration's one policy. */
    public TcpReassembler policiesBy(HostPolicies h) {
        this.hosts = h.isUniform() ? null : h;
        if (defragmenter != null) {
            defragmenter.policiesBy(h);
        }
        return this;
    }

    /** The defragmenter in use, or null. */
    public Defragmenter defragmenter() {
        return defragmenter;
    }

    /** Delivers both directions' waiting data (holes declared) and returns their bytes to the global budget. */
    private void flushBoth(Flow f) {
        for (int d = 0; d < 2; d++) {
            TcpStream s = f.stream(d);
            if (s != null) {
                buffered -= s.buffered();
                s.flush(sink);
            }
        }
    }

    /**
     * The direction's stream, created at its first packet with the policy its receiver uses (client to server is
     * resolved by the server's address).
     */
    private TcpStream streamOf(Flow f, int dir) {
        TcpStream s = f.stream(dir);
        if (s == null) {
            s = new TcpStream(f, dir, config, rings);
            if (hosts != null) {
                s.policy = hosts.forAddress(dir == 0 ? f.serverAddress() : f.clientAddress());
            }
            if (dir == 0) {
                f.toServer = s;
            } else {
                f.toClient = s;
            }
        }
        return s;
    }

    /** This reassembler's count of {@code c}. */
    public long count(StreamCount c) {
        return counts[c.ordinal()];
    }

    /** Out-of-order bytes held by all streams (bounded by the memcap). */
    public long bufferedBytes() {
        return buffered;
    }

    /**
     * Feeds every packet {@code reader} yields, decoded with {@code decoder}, at its capture time.
     *
     * @return how reading ended: {@link ReadStatus#END}, or TRUNCATED/CORRUPT with the reader's problem to report
     */
    public ReadStatus readAll(CaptureReader reader, PacketDecoder decoder) throws IOException {
        PacketRecord record = new PacketRecord();
        PacketView view = new PacketView();
        ReadStatus status;
        while ((status = reader.next(record)) == ReadStatus.RECORD) {
            packet(decoder.decode(record, view), record.timestampNanos());
        }
        return status;
    }

    /** Ends every flow (end of input), flushing waiting data. */
    public void finish() {
        table.drain(onEnd);
    }

}
