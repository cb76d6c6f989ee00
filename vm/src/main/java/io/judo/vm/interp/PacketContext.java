package io.judo.vm.interp;

import io.judo.packet.decode.PacketView;
import io.judo.vm.MetaField;
import java.nio.ByteBuffer;

/**
 * What one program run sees and changes: the packet (a window on a big-endian buffer with its layer bases), the
 * decoded fields metadata loads read, the writable metadata (tag, queue, mark, prio) and the result. Reused for
 * every packet; {@link #bind} resets it.
 */
public final class PacketContext {
    ByteBuffer buffer;
    int start;
    int end;
    int wireLength;
    int l3 = -1;
    int l4 = -1;
    int payload = -1;
    private PacketView view;
    long tag;
    long queue;
    long mark;
    long prio;
    long direction;
    long iface;
    long flowState;
    long streamOffset;
    long streamSizeClient;
    long streamSizeServer;
    long streamEvents;
    int verdict;
    long ruleId;
    /** Backward jumps ({@code jloop}) the current run may still take; reset to {@link #fuelLimit} by each run. */
    long fuel;
    private long fuelLimit = DEFAULT_FUEL;
    private long fuelExhausted;

    // Inspection buffers (the buffer table): the stream window the engine supplies, the payload taken from the
    // bound packet on demand, and the selection the buffer helpers read.
    private byte[] streamData;
    private int streamLength;
    private long streamBase;
    private int streamNew;
    private boolean streamPresent;
    private BufferSource source;
    private byte[] payloadCopy = new byte[2048];
    byte[] sel;
    int selOffset;
    int selLength;
    long selBase;
    int selNew;
    int selected = -1;
    long[] flowBits;
    // base64_decode: the decoded bytes (grown to the largest decode, then reused) and, while they are selected, the
    // selection they replaced, which base64Restore swaps back
    private byte[] decoded = new byte[1024];
    private boolean decodedSelected;
    private byte[] savedSel;
    private int savedOffset;
    private int savedLength;
    private long savedBase;
    private int savedNew;
    private int savedSelected;

    /** Binds a decoded packet: every base and metadata field is available. */
    public PacketContext bind(PacketView v) {
        this.view = v;
        buffer = v.buffer();
        start = v.start();
        end = v.end();
        wireLength = v.originalLength();
        l3 = v.l3Offset();
        l4 = v.l4Offset();
        payload = v.payloadOffset();
        resetMetadata();
        return this;
    }

    /** Binds raw frame bytes only (classic-BPF style programs): only the {@code pkt} base and lengths exist. */
    public PacketContext bind(ByteBuffer buffer, int start, int capturedLength, int wireLength) {
        this.view = null;
        this.buffer = buffer;
        this.start = start;
        this.end = start + capturedLength;
        this.wireLength = wireLength;
        l3 = -1;
        l4 = -1;
        payload = -1;
        resetMetadata();
        return this;
    }

    private void resetMetadata() {
        streamSizeClient = 0;
        streamSizeServer = 0;
        streamEvents = 0;
        streamPresent = false;
        source = null;
        selected = -1;
        sel = null;
        selLength = 0;
        selBase = 0;
        selNew = 0;
        decodedSelected = false;
        flowBits = null;
        tag = 0;
        queue = 0;
        mark = 0;
        prio = 0;
        verdict = 0;
        ruleId = 0;
    }

    /** Flow-level values the flow table supplies (direction 0 = to server, 1 = to client). */
    public PacketContext flow(long direction, long flowState, long streamOffset) {
        this.direction = direction;
        this.flowState = flowState;
        this.streamOffset = streamOffset;
        return this;
    }

    /** The sizes of the flow's two TCP streams ({@link MetaField#STREAM_SIZE_CLIENT}); 0 after {@code bind}. */
    public PacketContext streamSizes(long client, long server) {
        this.streamSizeClient = client;
        this.streamSizeServer = server;
        return this;
    }

    /** The stream events tracking this packet raised ({@link MetaField#STREAM_EVENTS}); 0 after {@code bind}. */
    public PacketContext streamEvents(long events) {
        this.streamEvents = events;
        return this;
    }

    /**
     * Sets the writable metadata a program starts from (after {@code bind}, which clears it): a flow's sticky tag,
     * queue, mark and priority, as pf keeps them in its state entry.
     */
    public PacketContext metadata(long tag, long queue, long mark, long prio) {
        this.tag = tag;
        this.queue = queue;
        this.mark = mark;
        this.prio = prio;
        return this;
    }

    public PacketContext iface(long iface) {
        this.iface = iface;
        return this;
    }

    /** The decoded packet, or null for a raw binding. */
    public PacketView view() {
        return view;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    /** Verdict of the last run. */
    public int verdict() {
        return verdict;
    }

    /** Rule id the last run exited with. */
    public long ruleId() {
        return ruleId;
    }

    public long tag() {
        return tag;
    }

    public long queue() {
        return queue;
    }

    public long mark() {
        return mark;
    }

    public long prio() {
        return prio;
    }

    long load(MetaField f) {
        switch (f) {
            case TAG: return tag;
            case QUEUE: return queue;
            case MARK: return mark;
            case PRIO: return prio;
            case DIRECTION: return direction;
            case INTERFACE: return iface;
            case PKT_LEN: return wireLength;
            case CAP_LEN: return end - start;
            case FLOW_STATE: return flowState;
            case STREAM_OFFSET: return streamOffset;
            case STREAM_SIZE_CLIENT: return streamSizeClient;
            case STREAM_SIZE_SERVER: return streamSizeServer;
            case STREAM_EVENTS: return streamEvents;
            case BUF_LEN: return selLength;
            case BUF_BASE: return selBase;
            case BUF_NEW: return selNew;
            default:
                break;
        }
        PacketView v = view;
        if (v == null) {
            return 0;
        }
        switch (f) {
            case ETHERTYPE: return Math.max(0, v.etherType());
            case IP_VERSION: return v.ipVersion();
            case IP_PROTO: return Math.max(0, v.ipProtocol());
            case TTL: return v.ttl();
            case TOS: return v.tos();
            case SRC_PORT: return v.srcPort();
            case DST_PORT: return v.dstPort();
            case TCP_FLAGS: return v.tcpFlags();
            case ICMP_TYPE: return Math.max(0, v.icmpType());
            case ICMP_CODE: return Math.max(0, v.icmpCode());
            case PAYLOAD_LEN: return v.payloadLength();
            case FRAG: return (v.fragment() ? 1 : 0) | (v.moreFragments() ? 2 : 0) | (v.fragmentOffset() != 0 ? 4 : 0);
            case VLAN: return v.vlanOuter();
            case DECODE_EVENTS: return v.problems();
            case PROTOCOLS: return v.protocols();
            case CHECKSUMS: return v.checksums();
            default: return 0;
        }
    }

    void store(MetaField f, long value) {
        switch (f) {
            case TAG: tag = value; break;
            case QUEUE: queue = value; break;
            case MARK: mark = value; break;
            case PRIO: prio = value; break;
            default: throw new IllegalStateException("verifier let a store to read-only " + f + " through");
        }
    }

    /** Fuel a run starts with unless {@link #fuelLimit(long)} says otherwise: backward jumps one run may take. */
    public static final long DEFAULT_FUEL = 20_000;

    /**
     * Sets the fuel each run (and region run) starts with: how many {@code jloop} backward jumps it may take before
     * the next one fails like a load (docs/ISA.md, "Bounded loops"). Kept across {@link #bind}.
     */
    public PacketContext fuelLimit(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("fuel limit " + limit + " is negative");
        }
        this.fuelLimit = limit;
        return this;
    }

    /** The fuel each run starts with ({@link #DEFAULT_FUEL} unless set). */
    public long fuelLimit() {
        return fuelLimit;
    }

    /**
     * How many times a {@code jloop} found no fuel left, over every run with this context (not reset by
     * {@link #bind}): the engine reads it as "rule checks stopped at the budget".
     */
    public long fuelExhausted() {
        return fuelExhausted;
    }

    /** Fuel left in the current (or last) run. */
    public long fuel() {
        return fuel;
    }

    /** Starts a run: full fuel. */
    void refuel() {
        fuel = fuelLimit;
    }

    /**
     * A {@code jloop}: spends one unit of fuel and returns true, or, with none left, counts the exhaustion and returns
     * false (the jump fails). The interpreter and the JIT both call this, so they spend and count identically.
     */
    static boolean spendFuel(PacketContext ctx) {
        if (ctx.fuel > 0) {
            ctx.fuel--;
            return true;
        }
        ctx.fuelExhausted++;
        return false;
    }

    /**
     * Supplies the {@link io.judo.vm.Buffer#STREAM} buffer for this run (after {@code bind}, which removes it):
     * {@code data[0, length)}, whose first byte is at stream offset {@code base} and whose bytes from
     * {@code newFrom} on were not inspected before.
     */
    public PacketContext stream(byte[] data, int length, long base, int newFrom) {
        streamData = data;
        streamLength = length;
        streamBase = base;
        streamNew = newFrom;
        streamPresent = true;
        return this;
    }

    /**
     * Where the buffers other than {@code payload} and {@code stream} come from in this run (after {@code bind},
     * which removes it): the application layers' transaction buffers and the transformed buffers rules ask for.
     */
    public PacketContext buffers(BufferSource buffers) {
        this.source = buffers;
        return this;
    }

    /**
     * Supplies the buffers of the table beyond the packet's own: asked once per buffer and run, when a program first
     * selects it. Implementations select with {@link PacketContext#selectBytes} and return true, or return false
     * when this run has no such buffer.
     */
    @FunctionalInterface
    public interface BufferSource {
        boolean select(int id, PacketContext context);
    }

    /**
     * Forgets the selected buffer, so that the next selection asks the {@link BufferSource} again: a source whose
     * buffers changed between runs (a DNS multi-buffer moved to its next name) calls it before the next run.
     */
    public void reselect() {
        selected = -1;
        sel = null;
        selLength = 0;
        decodedSelected = false;
    }

    /**
     * For a {@link BufferSource}: the buffer being selected is {@code data[offset, offset + length)} (valid for the
     * rest of the run).
     */
    public void selectBytes(byte[] data, int offset, int length) {
        sel = data;
        selOffset = offset;
        selLength = length;
    }

    /** The flow bits of the packet's flow for the {@code flowbit} helper (after {@code bind}); null when none. */
    public PacketContext flowBits(long[] bits) {
        this.flowBits = bits;
        return this;
    }

    /**
     * Selects buffer {@code id} for the buffer helpers; false (and nothing selected) when this run has none. The
     * payload is read in place when the packet's buffer is a heap array, else copied once per run.
     */
    public boolean select(long id) {
        if (id == selected && id >= 0) {
            return true; // already selected in this run: rules that share a buffer select it once
        }
        decodedSelected = false; // a new selection forgets the one a base64_decode replaced
        if (id == io.judo.vm.Buffer.STREAM.id() && streamPresent) {
            sel = streamData;
            selOffset = 0;
            selLength = streamLength;
            selBase = streamBase;
            selNew = streamNew;
        } else if (id == io.judo.vm.Buffer.PAYLOAD.id() && view != null && view.payloadOffset() >= 0) {
            int length = Math.max(0, view.payloadLength());
            if (buffer.hasArray()) {
                sel = buffer.array();
                selOffset = buffer.arrayOffset() + view.payloadOffset();
            } else {
                if (payloadCopy.length < length) {
                    payloadCopy = new byte[Math.max(length, payloadCopy.length * 2)];
                }
                buffer.get(view.payloadOffset(), payloadCopy, 0, length);
                sel = payloadCopy;
                selOffset = 0;
            }
            selLength = length;
            selBase = 0;
            selNew = 0;
        } else if (source != null && id >= 0 && id <= Integer.MAX_VALUE && source.select((int) id, this)) {
            selBase = 0;
            selNew = 0;
        } else {
            selected = -1;
            sel = null;
            selLength = 0;
            return false;
        }
        selected = (int) id;
        return true;
    }

    /**
     * The {@code base64_decode} helper: decodes the selected buffer's bytes {@code [from, to)} (clamped to it) with
     * {@link io.judo.vm.Base64} and selects the decoded bytes in its place (Suricata's {@code base64_data}),
     * remembering the buffer they came from for {@link #base64Restore()}. Returns the decoded length; -1, with the
     * selection unchanged, when nothing decoded, no buffer is selected, or decoded data already is.
     */
    long base64Decode(long from, long to) {
        if (sel == null || decodedSelected) {
            return -1;
        }
        long lo = Math.max(0, from);
        long hi = Math.min(to, selLength);
        if (lo >= hi) {
            return -1;
        }
        int length = (int) (hi - lo);
        int max = io.judo.vm.Base64.maxOutput(length);
        if (decoded.length < max) {
            decoded = new byte[Math.max(max, decoded.length * 2)]; // grows to the largest decode, then is reused
        }
        int n = io.judo.vm.Base64.decode(sel, selOffset + (int) lo, length, decoded);
        if (n == 0) {
            return -1;
        }
        savedSel = decoded;
        savedOffset = 0;
        savedLength = n;
        savedBase = 0;
        savedNew = 0;
        savedSelected = -1; // no buffer-table id: the next buffer helper call selects afresh
        swapSelection();
        decodedSelected = true;
        return n;
    }

    /**
     * The {@code base64_restore} helper: selects again the buffer the decoded data replaced; its length, or -1 when
     * no decoded data is selected.
     */
    long base64Restore() {
        if (!decodedSelected) {
            return -1;
        }
        decodedSelected = false;
        swapSelection();
        return selLength;
    }

    /** Exchanges the selection with the saved one (the decoded bytes in, the buffer out, or back). */
    private void swapSelection() {
        // one exchange per line: six fields, each through a temporary
        byte[] bytes = sel; sel = savedSel; savedSel = bytes;
        int offset = selOffset; selOffset = savedOffset; savedOffset = offset;
        int length = selLength; selLength = savedLength; savedLength = length;
        long base = selBase; selBase = savedBase; savedBase = base;
        int fresh = selNew; selNew = savedNew; savedNew = fresh;
        int id = selected; selected = savedSelected; savedSelected = id;
    }

    /** The selected buffer's bytes: valid from {@link #selectedOffset()} for {@link #selectedLength()} bytes. */
    public byte[] selectedBytes() {
        return sel;
    }

    public int selectedOffset() {
        return selOffset;
    }

    public int selectedLength() {
        return selLength;
    }

    /** Stream offset of the selected buffer's first byte (0 for a payload). */
    public long selectedBase() {
        return selBase;
    }

    /** Index of the selected buffer's first byte not inspected before (0 for a payload). */
    public int selectedNew() {
        return selNew;
    }

    /** The selected buffer's id, or -1. */
    public int selected() {
        return selected;
    }
}
