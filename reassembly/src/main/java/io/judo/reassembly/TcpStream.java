package io.judo.reassembly;

import java.util.Arrays;

/**
 * One direction of a TCP connection: segments in, in-order bytes out. Stream offset 0 is the byte after the SYN
 * (or, picked up mid-stream, the first byte seen). Sequence numbers are mapped to 64-bit offsets relative to the
 * next expected offset, so wrap-around at 2^32 needs no special case.
 *
 * <p>Out-of-order segments wait as non-overlapping pieces in offset order ({@link WaitingPieces}). Where a new
 * segment overlaps a waiting piece, the {@link OverlapPolicy} picks the bytes; where it overlaps bytes already
 * delivered (kept for comparison in a window of up to 16 KiB), the delivered bytes stand. Either way, different bytes
 * raise {@link StreamEvent#OVERLAP_DIFFERENT_DATA}.
 */
public final class TcpStream {
    /** Delivered bytes remembered for comparing retransmissions (allocated on first delivery). */
    private static final int RECENT = 16 * 1024;

    private final StreamConfig config;
    /** The receiving host's policy (the configuration's, or its network's when policies differ per host). */
    OverlapPolicy policy;
    private final Flow flow;
    private final byte direction;
    private boolean hasIsn;
    /** TTL of the direction's first packet, -1 before it. */
    short baseTtl = -1;
    /** True once this direction's SYN was seen (window scales are known only after both). */
    boolean sawSyn;
    /** Window scale offered in this direction's SYN, -1 when none (or no SYN seen). */
    byte windowScale = -1;
    /** Offset just past the last byte the receiver's window allows, -1 while unknown. */
    long rightEdge = -1;
    /** The SYN's sequence number (32 bits, read unsigned). */
    private int isn;
    private long next;
    /**
     * Past the reassembly depth, the offset in-order data has reached (delivery stops at the depth, the stream's size
     * does not); 0 until then.
     */
    private long pastDepth;
    /** A waiting run of bytes and the extent of the segment it came from (what overlap policies compare). */
    private record Piece(byte[] bytes, long origStart, long origEnd) {
    }

    /** Null until a segment first waits: an in-order flow holds no arrays (memory per tracked flow). */
    private WaitingPieces<Piece> pending;
    private long buffered;
    private byte[] recent;
    /**
     * Offsets below this were never written into {@link #recent}: a hole declared lost moves {@code next} without
     * bytes, and a ring taken after a release holds nothing yet (pooled rings come uncleared, so only what this stream
     * wrote since may be compared or carried over).
     */
    private long recentFrom;
    private final RingPool rings;
    private long finOffset = -1;
    private boolean finReported;
    private boolean depthReported;
    private long gapBytes;
    /** Event counts by ordinal, allocated at the first event. */
    private long[] events;

    TcpStream(Flow flow, int direction, StreamConfig config) {
        this(flow, direction, config, null);
    }

    /** @param rings where the ring of delivered bytes comes from and goes back to (null: allocated, collected) */
    TcpStream(Flow flow, int direction, StreamConfig config, RingPool rings) {
        this.rings = rings;
        this.flow = flow;
        this.direction = (byte) direction;
        this.config = config;
        this.policy = config.policy();
    }

    /** The sequence number of the SYN: offset 0 is the next byte. */
    void syn(long seq) {
        isn = (int) seq;
        hasIsn = true;
    }

    /** Whether the direction's initial sequence number is known (from its SYN, or inferred mid-stream). */
    public boolean hasIsn() {
        return hasIsn;
    }

    /** The direction's initial sequence number (offset 0 is the byte after it); meaningful when {@link #hasIsn}. */
    public long isn() {
        return isn & 0xffffffffL;
    }

    /** The stream offset of sequence number {@code seq} (wrap-safe around the next expected offset). */
    long offsetOf(long seq) {
        long rel = (seq - (isn & 0xffffffffL) - 1) & 0xffffffffL;
        int diff = (int) (rel - (next & 0xffffffffL));
        return next + diff;
    }

    /** Out-of-order bytes held. */
    long buffered() {
        return buffered;
    }

    /** Bytes delivered so far (the next expected offset). */
    public long nextOffset() {
        return next;
    }

    /**
     * The direction's size as Suricata's {@code stream_size} reads it, next expected sequence number minus the initial
     * one: 0 before the direction's first packet, 1 for its SYN (or, picked up mid-stream, the sequence number before
     * its first byte), plus every in-order byte, holes declared lost and bytes past the reassembly depth included,
     * plus 1 for the FIN once every byte before it is in (it takes a sequence number, as the SYN does).
     */
    public long size() {
        return hasIsn ? 1 + Math.max(next, pastDepth) + (finReported ? 1 : 0) : 0;
    }

    /** Bytes declared lost. */
    public long gapBytes() {
        return gapBytes;
    }

    public long events(StreamEvent e) {
        return events == null ? 0 : events[e.ordinal()];
    }

    /** Counts of every event, indexed by ordinal. */
    public long[] events() {
        return events == null ? new long[StreamEvent.values().length] : events.clone();
    }

    void event(StreamEvent e, long offset, StreamSink sink) {
        if (events == null) {
            events = new long[StreamEvent.values().length];
        }
        events[e.ordinal()]++;
        sink.event(flow, direction, e, offset);
    }

    void fin(long seq, StreamSink sink) {
        if (!hasIsn) {
            return;
        }
        long at = offsetOf(seq);
        if (finOffset < 0 || at < finOffset) {
            finOffset = at;
        }
        deliver(sink);
    }

    boolean finished() {
        return finOffset >= 0 && next >= finOffset;
    }

    /** Adds a segment's payload ({@code data[from, from+length)}) carried at sequence number {@code seq}. */
    void segment(long seq, byte[] data, int from, int length, StreamSink sink) {
        if (length == 0) {
            return;
        }
        if (!hasIsn) {
            syn(seq - 1); // picked up mid-stream: this segment starts the stream
        }
        long start = offsetOf(seq);
        long end = start + length;
        if (finOffset >= 0 && end > finOffset) {
            event(StreamEvent.DATA_AFTER_FIN, Math.max(start, finOffset), sink);
            if (start >= finOffset) {
                return;
            }
            length = (int) (finOffset - start);
            end = finOffset;
        }
        // No window check yet: offsetOf already places every segment within 2^31 of the next expected byte, and a
        // check against the advertised window needs window tracking (with scaling) that is not built yet.
        if (start < next) {
            compareDelivered(start, data, from, (int) Math.min(length, next - start), sink);
            if (end <= next) {
                return;
            }
            int skip = (int) (next - start);
            from += skip;
            length -= skip;
            start = next;
        }
        if (next >= config.depth()) {
            if (start <= Math.max(next, pastDepth)) {
                pastDepth = Math.max(pastDepth, end);
            }
            return;
        }
        if (buffered + length > config.maxBuffered() && start > next) {
            event(StreamEvent.MEMCAP, start, sink);
            return;
        }
        if (start == next && nothingWaiting()) {
            emit(data, from, length, sink); // the common case: in order, nothing waiting, no copy
        } else {
            insert(start, data, from, length, sink);
        }
        deliver(sink);
        if (buffered > config.gapWindow() && !nothingWaiting()) {
            long hole = pending.start(0);
            event(StreamEvent.GAP, next, sink);
            sink.gap(flow, direction, next, hole - next);
            gapBytes += hole - next;
            next = hole;
            recentFrom = next;
            deliver(sink);
        }
    }

    /** Compares a retransmission with the bytes delivered at those offsets, where they are still remembered. */
    private void compareDelivered(long start, byte[] data, int from, int length, StreamSink sink) {
        if (recent == null) {
            return;
        }
        // the ring holds offsets [max(recentFrom, next - its length), next) and the caller passes only offsets before
        // next: compare in at most two runs per wrap of the ring
        long at = Math.max(start, Math.max(recentFrom, next - recent.length));
        long end = start + length;
        while (at < end) {
            int r = (int) (at % recent.length);
            int run = (int) Math.min(end - at, recent.length - r);
            int d = from + (int) (at - start);
            if (Arrays.mismatch(recent, r, r + run, data, d, d + run) >= 0) {
                event(StreamEvent.OVERLAP_DIFFERENT_DATA, start, sink);
                return;
            }
            at += run;
        }
    }

    private void insert(long start, byte[] data, int from, int length, StreamSink sink) {
        long end = start + length;
        byte[] copy = Arrays.copyOfRange(data, from, from + length);
        // Waiting pieces never overlap, so only the last one starting before this segment's end can overlap it.
        // Most waiting segments (everything after a hole in a lossy capture) overlap nothing: store them as they are,
        // without the per-byte origin bookkeeping below (two long arrays per payload byte).
        int last = pending == null ? -1 : pending.lower(end);
        if (last < 0 || pending.start(last) + pending.piece(last).bytes().length <= start) {
            put(start, copy, start, end);
            return;
        }
        // Where an older piece wins, the bytes and the origin of that stretch stay the older segment's.
        long[] originStart = new long[length];
        long[] originEnd = new long[length];
        Arrays.fill(originStart, start);
        Arrays.fill(originEnd, end);
        int first = Math.max(0, pending.lower(start));
        int count = last + 1 - first;
        long[] starts = new long[count];
        Piece[] pieces = new Piece[count];
        for (int k = 0; k < count; k++) {
            starts[k] = pending.start(first + k);
            pieces[k] = pending.piece(first + k);
        }
        boolean differs = false;
        for (int k = 0; k < count; k++) {
            long ps = starts[k];
            Piece piece = pieces[k];
            byte[] pb = piece.bytes();
            long pe = ps + pb.length;
            if (pe <= start) {
                continue;
            }
            long os = Math.max(ps, start);
            long oe = Math.min(pe, end);
            boolean different = false;
            for (long x = os; x < oe && !different; x++) {
                different = pb[(int) (x - ps)] != copy[(int) (x - start)];
            }
            differs |= different;
            // Decided whether or not the bytes differ: where the waiting segment wins, its extent stays the one later
            // overlaps are judged against, even when this segment repeated its bytes (the copy is then a no-op).
            if (!policy.newWins(start, end, piece.origStart(), piece.origEnd())) {
                System.arraycopy(pb, (int) (os - ps), copy, (int) (os - start), (int) (oe - os));
                Arrays.fill(originStart, (int) (os - start), (int) (oe - start), piece.origStart());
                Arrays.fill(originEnd, (int) (os - start), (int) (oe - start), piece.origEnd());
            }
            int at = pending.ceiling(ps); // where the piece is now: splits of earlier ones may have moved it
            pending.remove(at, at + 1);
            buffered -= pb.length;
            if (ps < start) {
                put(ps, Arrays.copyOfRange(pb, 0, (int) (start - ps)), piece.origStart(), piece.origEnd());
            }
            if (pe > end) {
                put(end, Arrays.copyOfRange(pb, (int) (end - ps), pb.length), piece.origStart(), piece.origEnd());
            }
        }
        if (differs) {
            event(StreamEvent.OVERLAP_DIFFERENT_DATA, start, sink);
        }
        // Store the new range split where the origin changes.
        int runStart = 0;
        for (int i = 1; i <= length; i++) {
            if (i == length || originStart[i] != originStart[runStart] || originEnd[i] != originEnd[runStart]) {
                put(start + runStart, Arrays.copyOfRange(copy, runStart, i), originStart[runStart], originEnd[runStart]);
                runStart = i;
            }
        }
    }

    private boolean nothingWaiting() {
        return pending == null || pending.isEmpty();
    }

    private void put(long at, byte[] bytes, long origStart, long origEnd) {
        if (pending == null) {
            pending = new WaitingPieces<>();
        }
        pending.add(at, new Piece(bytes, origStart, origEnd));
        buffered += bytes.length;
    }

    private void deliver(StreamSink sink) {
        while (!nothingWaiting() && pending.start(0) <= next) {
            long at = pending.start(0);
            byte[] b = pending.piece(0).bytes();
            pending.remove(0, 1);
            buffered -= b.length;
            int skip = (int) (next - at);
            if (skip >= b.length) {
                continue;
            }
            emit(b, skip, b.length - skip, sink);
        }
        if (finOffset >= 0 && next >= finOffset && !finReported) {
            finReported = true;
            event(StreamEvent.FIN, next, sink);
        }
    }

    /**
     * Sizes the ring of delivered bytes to the stream so far (a power of two from 256 up to {@link #RECENT}), so a
     * short stream does not hold 16 KiB; growing keeps every remembered byte at its offset.
     */
    private void growRecent(long upTo) {
        int want = (int) Math.min(RECENT, Math.max(256, Long.highestOneBit(Math.max(1, upTo - 1)) << 1));
        if (recent != null && recent.length >= want) {
            return;
        }
        byte[] grown = rings != null ? rings.take(want) : new byte[want];
        if (recent == null) {
            recentFrom = Math.max(recentFrom, next); // nothing before next is in the new ring
        } else { // copy the remembered stretch in contiguous runs (a byte loop here cost 10x throughput)
            for (long at = Math.max(recentFrom, next - recent.length); at < next; ) {
                int src = (int) (at % recent.length);
                int dst = (int) (at % want);
                int run = (int) Math.min(next - at, Math.min(recent.length - src, want - dst));
                System.arraycopy(recent, src, grown, dst, run);
                at += run;
            }
            if (rings != null) {
                rings.give(recent);
            }
        }
        recent = grown;
    }

    /** Forgets delivered bytes once the flow is over: late retransmissions are then not compared. */
    void releaseRecent() {
        if (rings != null) {
            rings.give(recent);
        }
        recent = null;
    }

    private void emit(byte[] b, int from, int length, StreamSink sink) {
        long room = config.depth() - next;
        if (room <= 0) {
            return;
        }
        if (length > room) {
            pastDepth = next + length;
            length = (int) room;
        }
        growRecent(next + length);
        // Remember the last bytes: at most two copies into the ring.
        int size = recent.length;
        int keep = Math.min(length, size);
        int src = from + length - keep;
        int at = (int) ((next + length - keep) % size);
        int first = Math.min(keep, size - at);
        System.arraycopy(b, src, recent, at, first);
        System.arraycopy(b, src + first, recent, 0, keep - first);
        sink.data(flow, direction, next, b, from, length);
        next += length;
        if (next >= config.depth() && !depthReported) {
            depthReported = true;
            event(StreamEvent.DEPTH_REACHED, next, sink);
        }
    }

    /**
     * End of the flow: whatever still waits beyond holes is delivered, each hole reported as a gap, so consumers get
     * every byte that was captured.
     */
    void flush(StreamSink sink) {
        while (!nothingWaiting()) {
            long hole = pending.start(0);
            if (hole > next) {
                event(StreamEvent.GAP, next, sink);
                sink.gap(flow, direction, next, hole - next);
                gapBytes += hole - next;
                next = hole;
                recentFrom = next;
            }
            deliver(sink);
        }
    }
}
