package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpReassemblerTest {
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketView view = new PacketView();
    private final Collect sink = new Collect();
    private final List<Flow> ended = new ArrayList<>();

    private TcpReassembler reassembler(FlowTable table, StreamConfig config) {
        return new TcpReassembler(table, config, sink, ended::add);
    }

    private void feed(TcpReassembler r, byte[] frame, long now) {
        r.packet(decoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.ETHERNET, view), now);
    }

    /** A sink that records each different-data overlap as "clientPort@offset" and ignores the bytes. */
    private static StreamSink overlapsInto(List<String> overlaps) {
        return new StreamSink() {
            @Override
            public void data(Flow flow, int direction, long offset, byte[] data, int from, int length) {
            }

            @Override
            public void event(Flow flow, int direction, StreamEvent event, long offset) {
                if (event == StreamEvent.OVERLAP_DIFFERENT_DATA) {
                    overlaps.add(flow.clientPort() + "@" + offset);
                }
            }
        };
    }

    private static PacketBuilder c2s() {
        return PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 80);
    }

    private static PacketBuilder s2c() {
        return PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").tcp(80, 40000);
    }

    @Test
    void handshakeDataBothWaysAndFins() {
        TcpReassembler r = reassembler(FlowTable.defaults(), StreamConfig.defaults());
        feed(r, c2s().seq(0xfffffffeL).flags(TcpFlags.SYN).build(), 1);
        feed(r, s2c().seq(500).ack(0xffffffffL).flags(TcpFlags.SYN | TcpFlags.ACK).build(), 2);
        feed(r, c2s().seq(0xffffffffL).ack(501).payload("GET / HTTP/1.0\r\n\r\n").build(), 3);
        feed(r, s2c().seq(501).ack(18).payload("HTTP/1.0 200 OK\r\n").flags(TcpFlags.ACK | TcpFlags.FIN).build(), 4);
        feed(r, c2s().seq(17).ack(519).flags(TcpFlags.ACK | TcpFlags.FIN).build(), 5);
        r.finish();
        assertEquals("GET / HTTP/1.0\r\n\r\n", sink.text(0));
        assertEquals("HTTP/1.0 200 OK\r\n", sink.text(1));
        assertTrue(sink.events.contains("1:fin@17") && sink.events.contains("0:fin@18"), sink.events.toString());
        assertEquals(1, ended.size());
        assertEquals(40000, ended.get(0).clientPort(), "the SYN's sender is the client");
    }

    /**
     * Rings of delivered bytes go back to a pool when a flow ends and are handed to later streams uncleared: 40 closed
     * connections, each of a different length (so its ring grows through different sizes), each retransmitting its
     * first 200 bytes, unchanged for even connections and with one byte changed for odd ones. Only the changed ones
     * raise an overlap, so a stream never compares against bytes a previous owner of its ring left.
     */
    @Test
    void pooledRingsNeverShowAnEarlierFlowsBytes() {
        List<String> overlaps = new ArrayList<>();
        TcpReassembler r = new TcpReassembler(FlowTable.defaults(), StreamConfig.defaults(), overlapsInto(overlaps),
                ended::add);
        java.util.Random random = new java.util.Random(7);
        long t = 1;
        for (int i = 0; i < 40; i++) {
            int port = 41000 + i;
            java.util.function.Supplier<PacketBuilder> c = () -> PacketBuilder.ethernet()
                    .ipv4("10.0.0.1", "10.0.0.2").tcp(port, 80);
            byte[] body = new byte[300 + 411 * i];
            random.nextBytes(body);
            feed(r, c.get().seq(999).flags(TcpFlags.SYN).build(), t++);
            for (int at = 0; at < body.length; at += 1000) {
                feed(r, c.get().seq(1000 + at).payload(java.util.Arrays.copyOfRange(body, at,
                        Math.min(body.length, at + 1000))).build(), t++);
            }
            byte[] again = java.util.Arrays.copyOf(body, 200);
            if (i % 2 == 1) {
                again[150] ^= 1;
            }
            feed(r, c.get().seq(1000).payload(again).build(), t++);
            feed(r, c.get().seq(1000 + body.length).flags(TcpFlags.RST).build(), t++);
        }
        r.finish();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i < 40; i += 2) {
            expected.add((41000 + i) + "@0");
        }
        assertEquals(expected, overlaps);
        assertEquals(40, ended.size());
    }

    /**
     * A hole declared lost moves the stream on without bytes: a late retransmission of what was in the hole has
     * nothing delivered to be compared with, even when the stream's ring came from the pool holding another flow's
     * bytes at those positions (a second reader's case: flow A's 1,000 bytes, then flow B's first 500 lost).
     */
    @Test
    void aRetransmissionIntoADeclaredHoleIsNotComparedWithAnotherFlowsBytes() {
        List<String> overlaps = new ArrayList<>();
        StreamConfig small = new StreamConfig(OverlapPolicy.FIRST, 1 << 20, 100, 1 << 20);
        TcpReassembler r = new TcpReassembler(FlowTable.defaults(), small, overlapsInto(overlaps), ended::add);
        byte[] a = new byte[1000];
        java.util.Arrays.fill(a, (byte) 'A');
        java.util.function.IntFunction<PacketBuilder> from = port -> PacketBuilder.ethernet()
                .ipv4("10.0.0.1", "10.0.0.2").tcp(port, 80);
        feed(r, from.apply(41000).seq(999).flags(TcpFlags.SYN).build(), 1);
        feed(r, from.apply(41000).seq(1000).payload(a).build(), 2);
        feed(r, from.apply(41000).seq(2000).flags(TcpFlags.RST).build(), 3); // the ring goes back to the pool
        byte[] b = new byte[700];
        java.util.Arrays.fill(b, (byte) 'B');
        feed(r, from.apply(42000).seq(999).flags(TcpFlags.SYN).build(), 4);
        // offsets 0..499 lost; 200 bytes waiting past the hole are more than the gap window: the hole is declared
        feed(r, from.apply(42000).seq(1500).payload(java.util.Arrays.copyOfRange(b, 500, 700)).build(), 5);
        feed(r, from.apply(42000).seq(1000).payload(java.util.Arrays.copyOf(b, 500)).build(), 6); // late, same bytes
        feed(r, from.apply(42000).seq(1500).payload(java.util.Arrays.copyOfRange(b, 500, 700)).build(), 7); // again
        byte[] changed = java.util.Arrays.copyOfRange(b, 500, 700);
        changed[10] = 'X';
        feed(r, from.apply(42000).seq(1500).payload(changed).build(), 8); // delivered bytes do differ
        assertEquals(List.of("42000@500"), overlaps);
    }

    /** Two servers, one default (first) and one in a network configured as last: each resolves its overlap. */
    @Test
    void overlapPolicyChosenByTheReceivingHost() {
        FlowTexts texts = new FlowTexts();
        TcpReassembler r = new TcpReassembler(FlowTable.defaults(), StreamConfig.defaults(), texts, ended::add)
                .policiesBy(HostPolicies.parse(List.of("10.5.0.0/16=last", "10.5.9.9=windows"), OverlapPolicy.FIRST));
        for (String server : List.of("10.0.0.2", "10.5.0.2")) {
            java.util.function.Supplier<PacketBuilder> c = () -> PacketBuilder.ethernet().ipv4("10.0.0.1", server)
                    .tcp(40000, 80);
            feed(r, c.get().seq(100).flags(TcpFlags.SYN).build(), 1);
            feed(r, c.get().seq(105).payload("XXXXX").build(), 2);
            feed(r, c.get().seq(101).payload("abcdefghij").build(), 3);
        }
        r.finish();
        assertEquals("abcdXXXXXj", texts.text("10.0.0.2", 40000, 0), "first: the waiting bytes stay");
        assertEquals("abcdefghij", texts.text("10.5.0.2", 40000, 0), "last: the new bytes win");
    }

    /**
     * Ptacek and Newsham insertions: segments the receiving host would never accept, each carrying "EVIL" at the
     * offset where the real "GOOD" follows. Under the first policy an accepted decoy would win, so each case fails
     * unless the decoy is refused; each refusal is reported as its event. Run at ISNs around the wrap.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "isn {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {0L, 1L, 0xffffffffL, 0xffffffffL - 10})
    void insertionDecoysAreRefusedAndReported(long isn) {
        TcpReassembler r = reassembler(FlowTable.defaults(), StreamConfig.defaults());
        long c = isn;
        long sv = (isn + 12345) & 0xffffffffL;
        feed(r, c2s().ttl(64).seq(c).flags(TcpFlags.SYN).windowScale(2).build(), 1);
        feed(r, s2c().ttl(64).seq(sv).ack(c + 1).flags(TcpFlags.SYN | TcpFlags.ACK).window(1000).windowScale(3)
                .build(), 2);
        feed(r, c2s().ttl(64).seq(c + 1).ack(sv + 1).window(4000).build(), 3);
        // Data without ACK, a TTL that expires before the host, and data beyond the window (1000 << 3 + slack).
        feed(r, c2s().ttl(64).seq(c + 1).flags(TcpFlags.PSH).payload("EVIL").build(), 4);
        feed(r, c2s().ttl(50).seq(c + 1).ack(sv + 1).payload("EVIL").build(), 5);
        feed(r, c2s().ttl(64).seq((c + 1 + 8000 + StreamConfig.defaults().windowSlack() + 1) & 0xffffffffL).ack(sv + 1)
                .payload("EVIL").build(), 6);
        // Within the scaled window (1000 << 3 = 8000): accepted, waits for the bytes before it.
        feed(r, c2s().ttl(64).seq((c + 1 + 7996) & 0xffffffffL).ack(sv + 1).payload("TAIL").build(), 7);
        feed(r, c2s().ttl(63).seq(c + 1).ack(sv + 1).payload("GOOD").build(), 8);
        r.finish();
        String got = sink.text(0);
        assertEquals("GOOD", got.substring(0, 4));
        assertEquals("TAIL", got.substring(7996), "in-window data beyond a hole is kept");
        assertTrue(sink.events.contains("0:data_without_ack@0"), sink.events.toString());
        assertTrue(sink.events.contains("0:ttl_decoy@0"), sink.events.toString());
        assertTrue(sink.events.contains("0:out_of_window@" + (8000 + StreamConfig.defaults().windowSlack() + 1)),
                sink.events.toString());
    }

    /**
     * A global memcap of 1,000 out-of-order bytes shared by two flows: the second flow's 600 waiting bytes would pass
     * it. drop refuses that segment only; stop and bypass give the second flow up (bypass also marks it).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(MemcapAction.class)
    void globalMemcapAppliesTheNamedAction(MemcapAction action) {
        FlowTexts texts = new FlowTexts();
        TcpReassembler r = new TcpReassembler(FlowTable.defaults(),
                StreamConfig.defaults().withMemcap(1000, action), texts, ended::add);
        String waiting = "w".repeat(600);
        for (int port : new int[] {1111, 2222}) {
            java.util.function.Supplier<PacketBuilder> c = () -> PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2")
                    .tcp(port, 80);
            feed(r, c.get().seq(0).flags(TcpFlags.SYN).build(), 1);
            feed(r, c.get().seq(11).payload(waiting).build(), 2); // a 10-byte hole before it
        }
        assertEquals(1, r.count(StreamCount.MEMCAP_HITS));
        assertEquals(600, r.bufferedBytes(), "only the first flow's bytes wait");
        for (int port : new int[] {1111, 2222}) {
            feed(r, PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(port, 80).seq(1).payload("0123456789")
                    .build(), 3);
        }
        assertEquals(0, r.bufferedBytes(), "the hole filled: the first flow's bytes were delivered");
        assertEquals("0123456789" + waiting, texts.text("10.0.0.2", 1111, 0));
        switch (action) {
            case DROP -> assertEquals("0123456789", texts.text("10.0.0.2", 2222, 0), "the refused segment is missing");
            case STOP, BYPASS -> assertEquals(null, texts.text("10.0.0.2", 2222, 0),
                    "the flow was given up before any delivery");
        }
        assertTrue(texts.events.contains(FlowTexts.key("10.0.0.2", 2222, 0) + ":memcap"), texts.events.toString());
        r.finish();
        Flow second = ended.stream().filter(f -> f.clientPort() == 2222).findFirst().orElseThrow();
        assertEquals(action == MemcapAction.BYPASS, second.bypassed());
    }

    /** Simultaneous open (RFC 9293 3.5): SYNs cross, each side then SYN-ACKs; both directions reassemble. */
    @Test
    void simultaneousOpen() {
        TcpReassembler r = reassembler(FlowTable.defaults(), StreamConfig.defaults());
        feed(r, c2s().seq(100).flags(TcpFlags.SYN).windowScale(1).build(), 1);
        feed(r, s2c().seq(300).flags(TcpFlags.SYN).windowScale(1).build(), 2);
        feed(r, c2s().seq(100).ack(301).flags(TcpFlags.SYN | TcpFlags.ACK).window(500).build(), 3);
        feed(r, s2c().seq(300).ack(101).flags(TcpFlags.SYN | TcpFlags.ACK).window(500).build(), 4);
        feed(r, c2s().seq(101).ack(301).payload("hello").build(), 5);
        feed(r, s2c().seq(301).ack(106).payload("world").build(), 6);
        r.finish();
        assertEquals("hello", sink.text(0));
        assertEquals("world", sink.text(1));
        assertEquals(40000, ended.get(0).clientPort(), "the first SYN's sender is the client");
        assertTrue(sink.events.isEmpty(), sink.events.toString());
    }

    @Test
    void midStreamPickupUsesThePortHeuristic() {
        TcpReassembler r = reassembler(FlowTable.defaults(), StreamConfig.defaults());
        feed(r, s2c().seq(1000).payload("response").build(), 1);
        feed(r, c2s().seq(77).payload("request").build(), 2);
        r.finish();
        assertEquals(40000, ended.get(0).clientPort());
        assertEquals("request", sink.text(0));
        assertEquals("response", sink.text(1));
    }

    @Test
    void rstOnlyInWindowAndBadChecksumsOnRequest() {
        TcpReassembler r = new TcpReassembler(FlowTable.defaults(), StreamConfig.defaults(), sink, ended::add, true);
        feed(r, c2s().seq(100).flags(TcpFlags.SYN).build(), 1);
        feed(r, c2s().seq(101).payload("abc").build(), 2);
        feed(r, c2s().seq(101 + 3 + (5L << 20)).flags(TcpFlags.RST).build(), 3); // far outside: ignored
        feed(r, c2s().seq(104).payload("def").badTransportChecksum().build(), 4); // dropped
        feed(r, c2s().seq(104).payload("xyz").build(), 5);
        feed(r, c2s().seq(107).flags(TcpFlags.RST).build(), 6); // in window: ends the flow
        feed(r, c2s().seq(107).payload("late").build(), 7);
        assertEquals("abcxyz", sink.text(0));
        assertEquals(1, r.count(StreamCount.IGNORED_RST));
        assertEquals(1, r.count(StreamCount.BAD_CHECKSUM));
        assertTrue(sink.events.contains("0:rst@6"), sink.events.toString());
    }

    @Test
    void idleFlowsExpireAndTheTableEvictsAtItsCap() {
        FlowTable table = new FlowTable(2, 10_000, 10_000);
        TcpReassembler r = reassembler(table, StreamConfig.defaults());
        for (int i = 0; i < 3; i++) {
            feed(r, PacketBuilder.ethernet().ipv4("10.0.0." + (i + 1), "10.0.0.9").tcp(1000 + i, 80)
                    .flags(TcpFlags.SYN).build(), i);
        }
        assertEquals(2, table.size());
        assertEquals(1, table.evicted());
        feed(r, PacketBuilder.ethernet().ipv4("10.0.0.7", "10.0.0.9").tcp(7, 80).flags(TcpFlags.SYN).build(), 50_000);
        assertEquals(2, table.expired(), "both older flows were idle longer than 10 µs");
        assertEquals(1, table.size());
        assertEquals(3, ended.size());
    }

    /** A million SYNs from different ports stay within a 10,000-flow cap; every eviction is counted. */
    @Test
    void synFloodStaysWithinTheFlowCap() {
        FlowTable table = new FlowTable(10_000, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
        // Ports and addresses are rewritten in place without fixing checksums: validation off.
        TcpReassembler r = new TcpReassembler(table, StreamConfig.defaults(), sink, f -> { }, false);
        byte[] syn = c2s().seq(1).flags(TcpFlags.SYN).build();
        ByteBuffer b = ByteBuffer.wrap(syn);
        int portOffset = 14 + 20;
        for (int i = 0; i < 1_000_000; i++) {
            b.putShort(portOffset, (short) (1024 + i % 60000));
            b.putInt(14 + 12, 0x0a000000 | (i / 60000)); // vary the source address too
            r.packet(decoder.decode(b, 0, syn.length, syn.length, LinkType.ETHERNET, view), i);
        }
        assertEquals(10_000, table.size());
        assertEquals(1_000_000 - 10_000, table.evicted());
    }

    /** 100,000 out-of-order segments in one flow: the buffer limit holds and refusals are counted. */
    @Test
    void outOfOrderFloodStaysWithinTheBufferLimit() {
        TcpReassembler r = reassembler(FlowTable.defaults(), new StreamConfig(OverlapPolicy.FIRST, Long.MAX_VALUE,
                Long.MAX_VALUE, 1 << 20));
        feed(r, c2s().seq(0).flags(TcpFlags.SYN).build(), 0);
        byte[] payload = new byte[100];
        for (int i = 0; i < 100_000; i++) {
            // Every second 100-byte block, never the first: nothing can be delivered.
            feed(r, c2s().seq(1 + 200L + 200L * i).payload(payload).build(), i);
        }
        long memcap = sink.events.stream().filter(e -> e.contains("memcap")).count();
        assertEquals(100_000 - (1 << 20) / 100, memcap, "segments beyond 1 MiB of buffered data are refused");
        assertEquals(0, sink.text(0).length());
    }
    /**
     * A segment that came in IP fragments is checked as a whole once rebuilt: with checksum validation its bad copy
     * stays out of the stream (under the first policy an accepted bad copy would win over the good one after it).
     */
    @Test
    void aRebuiltSegmentWithABadChecksumStaysOutOfTheStream() {
        FlowTexts texts = new FlowTexts();
        TcpReassembler r = new TcpReassembler(FlowTable.defaults(), StreamConfig.defaults(), texts, ended::add, true)
                .defragmentWith(Defragmenter.defaults(DefragPolicy.FIRST, new PacketDecoder(false)));
        feed(r, c2s().seq(0).flags(TcpFlags.SYN).build(), 1);
        int id = 1;
        for (String data : new String[] {"EVIL".repeat(6), "GOOD".repeat(6)}) {
            PacketBuilder b = c2s().ipId(id++).seq(1).payload(data);
            for (byte[] f : (data.startsWith("EVIL") ? b.badTransportChecksum() : b).buildFragments(24)) {
                feed(r, f, 2);
            }
        }
        r.finish();
        assertEquals("GOOD".repeat(6), texts.text("10.0.0.2", 40000, 0));
    }
}
