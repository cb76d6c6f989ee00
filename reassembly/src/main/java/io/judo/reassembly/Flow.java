package io.judo.reassembly;

import io.judo.packet.decode.PacketView;
import io.judo.packet.flow.FlowKey;
import java.nio.ByteBuffer;

/**
 * One bidirectional flow: who the client is (the sender of the SYN; picked up mid-stream, the endpoint with the
 * higher port), counters per direction, the TCP streams, and {@link #slots} other modules use without the flow
 * table knowing what they hold.
 */
public final class Flow {
    final FlowKey key;
    final long id;
    final int protocol;
    final byte[] clientAddress;
    final byte[] serverAddress;
    final int clientPort;
    final int serverPort;
    final long firstSeen;
    long lastSeen;
    // Four fields rather than two arrays: 32 bytes less per tracked flow.
    private long packetsToServer;
    private long packetsToClient;
    private long bytesToServer;
    private long bytesToClient;
    TcpStream[] streams;
    boolean closed;
    boolean bypassed;
    /** Per-flow state of other modules (matcher stream state, rewrite maps, VM metadata), by index. */
    public final Object[] slots = new Object[4];

    Flow(FlowKey key, long id, PacketView v, boolean senderIsClient, long now) {
        this.key = key;
        this.id = id;
        this.protocol = v.ipProtocol();
        byte[] src = address(v.buffer(), v.srcAddressOffset(), v.addressLength());
        byte[] dst = address(v.buffer(), v.dstAddressOffset(), v.addressLength());
        this.clientAddress = senderIsClient ? src : dst;
        this.serverAddress = senderIsClient ? dst : src;
        this.clientPort = senderIsClient ? v.srcPort() : v.dstPort();
        this.serverPort = senderIsClient ? v.dstPort() : v.srcPort();
        this.firstSeen = now;
        this.lastSeen = now;
    }

    private static byte[] address(ByteBuffer b, int offset, int length) {
        byte[] a = new byte[length];
        b.get(offset, a);
        return a;
    }

    /** 0 when the packet goes from the client to the server, 1 otherwise. */
    int directionOf(PacketView v) {
        if (v.srcPort() != clientPort) {
            return 1;
        }
        ByteBuffer b = v.buffer();
        int at = v.srcAddressOffset();
        for (int i = 0; i < clientAddress.length; i++) {
            if (b.get(at + i) != clientAddress[i]) {
                return 1;
            }
        }
        return 0;
    }

    /** True when reassembly gave the flow up under {@link MemcapAction#BYPASS}: consumers may skip it too. */
    public boolean bypassed() {
        return bypassed;
    }

    public long id() {
        return id;
    }

    public int protocol() {
        return protocol;
    }

    /** The client's address bytes (4 or 16). */
    public byte[] clientAddress() {
        return clientAddress.clone();
    }

    public byte[] serverAddress() {
        return serverAddress.clone();
    }

    public int clientPort() {
        return clientPort;
    }

    public int serverPort() {
        return serverPort;
    }

    /** Counts one packet carrying {@code payload} bytes in {@code direction}. */
    void count(int direction, int payload) {
        if (direction == 0) {
            packetsToServer++;
            bytesToServer += payload;
        } else {
            packetsToClient++;
            bytesToClient += payload;
        }
    }

    public long packets(int direction) {
        return direction == 0 ? packetsToServer : packetsToClient;
    }

    public long bytes(int direction) {
        return direction == 0 ? bytesToServer : bytesToClient;
    }

    /** The TCP stream of a direction, or null for non-TCP flows. */
    public TcpStream stream(int direction) {
        return streams == null ? null : streams[direction];
    }

    public long firstSeen() {
        return firstSeen;
    }

    public long lastSeen() {
        return lastSeen;
    }
}
