package io.judo.packet.build;

import io.judo.packet.build.PacketBuilder.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A complete TCP exchange between a client and a server, as correct frames: three-way handshake, data in either
 * direction cut into MSS-sized segments (each acknowledged by the peer), and an orderly FIN close. Sequence
 * numbers wrap at 2^32 like a real stack's. Timestamps advance by a fixed step per frame.
 */
public final class TcpConversation {
    /** One frame and its capture time. */
    public record Frame(long timestampNanos, byte[] bytes) {
    }

    private final Supplier<PacketBuilder> link;
    private final String client;
    private final int clientPort;
    private final String server;
    private final int serverPort;
    private long clientSeq;
    private long serverSeq;
    private int mss = 1460;
    private long time;
    private long step = 1_000_000L;
    private final List<Frame> frames = new ArrayList<>();

    /**
     * @param link makes a builder with the link layer (and any VLAN tags) set, e.g. {@code PacketBuilder::ethernet}
     */
    public TcpConversation(Supplier<PacketBuilder> link, String client, int clientPort, String server, int serverPort,
                           long clientIsn, long serverIsn) {
        this.link = link;
        this.client = client;
        this.clientPort = clientPort;
        this.server = server;
        this.serverPort = serverPort;
        this.clientSeq = clientIsn & 0xffffffffL;
        this.serverSeq = serverIsn & 0xffffffffL;
    }

    /** Segment size for data. */
    public TcpConversation mss(int mss) {
        this.mss = mss;
        return this;
    }

    /** Start time and the gap between frames. */
    public TcpConversation clock(long startNanos, long stepNanos) {
        this.time = startNanos;
        this.step = stepNanos;
        return this;
    }

    private PacketBuilder from(boolean fromClient) {
        PacketBuilder b = link.get();
        String s = fromClient ? client : server;
        String d = fromClient ? server : client;
        if (s.indexOf(':') >= 0) {
            b.ipv6(s, d);
        } else {
            b.ipv4(s, d);
        }
        return fromClient ? b.tcp(clientPort, serverPort) : b.tcp(serverPort, clientPort);
    }

    private void add(byte[] frame) {
        frames.add(new Frame(time, frame));
        time += step;
    }

    /** SYN, SYN-ACK, ACK. */
    public TcpConversation handshake() {
        add(from(true).seq(clientSeq).ack(0).flags(TcpFlags.SYN).mss(mss).sackPermitted().windowScale(7).build());
        clientSeq = (clientSeq + 1) & 0xffffffffL;
        add(from(false).seq(serverSeq).ack(clientSeq).flags(TcpFlags.SYN | TcpFlags.ACK).mss(mss).sackPermitted()
                .windowScale(7).build());
        serverSeq = (serverSeq + 1) & 0xffffffffL;
        add(from(true).seq(clientSeq).ack(serverSeq).flags(TcpFlags.ACK).build());
        return this;
    }

    /** The client sends data; the server acknowledges each segment. */
    public TcpConversation clientSends(byte[] data) {
        return send(true, data);
    }

    /** The server sends data; the client acknowledges each segment. */
    public TcpConversation serverSends(byte[] data) {
        return send(false, data);
    }

    private TcpConversation send(boolean fromClient, byte[] data) {
        for (int off = 0; off < data.length; off += mss) {
            int len = Math.min(mss, data.length - off);
            byte[] piece = java.util.Arrays.copyOfRange(data, off, off + len);
            long seq = fromClient ? clientSeq : serverSeq;
            long ack = fromClient ? serverSeq : clientSeq;
            boolean last = off + len == data.length;
            add(from(fromClient).seq(seq).ack(ack).flags(TcpFlags.ACK | (last ? TcpFlags.PSH : 0)).payload(piece)
                    .build());
            seq = (seq + len) & 0xffffffffL;
            if (fromClient) {
                clientSeq = seq;
            } else {
                serverSeq = seq;
            }
            add(from(!fromClient).seq(ack).ack(seq).flags(TcpFlags.ACK).build());
        }
        return this;
    }

    /** Client FIN, server FIN-ACK, client ACK. */
    public TcpConversation close() {
        fin(true);
        fin(false);
        add(from(true).seq(clientSeq).ack(serverSeq).flags(TcpFlags.ACK).build());
        return this;
    }

    /** Server FIN, client FIN-ACK, server ACK: the server ends the connection (as after an FTP download). */
    public TcpConversation serverClose() {
        fin(false);
        fin(true);
        add(from(false).seq(serverSeq).ack(clientSeq).flags(TcpFlags.ACK).build());
        return this;
    }

    private void fin(boolean fromClient) {
        if (fromClient) {
            add(from(true).seq(clientSeq).ack(serverSeq).flags(TcpFlags.FIN | TcpFlags.ACK).build());
            clientSeq = (clientSeq + 1) & 0xffffffffL;
        } else {
            add(from(false).seq(serverSeq).ack(clientSeq).flags(TcpFlags.FIN | TcpFlags.ACK).build());
            serverSeq = (serverSeq + 1) & 0xffffffffL;
        }
    }

    /** The frames so far, in order. */
    public List<Frame> frames() {
        return frames;
    }

    /** Time of the next frame. */
    public long clock() {
        return time;
    }
}
