package io.judo.rewrite;

/**
 * What one {@link SegmentRewriter#rewrite(io.judo.packet.decode.PacketView, SegmentRequest)} call is asked to do: the
 * new payload's shape (held-back bytes in front, a range of the segment's own payload, a count of bytes it does not
 * carry at the end), the payload edits with their labels, the sequence spaces of both directions and, rewriting a
 * capture, an acknowledgement limit. Everything a rewrite needs is here, so no state is carried from one call to the
 * next; one request is reused packet after packet ({@link #clear}) and allocates nothing.
 */
public final class SegmentRequest {
    private final PayloadEdits none = new PayloadEdits();
    byte[] prefix;
    int prefixAt;
    int prefixLength;
    int from;
    /** The payload range's end; -1 for the segment's whole payload. */
    int to = -1;
    int suffixLength;
    PayloadEdits edits = none;
    int[] labels;
    DeltaMap own;
    long ownIsn;
    DeltaMap other;
    long otherIsn;
    /** Rewriting a capture: the original sequence number acknowledgements are lowered to, or -1. */
    long ackLimit = -1;

    /** Back to a plain segment: its whole payload, no edits, no maps, no limit. */
    public SegmentRequest clear() {
        prefix = null;
        prefixAt = 0;
        prefixLength = 0;
        from = 0;
        to = -1;
        suffixLength = 0;
        edits = none.clear();
        labels = null;
        own = null;
        ownIsn = 0;
        other = null;
        otherIsn = 0;
        ackLimit = -1;
        return this;
    }

    /**
     * The new payload begins with {@code length} bytes of {@code bytes} from {@code at}: the original bytes just
     * before the segment's payload, held back from an earlier segment (or stand-ins for an edited span's bytes).
     */
    public SegmentRequest prefix(byte[] bytes, int at, int length) {
        prefix = bytes;
        prefixAt = at;
        prefixLength = length;
        return this;
    }

    /**
     * Of the segment's own payload only bytes [{@code from}, {@code to}) go out: a bridge moves a segment boundary so
     * that no occurrence of a pattern it rewrites is cut in two. A segment cut short loses its FIN.
     */
    public SegmentRequest payload(int from, int to) {
        this.from = from;
        this.to = to;
        return this;
    }

    /**
     * The new payload ends with {@code length} bytes the segment does not carry, which the last edit must replace
     * whole (inline, a segment ending inside an edited span is extended to the span's end so its replacement goes
     * out whole; only the span's byte count is needed).
     */
    public SegmentRequest suffix(int length) {
        suffixLength = length;
        return this;
    }

    /**
     * The payload edits, offsets counted from the start of the new payload, in order; {@code labels} (or null for
     * label 0) are recorded with them in the own map (see {@link DeltaMap#label}).
     */
    public SegmentRequest edits(PayloadEdits edits, int[] labels) {
        this.edits = edits;
        this.labels = labels;
        return this;
    }

    /**
     * The segment's own direction: its map (edits are recorded here; null leaves the sequence number alone and
     * refuses edits) and ISN.
     */
    public SegmentRequest own(DeltaMap map, long isn) {
        own = map;
        ownIsn = isn;
        return this;
    }

    /** The opposite direction: acknowledgements and SACK edges translate through its map (or not, when null). */
    public SegmentRequest other(DeltaMap map, long isn) {
        other = map;
        otherIsn = isn;
        return this;
    }

    /**
     * Rewriting a capture: acknowledgements and SACK edges beyond original sequence number {@code seq} are lowered to
     * it. The other direction's bytes from there are held back (not yet written), so the recorded receiver must not
     * be seen acknowledging them.
     */
    public SegmentRequest limitAcks(long seq) {
        ackLimit = seq & 0xffffffffL;
        return this;
    }
}
