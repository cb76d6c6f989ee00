package io.judo.reassembly;

import io.judo.packet.decode.PacketView;
import io.judo.packet.flow.FlowKey;

/**
 * One bidirectional flow: who the client is (for TCP the sender of the SYN, or picked up mid-stream the endpoint
 * with the higher port; for UDP, ICMP and the rest the sender of the first packet, as Suricata decides, unless the
 * application layer {@link #reverse() reverses} it), counters per direction, the TCP streams, and {@link #slot(int) slots} other modules use without
 * the flow table knowing what they hold.
 */
public final class Flow {
    // The key's canonical fields, unpacked here rather than in a separate FlowKey copy: 36 bytes less per flow.
    final long aHi;
    final long aLo;
    final long bHi;
    final long bLo;
    final long packed;
    /** The key's tunnel id (0: not tunnelled). */
    final int tunnel;
    /** The key's symmetric hash (the flow table's bucket and quick compare). */
    final int hash;
    final long id;
    final int protocol;
    /** Whether the client is the key's canonical A endpoint (changed only by {@link #reverse()}). */
    boolean clientIsA;
    final long firstSeen;
    long lastSeen;
    // Four fields rather than two arrays: 32 bytes less per tracked flow.
    private long packetsToServer;
    private long packetsToClient;
    private long bytesToServer;
    private long bytesToClient;
    // What the EVE flow record reports: each direction's packets' lengths on the wire, and their TCP flags or-ed
    private long wireToServer;
    private long wireToClient;
    private byte flagsToServer;
    private byte flagsToClient;
    /** Why the flow ended ({@link EndReason}), set by the flow table just before the end is reported. */
    EndReason endReason;
    /** Each direction's TCP stream, created by the reassembler at that direction's first packet (null before). */
    TcpStream toServer;
    TcpStream toClient;
    boolean closed;
    boolean bypassed;
    /** A TCP flow whose first packet was no SYN (a SYN-ACK, data, an ACK): picked up mid-stream. */
    boolean midstream;
    /** A mid-stream TCP flow under {@code stream.midstream: false}: not reassembled, not inspected. */
    boolean untracked;
    // The flow table's links, kept in the flow itself instead of a map entry: the bucket chain, and the
    // least-recently-used order (older towards the head, where expiry and eviction start).
    Flow hashNext;
    Flow older;
    Flow newer;
    // The same order among the flows of one timeout class (TCP, or the rest), so expiry walks only flows past their
    // own timeout; touched numbers the moves to the newest end, which orders flows of the two classes against each
    // other.
    Flow olderInClass;
    Flow newerInClass;
    long touched;
    /** Slots a flow offers other modules; see {@link #slot} and {@link #slot(int, Object)}. */
    public static final int SLOTS = 6;
    /** Per-flow state of other modules (matcher stream state, rewrite maps, VM metadata), allocated on first use. */
    private Object[] slots;

    /**
     * @param key            the first packet's key (its {@link FlowKey#reversed()} says which endpoint sent it); its
     *                       fields are copied
     * @param senderIsClient whether that packet's sender is the client
     */
    Flow(FlowKey key, long id, PacketView v, boolean senderIsClient, long now) {
        this.aHi = key.addressHi(true);
        this.aLo = key.addressLo(true);
        this.bHi = key.addressHi(false);
        this.bLo = key.addressLo(false);
        this.packed = key.packed();
        this.tunnel = key.tunnel();
        this.hash = key.symmetricHash();
        this.id = id;
        this.protocol = v.ipProtocol();
        boolean senderIsA = !key.reversed();
        this.clientIsA = senderIsClient == senderIsA;
        this.firstSeen = now;
        this.lastSeen = now;
    }

    /** Whether {@code k} (with its hash {@code h}) names this flow, in either direction. */
    boolean matches(FlowKey k, int h) {
        return hash == h && k.matches(aHi, aLo, bHi, bLo, packed, tunnel);
    }

    /**
     * 0 when the packet whose key is {@code k} (this flow's, just set from the packet) goes from the client to the
     * server, 1 otherwise.
     */
    int directionOf(FlowKey k) {
        return !k.reversed() == clientIsA ? 0 : 1;
    }

    /**
     * Established as detection rules mean it: for TCP, both SYNs were seen, or the flow was picked up mid-stream
     * (no SYN either way) and both sides have sent packets; for other protocols, both sides have sent packets.
     */
    public boolean established() {
        boolean syn0 = toServer != null && toServer.sawSyn;
        boolean syn1 = toClient != null && toClient.sawSyn;
        if (syn0 || syn1) {
            return syn0 && syn1;
        }
        return packets(0) > 0 && packets(1) > 0;
    }

    /** What another module keeps in slot {@code i} (0 to {@link #SLOTS} - 1), or null. */
    public Object slot(int i) {
        return slots == null ? null : slots[i];
    }

    /** Keeps {@code value} in slot {@code i} for the flow's lifetime; the flow table never looks inside. */
    public void slot(int i, Object value) {
        if (slots == null) {
            slots = new Object[SLOTS];
        }
        slots[i] = value;
    }

    /** True for a TCP flow whose first packet was not a SYN: it was picked up mid-stream. */
    public boolean midstream() {
        return midstream;
    }

    /**
     * True for a mid-stream TCP flow when picking up mid-stream is off ({@link StreamConfig#midstream()}): reassembly
     * ignores it, and so does detection, as Suricata leaves such a session untracked.
     */
    public boolean untracked() {
        return untracked;
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

    /** The client's address bytes (4 or 16; a new array). */
    public byte[] clientAddress() {
        return address(clientIsA);
    }

    public byte[] serverAddress() {
        return address(!clientIsA);
    }

    private byte[] address(boolean a) {
        return FlowKey.address(a ? aHi : bHi, a ? aLo : bLo, FlowKey.family(packed));
    }

    /** 4 or 16: the length of the flow's addresses. */
    public int addressLength() {
        return FlowKey.family(packed) == 4 ? 4 : 16;
    }

    /**
     * Writes the client's address (or, with {@code client} false, the server's) into {@code b} at {@code at},
     * big-endian, without allocating as {@link #clientAddress} does: a header built for every flushed stream chunk
     * needs it.
     */
    public void putAddress(boolean client, java.nio.ByteBuffer b, int at) {
        boolean a = client == clientIsA;
        long lo = a ? aLo : bLo;
        if (addressLength() == 4) {
            b.putInt(at, (int) lo);
        } else {
            b.putLong(at, a ? aHi : bHi).putLong(at + 8, lo);
        }
    }

    public int clientPort() {
        return clientIsA ? FlowKey.portA(packed) : FlowKey.portB(packed);
    }

    public int serverPort() {
        return clientIsA ? FlowKey.portB(packed) : FlowKey.portA(packed);
    }

    /**
     * Swaps client and server, with the counters of the packets already seen: for a datagram flow whose first packet
     * the application layer recognised as an answer (a DNS response), as Suricata's protocol detection reverses such
     * a flow. TCP flows keep the direction their handshake gave them.
     */
    void reverse() {
        clientIsA = !clientIsA;
        long p = packetsToServer;
        packetsToServer = packetsToClient;
        packetsToClient = p;
        long b = bytesToServer;
        bytesToServer = bytesToClient;
        bytesToClient = b;
        long w = wireToServer;
        wireToServer = wireToClient;
        wireToClient = w;
        byte t = flagsToServer;
        flagsToServer = flagsToClient;
        flagsToClient = t;
    }

    /** Counts packet {@code v} in {@code direction}: its payload, its length on the wire and its TCP flags. */
    void count(int direction, PacketView v) {
        int payload = v.payloadLength();
        int flags = protocol == 6 ? v.tcpFlags() : 0;
        if (direction == 0) {
            packetsToServer++;
            bytesToServer += payload;
            wireToServer += v.capturedLength();
            flagsToServer |= (byte) flags;
        } else {
            packetsToClient++;
            bytesToClient += payload;
            wireToClient += v.capturedLength();
            flagsToClient |= (byte) flags;
        }
    }

    /** The captured lengths of the packets of {@code direction}, link header included (Suricata's flow bytes). */
    public long wireBytes(int direction) {
        return direction == 0 ? wireToServer : wireToClient;
    }

    /** The TCP flags of every packet of {@code direction} or-ed together (0 for other protocols). */
    public int tcpFlags(int direction) {
        return (direction == 0 ? flagsToServer : flagsToClient) & 0xFF;
    }

    /** Why the flow ended; null while it is still tracked. */
    public EndReason endReason() {
        return endReason;
    }

    /** Why a flow ended, with the names Suricata's EVE flow records give. */
    public enum EndReason {
        /** Idle past its protocol's timeout. */
        TIMEOUT("timeout"),
        /** Evicted from a full flow table to make room. */
        FORCED("forced"),
        /** Still tracked at the end of the input. */
        SHUTDOWN("shutdown");

        private final String text;

        EndReason(String text) {
            this.text = text;
        }

        /** The name as EVE writes it. */
        public String text() {
            return text;
        }
    }

    public long packets(int direction) {
        return direction == 0 ? packetsToServer : packetsToClient;
    }

    public long bytes(int direction) {
        return direction == 0 ? bytesToServer : bytesToClient;
    }

    /** The TCP stream of a direction, or null (not TCP, or no packet that way yet). */
    public TcpStream stream(int direction) {
        return direction == 0 ? toServer : toClient;
    }

    /** The size of a direction's TCP stream ({@link TcpStream#size}), 0 when it has none. */
    public long streamSize(int direction) {
        TcpStream s = stream(direction);
        return s == null ? 0 : s.size();
    }

    public long firstSeen() {
        return firstSeen;
    }

    public long lastSeen() {
        return lastSeen;
    }
}
