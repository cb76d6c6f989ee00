package io.judo.engine.worker;

import io.judo.packet.capture.PacketRecord;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;

/**
 * One worker's share of a capture that every worker reads for itself: the packets whose address pair hashes to it
 * ({@link FlowHash}). Deciding takes a header decode without checksum checks (checksums never change which flow a
 * packet is of); the owner then decodes its packets as the capture asks. Not thread-safe: one per worker.
 */
public final class Shard {
    private final int index;
    private final int count;
    private final PacketDecoder headers = new PacketDecoder(false);

    /**
     * @param index this worker, from 0
     * @param count the workers reading the same captures
     */
    public Shard(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count);
        }
        this.index = index;
        this.count = count;
    }

    /**
     * Decodes {@code record}'s headers (no checksum checks) into {@code view} and says whether the packet is this
     * worker's. The view stays decoded either way, so a caller that does not validate checksums can use it as is.
     */
    public boolean owns(PacketRecord record, PacketView view) {
        headers.decode(record, view);
        return FlowHash.worker(view, count) == index;
    }

    /** This worker's number, from 0. */
    public int index() {
        return index;
    }

    /** How many workers share the captures. */
    public int count() {
        return count;
    }
}
