package io.judo.bench;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.FlowTable;
import io.judo.reassembly.StreamConfig;
import io.judo.reassembly.StreamSink;
import io.judo.reassembly.TcpReassembler;
import io.judo.reassembly.StreamEvent;
import java.nio.ByteBuffer;

/**
 * Bytes of heap per idle tracked TCP flow: N flows opened by one SYN each, heap measured after GC before and after.
 * Not JMH (it measures space, not time). Run:
 * {@code java -Xmx2g -cp bench/target/benchmarks.jar io.judo.bench.FlowMemory 1000000}.
 */
public final class FlowMemory {
    private FlowMemory() {
    }

    public static void main(String[] args) {
        int flows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        StreamSink none = new StreamSink() {
            @Override
            public void data(Flow flow, int direction, long offset, byte[] data, int from, int length) {
            }

            @Override
            public void gap(Flow flow, int direction, long offset, long length) {
            }

            @Override
            public void event(Flow flow, int direction, StreamEvent event, long offset) {
            }
        };
        FlowTable table = new FlowTable(flows, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
        TcpReassembler r = new TcpReassembler(table, StreamConfig.defaults(), none, f -> { });
        byte[] syn = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.1.0.1").tcp(1000, 80).seq(7)
                .flags(PacketBuilder.TcpFlags.SYN).build();
        ByteBuffer b = ByteBuffer.wrap(syn);
        PacketDecoder decoder = new PacketDecoder(false);
        PacketView v = new PacketView();
        long before = usedAfterGc();
        for (int i = 0; i < flows; i++) {
            syn[26 + 2] = (byte) (i >>> 8); // source address 10.0.x.y varies: a new flow each time
            syn[26 + 3] = (byte) i;
            syn[26 + 1] = (byte) (i >>> 16);
            r.packet(decoder.decode(b, 0, syn.length, syn.length, LinkType.ETHERNET, v), 1);
        }
        long after = usedAfterGc();
        System.out.printf("%,d flows: %,d bytes of heap, %d bytes per flow%n", table.size(), after - before,
                (after - before) / Math.max(1, table.size()));
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
