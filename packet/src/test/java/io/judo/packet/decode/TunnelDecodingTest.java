package io.judo.packet.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.Addresses;
import io.judo.packet.build.Encapsulation;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.flow.FlowKey;
import io.judo.packet.testing.Counted;
import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.Frames;
import io.judo.packet.testing.TsharkCounts;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every encapsulation the decoder reads, built by {@link Encapsulation} around a real TCP conversation and checked
 * against tshark's dissection: per-protocol counts, and per frame the innermost addresses, ports, sequence numbers and
 * payload lengths, the outermost addresses and the tunnel depth.
 */
class TunnelDecodingTest {
    @TempDir
    Path dir;

    static List<byte[]> conversation(Encapsulation kind) {
        boolean v6 = kind.innerIpv6();
        String client = v6 ? "2001:db8:1::10" : "10.1.0.10";
        String server = v6 ? "2001:db8:2::20" : "10.2.0.20";
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, client, 40001, server, 80, 1000, 5000)
                .handshake()
                .clientSends("GET /inner HTTP/1.1\r\nHost: tunnel.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII))
                .close();
        PacketDecoder decoder = new PacketDecoder(false);
        PacketView v = new PacketView();
        List<byte[]> out = new ArrayList<>();
        for (TcpConversation.Frame f : c.frames()) {
            byte[] inner = f.bytes();
            decoder.decode(ByteBuffer.wrap(inner), 0, inner.length, inner.length, LinkType.ETHERNET, v);
            out.add(kind.wrap(inner, v.srcAddressText().equals(client)));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Encapsulation.class)
    void innerPacketsAreTsharksInnermostHeaders(Encapsulation kind) throws Exception {
        ExternalTools.require("tshark");
        List<byte[]> frames = conversation(kind);
        Path file = Frames.writePcap(dir.resolve(kind + ".pcap"), LinkType.ETHERNET, frames);
        String[] decodeAs = decodeAs(kind);
        assertEquals(TsharkCounts.of(file, decodeAs), Counted.of(file), kind + ": protocol counts");

        String ip = kind.innerIpv6() ? "ipv6" : "ip";
        String outer = kind == Encapsulation.FOUR_IN_SIX || kind == Encapsulation.SIX_IN_SIX ? "ipv6" : "ip";
        List<String> inner = fields(file, decodeAs, "l", ip + ".src", ip + ".dst", "tcp.srcport", "tcp.dstport",
                "tcp.seq_raw", "tcp.len");
        List<String> outermost = fields(file, decodeAs, "f", outer + ".src", outer + ".dst");
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView v = new PacketView();
        FlowKey first = new FlowKey();
        FlowKey key = new FlowKey();
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            decoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.ETHERNET, v);
            assertEquals(0, v.problems(), kind + " frame " + i + " problems");
            String judo = v.srcAddressText() + "\t" + v.dstAddressText() + "\t" + v.srcPort() + "\t" + v.dstPort()
                    + "\t" + v.seq() + "\t" + v.payloadLength();
            assertEquals(inner.get(i), judo, kind + " frame " + i);
            if (kind.tunnel()) {
                int depth = kind == Encapsulation.GRE_IN_GRE ? 2 : 1;
                assertEquals(depth, v.tunnelDepth(), kind + " depth");
                assertEquals(outermost.get(i), Addresses.format(v.tunnelSrc()) + "\t" + Addresses.format(v.tunnelDst()),
                        kind + " outer addresses, frame " + i);
                assertNotEquals(0, v.tunnelId());
                ids.add(v.tunnelId());
            } else {
                assertEquals(0, v.tunnelDepth(), kind + " is not a tunnel");
            }
            assertTrue(key.set(v));
            if (i == 0) {
                first.set(key);
            }
            assertEquals(first, key, kind + ": both directions are one flow");
        }
        if (kind.tunnel()) {
            assertEquals(1, ids.size(), kind + ": one tunnel id for both directions");
        }
    }

    @Test
    void sameInnerFlowInTwoTunnelsOrOutsideIsThreeFlows() {
        byte[] inner = PacketBuilder.ethernet().ipv4("10.1.0.10", "10.2.0.20").tcp(40001, 80).flags(2).build();
        byte[] viaGre = Encapsulation.GRE.wrap(inner, true);
        byte[] viaVxlan = Encapsulation.VXLAN.wrap(inner, true);
        PacketDecoder decoder = new PacketDecoder(true);
        Set<FlowKey> keys = new HashSet<>();
        for (byte[] f : List.of(inner, viaGre, viaVxlan)) {
            PacketView v = decoder.decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET,
                    new PacketView());
            assertEquals("10.1.0.10", v.srcAddressText());
            FlowKey k = new FlowKey();
            assertTrue(k.set(v));
            keys.add(k);
        }
        assertEquals(3, keys.size());
    }

    @Test
    void strayUdpToATunnelPortStaysUdp() {
        byte[] f = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1234, 4789).payload("not vxlan at all")
                .build();
        PacketView v = new PacketDecoder(true).decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET,
                new PacketView());
        assertEquals(0, v.tunnelDepth());
        assertEquals(4789, v.dstPort());
        assertEquals(16, v.payloadLength());
        assertTrue(!v.has(Protocol.VXLAN));
    }

    @Test
    void tunnelsNestedPastTheLimitAreRefused() {
        byte[] f = PacketBuilder.ethernet().ipv4("10.1.0.10", "10.2.0.20").tcp(1, 2).build();
        for (int i = 0; i < EncapsulationDecoder.MAX_TUNNEL_DEPTH + 2; i++) {
            f = Encapsulation.IPIP.wrap(f, true);
        }
        PacketView v = new PacketDecoder(true).decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET,
                new PacketView());
        assertTrue(v.has(Malformed.TOO_MANY_LAYERS));
        assertEquals(EncapsulationDecoder.MAX_TUNNEL_DEPTH, v.tunnelDepth());
    }

    @Test
    void truncatedGreIsCountedAndKeepsTheOuterPacket() {
        byte[] f = PacketBuilder.ethernet().ipv4("192.0.2.1", "192.0.2.2").rawTransport(47, new byte[] {0x20, 0})
                .build();
        PacketView v = new PacketDecoder(true).decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET,
                new PacketView());
        assertTrue(v.has(Malformed.TRUNCATED_ENCAPSULATION));
        assertEquals("192.0.2.1", v.srcAddressText());
        assertEquals(47, v.ipProtocol());
        assertEquals(0, v.tunnelDepth());
    }

    /**
     * tshark's MPLS heuristic takes an Ethernet pseudowire whose MAC starts with a zero nibble for one with a control
     * word and the other way round (both frames here start 00:00); the oracle is told which the label carries.
     */
    private static String[] decodeAs(Encapsulation kind) {
        switch (kind) {
            case MPLS_PSEUDOWIRE:
                return new String[] {"-d", "mpls.label==100,pwethcw"};
            case MPLS_PSEUDOWIRE_NO_CONTROL_WORD:
                return new String[] {"-d", "mpls.label==101,pwethnocw"};
            default:
                return new String[0];
        }
    }

    private static List<String> fields(Path file, String[] options, String occurrence, String... names)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-o", "tcp.relative_sequence_numbers:FALSE", "-T", "fields", "-E",
                "occurrence=" + occurrence));
        for (String n : names) {
            cmd.add("-e");
            cmd.add(n);
        }
        List<String> lines = new ArrayList<>();
        for (String line : ExternalTools.run(cmd).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
