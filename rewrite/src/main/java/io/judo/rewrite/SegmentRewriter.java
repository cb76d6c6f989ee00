package io.judo.rewrite;

import io.judo.packet.checksum.InternetChecksum;
import io.judo.packet.decode.PacketView;
import io.judo.packet.decode.Protocol;
import java.nio.ByteBuffer;

/**
 * Rewrites one TCP segment (IPv4 or IPv6, any link layer): applies its payload edits, moves its sequence number into
 * the rewritten space of its own direction, moves its acknowledgement and SACK edges between the spaces of the other
 * direction (back to the original inline, forward when rewriting a capture), and fixes the IP length and the IPv4
 * header and TCP checksums. The result is written into an output buffer the rewriter owns and reuses, so a rewrite
 * allocates nothing.
 *
 * <p>Each edit is recorded in the direction's {@link DeltaMap} at its stream offset; a retransmission carrying the
 * same edit records nothing new and comes out identical. Edits lie within one segment; the caller (which sees the
 * reassembled stream) cuts a match spanning segments into one edit per segment. A grown segment is split to fit the
 * path MTU by {@link #split}.
 */
public final class SegmentRewriter {
    /** Result: not an unfragmented TCP segment. */
    public static final int NOT_TCP = -1;
    /** Result: the frame was cut short by the capture's snap length; its checksum cannot be recomputed. */
    public static final int SNAPPED = -2;
    /** Result: an edit lies outside the payload. */
    public static final int EDIT_OUTSIDE = -3;
    /** Result: the segment starts inside an already edited span (a retransmission cut at other boundaries). */
    public static final int SPLIT_EDIT = -4;
    /** Result: the rewritten IP packet would exceed 65,535 bytes. */
    public static final int TOO_LARGE = -5;

    private static final int TCP_SYN = 0x02;
    private static final int TCP_ACK = 0x10;

    private final boolean inline;
    private final byte[] out = new byte[65_535 + 256];
    private final ByteBuffer outBuffer = ByteBuffer.wrap(out);
    private byte[] pieces = new byte[4096];
    private ByteBuffer piecesBuffer = ByteBuffer.wrap(pieces);
    private int[] pieceOffsets = new int[8];
    private int[] pieceLengths = new int[8];
    /** The TCP checksum of the segment being rewritten, updated word by word while only header words change. */
    private int checksum;

    private SegmentRewriter(boolean inline) {
        this.inline = inline;
    }

    /**
     * For a bridge: the receiver of rewritten data acknowledges rewritten sequence numbers, so acknowledgements and
     * SACK edges are moved back to the original space the sender knows.
     */
    public static SegmentRewriter inline() {
        return new SegmentRewriter(true);
    }

    /**
     * For rewriting a capture: the recorded receiver acknowledged the original bytes, so acknowledgements and SACK
     * edges are moved forward into the rewritten space, as if the receiver had received the rewritten stream.
     */
    public static SegmentRewriter forCapture() {
        return new SegmentRewriter(false);
    }

    /** The rewritten frame after a successful {@link #rewrite}: bytes [0, returned length). */
    public byte[] output() {
        return out;
    }

    /**
     * Rewrites the segment in {@code view}, its whole payload with {@code edits}.
     *
     * @param own the map of the segment's own direction (edits are recorded here), or null to leave seq alone and
     *            refuse edits
     * @param ownIsn the ISN of the segment's direction
     * @param other the map of the opposite direction (acks and SACK edges translate through it), or null
     * @param otherIsn the ISN of the opposite direction
     * @return the rewritten frame's length, or a negative result code
     */
    public int rewrite(PacketView view, PayloadEdits edits, DeltaMap own, long ownIsn, DeltaMap other,
                       long otherIsn) {
        return rewrite(view, plain.clear().edits(edits, null).own(own, ownIsn).other(other, otherIsn));
    }

    /** The request of the plain {@link #rewrite(PacketView, PayloadEdits, DeltaMap, long, DeltaMap, long)}. */
    private final SegmentRequest plain = new SegmentRequest();

    /**
     * Rewrites the segment in {@code view} as {@code request} asks (see {@link SegmentRequest}): a reshaped segment
     * sends the request's prefix, then its payload range, then its suffix; edit offsets count from the start of
     * that new payload. The receiver sees other segment boundaries but the same stream.
     *
     * @return the rewritten frame's length, or a negative result code ({@link #EDIT_OUTSIDE} also when a suffix is
     *     asked for and no edit ends at its end)
     */
    public int rewrite(PacketView view, SegmentRequest request) {
        if (!view.has(Protocol.TCP) || view.fragment() || view.malformed()) {
            return NOT_TCP;
        }
        if (view.snapped()) {
            return SNAPPED;
        }
        int viewPayload = view.payloadLength();
        byte[] prefix = request.prefix;
        int prefixAt = request.prefixAt;
        int prefixLength = request.prefixLength;
        int from = request.from;
        int to = request.to < 0 ? viewPayload : request.to;
        int suffixLength = request.suffixLength;
        PayloadEdits edits = request.edits;
        int[] labels = request.labels;
        DeltaMap own = request.own;
        long ownIsn = request.ownIsn;
        DeltaMap other = request.other;
        long otherIsn = request.otherIsn;
        long ackLimit = request.ackLimit;
        boolean reshaped = prefixLength > 0 || from > 0 || to < viewPayload || suffixLength > 0;
        int payloadLength = prefixLength + to - from + suffixLength;
        if (edits.size() > 0 && (own == null
                || edits.offset(edits.size() - 1) + edits.oldLength(edits.size() - 1) > payloadLength)) {
            return EDIT_OUTSIDE; // edits are in order: the last one ends furthest
        }
        if (suffixLength > 0 && (edits.size() == 0
                || edits.offset(edits.size() - 1) + edits.oldLength(edits.size() - 1) != payloadLength
                || edits.offset(edits.size() - 1) > payloadLength - suffixLength)) {
            return EDIT_OUTSIDE; // the suffix's bytes are not known: an edit must replace all of them
        }
        int delta = edits.delta() + payloadLength - viewPayload;
        int l3 = view.l3Offset() - view.start();
        int l4 = view.l4Offset() - view.start();
        int headers = view.payloadOffset() - view.start();
        int ipLength = view.l3End() - view.l3Offset() + delta;
        if (ipLength > 65_535 || headers + payloadLength + edits.delta() > out.length) {
            return TOO_LARGE;
        }
        int flags = view.tcpFlags();
        long seq = (view.seq() + from - prefixLength) & 0xffffffffL;
        long streamOffset = DeltaMap.offsetOf(seq, ownIsn);
        if (own != null && (flags & TCP_SYN) == 0 && own.insideEdit(streamOffset)) {
            return SPLIT_EDIT;
        }

        ByteBuffer in = view.buffer();
        in.get(view.start(), out, 0, headers);
        checksum = outBuffer.getShort(l4 + 16) & 0xffff;
        int length;
        if (reshaped) {
            byte[] source = reshapeScratch(payloadLength);
            if (prefixLength > 0) {
                System.arraycopy(prefix, prefixAt, source, 0, prefixLength);
            }
            in.get(view.payloadOffset() + from, source, prefixLength, to - from);
            java.util.Arrays.fill(source, prefixLength + to - from, payloadLength, (byte) 0); // replaced by an edit
            length = copyPayload(reshapeBuffer, 0, payloadLength, edits, headers);
            if (to < viewPayload && (flags & 0x01) != 0) {
                out[l4 + 13] &= (byte) ~0x01; // the FIN belongs after the bytes cut off
            }
        } else {
            length = copyPayload(in, view.payloadOffset(), payloadLength, edits, headers);
        }

        // lengths: IPv4 total length or IPv6 payload length (which counts extension headers, so shift it too)
        if (delta != 0 && view.ipVersion() == 4) {
            outBuffer.putShort(l3 + 2, (short) ipLength);
            InternetChecksum.storeIpv4Header(outBuffer, l3, view.ipHeaderLength());
        } else if (delta != 0) {
            outBuffer.putShort(l3 + 4, (short) (ipLength - 40));
        }

        if (own != null && (flags & TCP_SYN) == 0) {
            putWord(l4 + 4, (int) own.toRewrittenStartSeq(seq, ownIsn));
            for (int i = 0; i < edits.size(); i++) {
                own.edit(streamOffset + edits.offset(i), edits.oldLength(i), edits.replacementLength(i),
                        labels == null ? 0 : labels[i]);
            }
        } else if (reshaped) {
            putWord(l4 + 4, (int) seq);
        }
        if (other != null && (flags & TCP_ACK) != 0) {
            putWord(l4 + 8, (int) translateAck(view.ack(), other, otherIsn, ackLimit));
            for (int k = 0; k < 2 * view.sackBlocks(); k++) {
                int edge = view.sackOffset() - view.start() + 4 * k;
                putWord(edge, (int) translateAck(outBuffer.getInt(edge) & 0xffffffffL, other, otherIsn,
                        ackLimit));
            }
        }

        if (edits.size() == 0 && !reshaped) {
            // only 32-bit header words changed: RFC 1624 keeps the sender's checksum, right or wrong, and saves a
            // pass over the payload for every acknowledgement and later segment of an edited flow
            outBuffer.putShort(l4 + 16, (short) checksum);
            return length;
        }
        InternetChecksum.storeTransport(outBuffer, l4, length - l4, 16, view.srcAddressOffset() - view.start(),
                view.dstAddressOffset() - view.start(), view.addressLength(), 6);
        return length;
    }

    private byte[] reshape = new byte[2048];
    private ByteBuffer reshapeBuffer = ByteBuffer.wrap(reshape);

    private byte[] reshapeScratch(int length) {
        if (reshape.length < length) {
            reshape = new byte[Math.max(length, reshape.length * 2)];
            reshapeBuffer = ByteBuffer.wrap(reshape);
        }
        return reshape;
    }

    /** True for {@link #inline()}: acknowledgements move back to the original space. */
    public boolean isInline() {
        return inline;
    }

    /** Copies the payload with the edits applied after the headers; returns the frame's end. */
    private int copyPayload(ByteBuffer in, int payloadAt, int payloadLength, PayloadEdits edits, int to) {
        int from = 0;
        for (int i = 0; i < edits.size(); i++) {
            int at = edits.offset(i);
            in.get(payloadAt + from, out, to, at - from);
            to += at - from;
            edits.copyReplacement(i, out, to);
            to += edits.replacementLength(i);
            from = at + edits.oldLength(i);
        }
        in.get(payloadAt + from, out, to, payloadLength - from);
        return to + payloadLength - from;
    }

    /**
     * Splits the TCP segment last written to the output ({@code length} bytes, laid out as {@code view}) into
     * segments whose IP packets are at most {@code mtu} bytes: a grown segment must still fit the path. Each piece
     * carries the original headers and options with its own sequence number, IP length and checksums; PSH and FIN
     * stay on the last piece only.
     *
     * @return the number of pieces, 1 when the segment fits (nothing copied); the pieces are then in
     *     {@link #pieces()} at {@link #pieceOffset}/{@link #pieceLength}
     */
    public int split(int length, PacketView view, int mtu) {
        int start = view.start();
        int l3 = view.l3Offset() - start;
        int l4 = view.l4Offset() - start;
        int headers = view.payloadOffset() - start;
        int payload = length - headers;
        int room = mtu - (headers - l3);
        if (payload <= room || room < 8) {
            return 1;
        }
        int count = (payload + room - 1) / room;
        int needed = count * headers + payload;
        if (pieces.length < needed) {
            pieces = new byte[Math.max(needed, pieces.length * 2)];
            piecesBuffer = ByteBuffer.wrap(pieces);
        }
        if (pieceOffsets.length < count) {
            pieceOffsets = new int[count * 2];
            pieceLengths = new int[count * 2];
        }
        long seq = outBuffer.getInt(l4 + 4) & 0xffffffffL;
        int flags = out[l4 + 13] & 0xff;
        int at = 0;
        for (int k = 0; k < count; k++) {
            int from = k * room;
            int chunk = Math.min(room, payload - from);
            System.arraycopy(out, 0, pieces, at, headers);
            System.arraycopy(out, headers + from, pieces, at + headers, chunk);
            ByteBuffer b = piecesBuffer;
            if (view.ipVersion() == 4) {
                b.putShort(at + l3 + 2, (short) (headers - l3 + chunk));
                InternetChecksum.storeIpv4Header(b, at + l3, view.ipHeaderLength());
            } else {
                b.putShort(at + l3 + 4, (short) (headers - l3 - 40 + chunk));
            }
            b.putInt(at + l4 + 4, (int) (seq + from));
            if (k < count - 1) {
                pieces[at + l4 + 13] = (byte) (flags & ~(0x01 | 0x08)); // FIN and PSH belong to the last piece
            }
            InternetChecksum.storeTransport(b, at + l4, headers - l4 + chunk, 16, at + view.srcAddressOffset() - start,
                    at + view.dstAddressOffset() - start, view.addressLength(), 6);
            pieceOffsets[k] = at;
            pieceLengths[k] = headers + chunk;
            at += headers + chunk;
        }
        return count;
    }

    /** The pieces of the last {@link #split} that returned more than one. */
    public byte[] pieces() {
        return pieces;
    }

    public int pieceOffset(int i) {
        return pieceOffsets[i];
    }

    public int pieceLength(int i) {
        return pieceLengths[i];
    }

    /**
     * Copies the frame in {@code view} unchanged into the output (for a packet whose only change is a header field,
     * see {@link #setTos}).
     *
     * @return the frame's length, or {@link #SNAPPED} for a frame cut short by the capture
     */
    public int copy(PacketView view) {
        if (view.snapped()) {
            return SNAPPED;
        }
        int length = view.capturedLength();
        view.buffer().get(view.start(), out, 0, length);
        return length;
    }

    /**
     * Sets the IPv4 TOS byte or the IPv6 traffic class of the frame in the output (pf's {@code set tos}), keeping the
     * IPv4 header checksum right. {@code l3} is the IP header's index in the frame.
     */
    public void setTos(int l3, int ipVersion, int ipHeaderLength, int tos) {
        if (ipVersion == 4) {
            out[l3 + 1] = (byte) tos;
            InternetChecksum.storeIpv4Header(outBuffer, l3, ipHeaderLength);
        } else if (ipVersion == 6) {
            out[l3] = (byte) (0x60 | (tos >>> 4) & 0x0f);
            out[l3 + 1] = (byte) ((tos & 0x0f) << 4 | out[l3 + 1] & 0x0f);
        }
    }

    /**
     * Sets the IPv4 TTL or the IPv6 hop limit of the frame in the output, keeping the IPv4 header checksum right.
     * {@code l3} is the IP header's index in the frame.
     */
    public void setTtl(int l3, int ipVersion, int ipHeaderLength, int ttl) {
        if (ipVersion == 4) {
            out[l3 + 8] = (byte) ttl;
            InternetChecksum.storeIpv4Header(outBuffer, l3, ipHeaderLength);
        } else if (ipVersion == 6) {
            out[l3 + 7] = (byte) ttl;
        }
    }

    /**
     * Rewrites the source or destination address (and port, when {@code port >= 0} and the protocol has ports) of the
     * frame in the output: pf's {@code nat-to} / {@code rdr-to} on one packet. The TCP, UDP or ICMPv6 checksum is
     * updated for the changed pseudo-header and port words (RFC 1624), the IPv4 header checksum recomputed.
     *
     * @return false when the address family does not match the packet's (nothing changed)
     */
    public boolean remap(int l3, int ipVersion, int ipHeaderLength, int l4, int protocol, boolean source,
                         byte[] address, int port) {
        if (address.length != (ipVersion == 4 ? 4 : 16) || (ipVersion != 4 && ipVersion != 6)) {
            return false;
        }
        int addressAt = l3 + (ipVersion == 4 ? (source ? 12 : 16) : (source ? 8 : 24));
        int checksumAt = switch (protocol) {
            case 6 -> l4 + 16;
            case 17 -> l4 + 6;
            case 58 -> l4 + 2;
            default -> -1;
        };
        boolean udpWithout = protocol == 17 && ipVersion == 4 && outBuffer.getShort(checksumAt) == 0;
        int sum = checksumAt < 0 || udpWithout ? 0 : outBuffer.getShort(checksumAt) & 0xffff;
        for (int i = 0; i < address.length; i += 2) {
            int old = outBuffer.getShort(addressAt + i) & 0xffff;
            int now = (address[i] & 0xff) << 8 | address[i + 1] & 0xff;
            sum = InternetChecksum.update16(sum, old, now);
            outBuffer.putShort(addressAt + i, (short) now);
        }
        if (port >= 0 && (protocol == 6 || protocol == 17)) {
            int portAt = l4 + (source ? 0 : 2);
            sum = InternetChecksum.update16(sum, outBuffer.getShort(portAt) & 0xffff, port);
            outBuffer.putShort(portAt, (short) port);
        }
        if (checksumAt >= 0 && !udpWithout) {
            // UDP sends a computed zero as all ones (RFC 768): zero means "no checksum"
            outBuffer.putShort(checksumAt, (short) (protocol == 17 && sum == 0 ? 0xffff : sum));
        }
        if (ipVersion == 4) {
            InternetChecksum.storeIpv4Header(outBuffer, l3, ipHeaderLength);
        }
        return true;
    }

    /** Writes a 32-bit header word, keeping {@link #checksum} up to date for it. */
    private void putWord(int at, int value) {
        int old = outBuffer.getInt(at);
        if (old != value) {
            checksum = InternetChecksum.update32(checksum, old, value);
            outBuffer.putInt(at, value);
        }
    }

    /** An acknowledgement or SACK edge moved between the other direction's spaces (lowered first to {@code limit}). */
    private long translateAck(long ack, DeltaMap other, long otherIsn, long limit) {
        if (!inline && limit >= 0 && (int) (ack - limit) > 0) {
            ack = limit;
        }
        return inline ? other.toOriginalSeq(ack, otherIsn) : other.toRewrittenStartSeq(ack, otherIsn);
    }
}
