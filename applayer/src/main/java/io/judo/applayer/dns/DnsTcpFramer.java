package io.judo.applayer.dns;

/**
 * Cuts a DNS-over-TCP connection's in-order bytes into messages: each message is a 2-byte big-endian length and that
 * many bytes (RFC 1035 4.2.2, RFC 7766). One segment may hold several messages and a message may be split across
 * segments at any byte; a message wholly inside one call is handed out in place, a split one is gathered in the
 * direction's buffer (allocated on the first split, at most 64 KiB + 2, and kept).
 *
 * <p>After lost bytes ({@link #gap}) a direction has lost its framing (a length could be anywhere): it hands out
 * nothing more. Not thread-safe: one per connection.
 */
public final class DnsTcpFramer {
    /** Receives complete messages; the bytes are valid during the call only. */
    @FunctionalInterface
    public interface Sink {
        /** Message {@code b[off, off + len)} of direction {@code dir} (0 towards the server). */
        void message(int dir, byte[] b, int off, int len);
    }

    private final Sink sink;
    private final Direction[] dirs = {new Direction(), new Direction()};

    /** A framer handing messages to {@code sink}. */
    public DnsTcpFramer(Sink sink) {
        this.sink = sink;
    }

    private static final class Direction {
        byte[] buf;
        /** Bytes gathered in {@link #buf}: the length prefix included. */
        int have;
        boolean lost;
        long messages;
    }

    /**
     * Offers in-order bytes of one direction.
     *
     * @param dir 0 towards the server, 1 towards the client
     */
    public void data(int dir, byte[] b, int off, int len) {
        Direction d = dirs[dir & 1];
        if (d.lost) {
            return;
        }
        int p = off;
        int end = off + len;
        while (p < end) {
            if (d.have == 0 && end - p >= 2) {
                int n = DnsParser.u16(b, p);
                if (end - p - 2 >= n) {
                    d.messages++;
                    sink.message(dir, b, p + 2, n); // whole in this segment: no copy
                    p += 2 + n;
                    continue;
                }
            }
            p = gather(dir, d, b, p, end);
        }
    }

    /** Appends to the direction's partial message; hands it out once complete. */
    private int gather(int dir, Direction d, byte[] b, int p, int end) {
        if (d.buf == null) {
            d.buf = new byte[2 + 65535];
        }
        if (d.have < 2) {
            d.buf[d.have++] = b[p++];
            if (d.have < 2) {
                return p;
            }
        }
        int total = 2 + DnsParser.u16(d.buf, 0);
        int take = Math.min(total - d.have, end - p);
        System.arraycopy(b, p, d.buf, d.have, take);
        d.have += take;
        p += take;
        if (d.have == total) {
            d.have = 0;
            d.messages++;
            sink.message(dir, d.buf, 2, total - 2);
        }
        return p;
    }

    /** Bytes of direction {@code dir} were lost: its framing is gone, it hands out no more messages. */
    public void gap(int dir) {
        Direction d = dirs[dir & 1];
        d.lost = true;
        d.have = 0;
    }

    /** Whether direction {@code dir} lost its framing after a gap. */
    public boolean lost(int dir) {
        return dirs[dir & 1].lost;
    }

    /** Whether direction {@code dir} holds the start of a message not yet complete. */
    public boolean pending(int dir) {
        return dirs[dir & 1].have > 0;
    }

    /** Messages handed out in direction {@code dir}. */
    public long messages(int dir) {
        return dirs[dir & 1].messages;
    }
}
