package io.judo.packet.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.testing.Frames;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Build packets with the project's builders, write a pcap, read it back, decode, and compare with what was built. */
class RoundTripProperties {
    record Spec(int link, boolean v6, int proto, int srcPort, int dstPort, long seq, int vlan, byte[] payload,
                int ttl) {
        byte[] build() {
            PacketBuilder b = PacketBuilder.link(link);
            if (link == LinkType.ETHERNET && vlan > 0) {
                b.vlan(vlan);
            }
            if (v6) {
                b.ipv6("2001:db8::1:" + Integer.toHexString(srcPort), "2001:db8::2:" + Integer.toHexString(dstPort));
            } else {
                b.ipv4("10.0." + (srcPort & 0xff) + ".1", "10.1." + (dstPort & 0xff) + ".2");
            }
            b.ttl(ttl);
            switch (proto) {
                case 6: b.tcp(srcPort, dstPort).seq(seq).ack(seq ^ 0x5555).flags(0x18).timestamps(seq, 1); break;
                case 17: b.udp(srcPort, dstPort); break;
                default: b.icmp(v6 ? 128 : 8, 0, srcPort);
            }
            return b.payload(payload).build();
        }
    }

    @Provide
    Arbitrary<Spec> specs() {
        return Combinators.combine(
                Arbitraries.of(LinkType.ETHERNET, LinkType.RAW, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL),
                Arbitraries.of(true, false), Arbitraries.of(6, 17, 1),
                Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535),
                Arbitraries.longs().between(0, 0xffffffffL), Arbitraries.integers().between(0, 4095),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(1400))
                .as((link, v6, proto, sp, dp, seq, vlan, payload) -> new Spec(link, v6, proto, sp, dp, seq, vlan,
                        payload, 1 + (sp % 255)));
    }

    @Provide
    Arbitrary<List<Spec>> captures() {
        return specs().list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 200)
    void writeReadDecodeGivesBackWhatWasBuilt(@ForAll("captures") List<Spec> specs,
                                              @ForAll boolean nanos) throws Exception {
        int link = specs.get(0).link();
        List<byte[]> frames = new ArrayList<>();
        for (Spec s : specs) {
            frames.add(new Spec(link, s.v6(), s.proto(), s.srcPort(), s.dstPort(), s.seq(), s.vlan(), s.payload(),
                    s.ttl()).build());
        }
        byte[] pcap = Frames.pcap(link, frames, nanos);
        PacketDecoder decoder = new PacketDecoder();
        PacketView v = new PacketView();
        PacketRecord rec = new PacketRecord();
        try (CaptureReader r = Captures.open(pcap)) {
            for (int i = 0; i < specs.size(); i++) {
                assertEquals(ReadStatus.RECORD, r.next(rec));
                assertArrayEquals(frames.get(i), rec.toBytes());
                Spec s = specs.get(i);
                decoder.decode(rec, v);
                assertFalse(v.malformed(), "problems " + Long.toBinaryString(v.problems()));
                assertEquals(s.v6() ? 6 : 4, v.ipVersion());
                assertEquals(s.ttl(), v.ttl());
                assertEquals(s.proto() == 1 && s.v6() ? 58 : s.proto(), v.ipProtocol());
                if (s.proto() != 1) {
                    assertEquals(s.srcPort(), v.srcPort());
                    assertEquals(s.dstPort(), v.dstPort());
                }
                if (s.proto() == 6) {
                    assertEquals(s.seq(), v.seq());
                    assertEquals(s.seq(), v.tsValue());
                }
                if (link == LinkType.ETHERNET) {
                    assertEquals(s.vlan() > 0 ? 1 : 0, v.vlanCount());
                    assertEquals(s.vlan(), v.vlanOuter());
                }
                assertEquals(s.payload().length, v.payloadLength());
                byte[] payload = new byte[v.payloadLength()];
                v.buffer().get(v.payloadOffset(), payload);
                assertArrayEquals(s.payload(), payload);
            }
            assertEquals(ReadStatus.END, r.next(rec));
        }
    }
}
