package io.judo.rewrite.flow;

import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.rewrite.SegmentRequest;
import io.judo.rewrite.SegmentRewriter;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Inline hold-back: the end of a segment that begins an edit text is held back ({@link HeldBytes}) and goes out in
 * front of the direction's next segment, so an occurrence the sender's segmentation cut in two is still rewritten
 * whole; when no next segment comes, {@link #flush} sends the bytes alone after {@link #HOLD_NANOS}, or later (up to
 * {@link #HOLD_MAX_NANOS}) while the sender's next bytes are evidently still coming. Keeps the list of holds waiting.
 */
public final class HoldBack {
    /** How long bytes are held back at most before they go out alone. */
    public static final long HOLD_NANOS = 10_000_000L;
    /** ... and at most while the sender's later bytes, dropped beyond a gap, are still to come again. */
    public static final long HOLD_MAX_NANOS = 3_000_000_000L;
    /** A full segment: a sender whose window has less room than this left waits for it to open. */
    private static final int SEGMENT = 1500;

    /** The edit texts, for deciding what to hold back; the longest one's length. */
    private final byte[][] texts;
    private final int longestText;
    private final RewriteCounters counters;
    /** Holds waiting to be sent (their {@link HeldBytes#pending} is set). */
    private HeldBytes[] pendingHolds = new HeldBytes[8];
    private int pendingCount;
    private final PacketDecoder heldDecoder = new PacketDecoder(false);
    private final PacketView heldView = new PacketView();
    private final SegmentRequest request = new SegmentRequest();
    private byte[] holdBytes = new byte[64];

    HoldBack(byte[][] texts, RewriteCounters counters) {
        this.texts = texts;
        int longest = 0;
        for (byte[] t : texts) {
            longest = Math.max(longest, t.length);
        }
        this.longestText = longest;
        this.counters = counters;
    }

    /** The longest edit text's length (0 without edit texts: nothing is ever held or reordered). */
    int longestText() {
        return longestText;
    }

    /**
     * How many of the last bytes about to be sent begin an edit text (the longest such suffix, shorter than the
     * text, starting at or after {@code from}): those are held back. The bytes are {@code prefixLength} held ones
     * ({@code h.bytes}) followed by the payload of {@code current}, {@code length} in all.
     */
    int holdable(HeldBytes h, PacketView current, int prefixLength, int from, int length) {
        int most = Math.min(longestText - 1, length - from);
        for (int k = most; k > 0; k--) {
            for (byte[] t : texts) {
                if (t.length > k && endsWithPrefix(h, current, prefixLength, length - k, k, t)) {
                    return k;
                }
            }
        }
        return 0;
    }

    private static boolean endsWithPrefix(HeldBytes h, PacketView current, int prefixLength, int at, int k,
                                          byte[] text) {
        ByteBuffer b = current.buffer();
        int payload = current.payloadOffset();
        for (int i = 0; i < k; i++) {
            int j = at + i;
            byte c = j < prefixLength ? h.bytes[j] : b.get(payload + j - prefixLength);
            if (c != text[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Holds in {@code h} the last {@code k} bytes about to be sent in {@code current}, starting at stream offset
     * {@code from} of direction {@code own}, to go out of {@code port}; some may be bytes {@code h} held before.
     */
    void hold(HeldBytes h, DirectionState own, DirectionState other, PacketView current, long from, int k, int port,
              long now) {
        // the held bytes: some may be the earlier held ones (still at the start of h.bytes), the rest from this payload
        byte[] bytes = holdScratch(k);
        long heldBefore = h.length > 0 ? h.from : from;
        for (int i = 0; i < k; i++) {
            long at = from + i;
            long fromPayload = at - own.streamOffset(current.seq());
            bytes[i] = fromPayload >= 0 ? current.buffer().get(current.payloadOffset() + (int) fromPayload)
                    : h.bytes[(int) (at - heldBefore)];
        }
        if (h.bytes.length < k) {
            h.bytes = new byte[Math.max(k, h.bytes.length * 2)];
        }
        System.arraycopy(bytes, 0, h.bytes, 0, k);
        int headers = current.payloadOffset() - current.start();
        if (h.header.length < headers) {
            h.header = new byte[Math.max(headers, h.header.length * 2)];
        }
        current.buffer().get(current.start(), h.header, 0, headers);
        ByteBuffer w = h.headerBuffer();
        int l3 = current.l3Offset() - current.start();
        int l4 = current.l4Offset() - current.start();
        if (current.ipVersion() == 4) {
            w.putShort(l3 + 2, (short) (headers - l3));
        } else {
            w.putShort(l3 + 4, (short) (headers - l3 - 40));
        }
        w.putInt(l4 + 4, (int) own.seqAt(from + k));
        w.put(l4 + 13, (byte) (w.get(l4 + 13) & ~0x01));
        h.headerLength = headers;
        h.linkType = current.linkType();
        // The same bytes held again (a retransmission of bytes released or sent alone before) keep the first hold's
        // time: otherwise a sender that only ever resends them (window shut, or the end of its stream) would be
        // held back afresh each time, and the bytes would never go out; the waits stay bounded from the first hold.
        boolean again = h.length == 0 && h.since != 0 && h.from == from;
        h.length = k;
        h.from = from;
        h.since = again ? h.since : now;
        h.port = port;
        h.ownIsn = own.isn;
        h.otherKnown = other.isnKnown;
        h.otherIsn = h.otherKnown ? other.isn : 0;
        h.own = own;
        h.other = other;
        h.push = (current.tcpFlags() & 0x08) != 0;
        h.windowShut = windowShut(own);
        counters.increment(RewriteCounter.HOLDS);
        if (!h.pending) {
            h.pending = true;
            if (pendingCount == pendingHolds.length) {
                pendingHolds = Arrays.copyOf(pendingHolds, pendingCount * 2);
            }
            pendingHolds[pendingCount++] = h;
        }
    }

    private byte[] holdScratch(int k) {
        if (holdBytes.length < k) {
            holdBytes = new byte[Math.max(k, holdBytes.length * 2)];
        }
        return holdBytes;
    }

    /**
     * Sends, each as a segment of its own, bytes held back longer than {@link #HOLD_NANOS} (or all, when
     * {@code all}): no next segment came to carry them. Returns how many holds remain.
     */
    int flush(long timeNanos, boolean all, SegmentRewriter rewriter, FrameSink out) {
        int kept = 0;
        for (int i = 0; i < pendingCount; i++) {
            HeldBytes h = pendingHolds[i];
            // later bytes may be coming, so wait for them (bounded): the sender already sent some (dropped beyond a
            // gap, its retransmission will carry the held ones too), it had more queued (no PSH), it had filled the
            // receiver's window (a slow reader in a long transfer), or it may be waiting for its receiver still
            boolean awaited = (h.own.seen > h.to() || !h.push || h.windowShut || senderWaits(h, timeNanos))
                    && timeNanos - h.since < HOLD_MAX_NANOS;
            if (h.length > 0 && (all || timeNanos - h.since >= HOLD_NANOS && !awaited)) {
                PacketView v = heldDecoder.decode(h.headerBuffer(), 0, h.headerLength,
                        h.headerLength, h.linkType, heldView);
                request.clear().prefix(h.bytes, 0, h.length).payload(0, 0).own(h.own.deltas, h.ownIsn)
                        .other(h.otherKnown ? h.other.deltas : null, h.otherIsn);
                int length = rewriter.rewrite(v, request);
                h.release();
                if (length > 0) {
                    counters.increment(RewriteCounter.HOLDS_FLUSHED);
                    out.frame(h.port, rewriter.output(), length);
                }
            }
            if (h.length > 0) {
                pendingHolds[kept++] = h;
            } else {
                h.pending = false;
            }
        }
        for (int i = kept; i < pendingCount; i++) {
            pendingHolds[i] = null;
        }
        pendingCount = kept;
        return kept;
    }

    /**
     * Whether the sender of held bytes {@code h} may still be waiting for its receiver: the receiver has not yet
     * acknowledged everything before them, its acknowledgement or window moved less than {@link #HOLD_NANOS} ago, or
     * its window leaves the sender no room for a segment. Then the sender's next bytes can still come, and the held
     * ones wait for them.
     */
    private static boolean senderWaits(HeldBytes h, long timeNanos) {
        DirectionState d = h.own;
        return d.acked < d.toRewrittenStart(h.from) || timeNanos - d.ackMoved < HOLD_NANOS || windowShut(d);
    }

    /** Whether direction {@code d}'s receiver window leaves its sender no room for a segment beyond what it sent. */
    static boolean windowShut(DirectionState d) {
        // the window as the sender sees it: from the acknowledgement translated back, in its own (original) bytes
        long windowEnd = d.toOriginal(d.acked) + d.window;
        return d.ackMoved != 0 && windowEnd - d.seen < SEGMENT;
    }
}
