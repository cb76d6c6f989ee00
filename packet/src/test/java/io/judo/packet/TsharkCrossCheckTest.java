package io.judo.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.decode.LinkType;
import io.judo.packet.testing.Counted;
import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.Frames;
import io.judo.packet.testing.SharedData;
import io.judo.packet.testing.TsharkCounts;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Packet and per-protocol counts equal tshark's, on real captures and on generated ones. */
class TsharkCrossCheckTest {
    @TempDir
    Path dir;

    static Stream<Path> sharedCaptures() throws Exception {
        return SharedData.captures().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedCaptures")
    void realCapturesMatchTshark(Path capture) throws Exception {
        SharedData.present(capture);
        assertEquals(TsharkCounts.of(capture), Counted.of(capture), capture.getFileName().toString());
    }

    @Test
    void generatedMixMatchesTshark() throws Exception {
        Path file = dir.resolve("mix.pcap");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            new TrafficGenerator(42).write(out, 20_000, Long.MAX_VALUE);
        }
        Map<String, Long> judo = Counted.of(file);
        assertEquals(TsharkCounts.of(file), judo);
        // The same capture converted by a peer tool to pcapng and to nanosecond pcap reads identically.
        ExternalTools.require("editcap");
        Path ng = dir.resolve("mix.pcapng");
        ExternalTools.run("editcap", "-F", "pcapng", file.toString(), ng.toString());
        assertEquals(judo, Counted.of(ng));
        Path nano = dir.resolve("mix-ns.pcap");
        ExternalTools.run("editcap", "-F", "nsecpcap", file.toString(), nano.toString());
        assertEquals(judo, Counted.of(nano));
    }

    /** Every link type, with IPv4, IPv6 (extension headers, fragments), VLAN stacks and SNAP where they apply. */
    @ParameterizedTest(name = "linktype {0}")
    @ValueSource(ints = {LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP,
        LinkType.RAW})
    void everyLinkTypeMatchesTshark(int linkType) throws Exception {
        List<byte[]> frames = new ArrayList<>(variety(linkType));
        Path file = Frames.writePcap(dir.resolve("link" + linkType + ".pcap"), linkType, frames);
        assertEquals(TsharkCounts.of(file), Counted.of(file));
    }

    static List<byte[]> variety(int linkType) {
        List<byte[]> f = new ArrayList<>();
        f.add(PacketBuilder.link(linkType).ipv4("10.1.1.1", "10.2.2.2").tcp(1234, 80).seq(1).flags(2).mss(1460)
                .windowScale(7).sackPermitted().timestamps(11, 0).build());
        f.add(PacketBuilder.link(linkType).ipv4("10.1.1.1", "10.2.2.2").udp(5353, 53).payload("hello").build());
        f.add(PacketBuilder.link(linkType).ipv4("10.1.1.1", "10.2.2.2").icmp(8, 0, 1).payload("ping").build());
        f.add(PacketBuilder.link(linkType).ipv6("2001:db8::1", "2001:db8::2").tcp(5555, 443).payload("x").build());
        f.add(PacketBuilder.link(linkType).ipv6("2001:db8::1", "2001:db8::2").ipv6Extension(0).ipv6Extension(60)
                .udp(1, 2).payload("ext").build());
        f.add(PacketBuilder.link(linkType).ipv6("fe80::1", "ff02::1").icmp(135, 0, 0).payload(new byte[20]).build());
        f.addAll(PacketBuilder.link(linkType).ipv4("10.1.1.1", "10.2.2.2").ipId(77).udp(9, 9)
                .payload(new byte[3000]).buildFragments(1000));
        f.addAll(PacketBuilder.link(linkType).ipv6("2001:db8::1", "2001:db8::2").fragment(0, false, 99).udp(9, 9)
                .payload(new byte[2500]).buildFragments(1200));
        f.add(PacketBuilder.link(linkType).ipv4("10.1.1.1", "10.2.2.2").ipv4Options((byte) 1, (byte) 1, (byte) 0)
                .tcp(1, 2).build());
        if (linkType == LinkType.ETHERNET) {
            f.add(PacketBuilder.ethernet().vlan(10).ipv4("10.1.1.1", "10.2.2.2").tcp(1, 2).build());
            f.add(PacketBuilder.ethernet().qinq().vlan(100).vlan(200).ipv6("::1", "::2").udp(1, 2).build());
            f.add(PacketBuilder.ethernet().snap().ipv4("10.1.1.1", "10.2.2.2").tcp(1, 2).build());
        }
        return f;
    }
}
