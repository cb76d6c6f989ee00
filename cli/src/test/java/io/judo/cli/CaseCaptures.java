package io.judo.cli;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The traffic of each rule case directory (src/test/resources/cases/NAME), built with the project's packet builders.
 * {@code CaseDirectoryTest} checks that each directory's capture.pcap is exactly what this builds.
 */
final class CaseCaptures {
    private static final String CLIENT = "192.168.1.10";

    private CaseCaptures() {
    }

    static byte[] pcap(String name) {
        List<byte[]> frames = frames(name);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, 65535, false)) {
            long t = 1_700_000_000_000_000_000L;
            for (byte[] f : frames) {
                w.write(t += 1_000_000, f, 0, f.length, f.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<byte[]> frames(TcpConversation c) {
        return c.frames().stream().map(TcpConversation.Frame::bytes).toList();
    }

    private static TcpConversation tcp(String server, int port, long isn) {
        return new TcpConversation(PacketBuilder::ethernet, CLIENT, 40000, server, port, isn, 900_000L);
    }

    static List<byte[]> frames(String name) {
        List<byte[]> out = new ArrayList<>();
        switch (name) {
            case "split-content" -> out.addAll(frames(tcp("203.0.113.80", 80, 0xFFFF_FFF0L).mss(7).handshake()
                    .clientSends(ascii("GET /?q=EVIL-PAYLOAD-MARKER HTTP/1.0\r\n\r\n"))
                    .serverSends(ascii("HTTP/1.0 200 OK\r\nServer: Apache\r\n\r\n")).close()));
            case "relative-matches" -> out.addAll(frames(tcp("203.0.113.21", 21, 1000).handshake()
                    .clientSends(ascii("USER anonymous\r\nPASS secret\r\nRETR ../../etc/passwd\r\n"))
                    .serverSends(ascii("150 ok\r\n")).close()));
            case "flowbits" -> out.addAll(frames(tcp("203.0.113.80", 80, 77).handshake()
                    .clientSends(ascii("LOGIN bob\r\n")).serverSends(ascii("SECRET data\r\n"))
                    .serverSends(ascii("TRUSTED\r\n")).close()));
            case "header-keywords" -> {
                out.add(PacketBuilder.ethernet().ipv4(CLIENT, "203.0.113.23").ttl(3).tcp(40001, 23).seq(5)
                        .flags(TcpFlags.SYN).build());
                out.add(PacketBuilder.ethernet().ipv4("203.0.113.23", CLIENT).ttl(64).tcp(23, 40001).seq(9).ack(6)
                        .flags(TcpFlags.SYN | TcpFlags.ACK).build());
                out.add(PacketBuilder.ethernet().ipv4(CLIENT, "10.9.9.9").icmp(8, 0, 1).payload(ascii("abcd"))
                        .build());
                out.add(PacketBuilder.ethernet().ipv4("10.1.1.1", "8.8.8.8").udp(5353, 53).payload(ascii("xyz12345"))
                        .build());
                out.add(PacketBuilder.ethernet().ipv4("10.1.1.1", "8.8.8.8").udp(5353, 9).payload(ascii("nine"))
                        .build());
            }
            case "thresholds" -> {
                for (int i = 0; i < 10; i++) {
                    out.add(PacketBuilder.ethernet().ipv4(CLIENT, "10.2.2.2").udp(1000 + i, 9).payload(ascii("ping"))
                            .build());
                }
            }
            case "actions" -> out.addAll(frames(tcp("203.0.113.80", 80, 5000).handshake()
                    .clientSends(ascii("ONE TWO")).serverSends(ascii("THREE")).close()));
            case "judo-issue-lines" -> {
                out.add(PacketBuilder.ethernet().ipv4(CLIENT, "10.0.0.23").tcp(40001, 23).seq(1).flags(TcpFlags.SYN)
                        .build());
                out.addAll(frames(tcp("10.1.2.3", 80, 1000).handshake().clientSends(ascii("GET / HTTP/1.1\r\n\r\n"))
                        .serverSends(ascii("HTTP/1.1 200 OK\r\nServer: Apache/2.4\r\n\r\n"))
                        .clientSends(ascii("GET /again HTTP/1.1\r\n\r\n")).close()));
            }
            case "judo-stream-block" -> out.addAll(frames(tcp("10.1.2.3", 80, 0xFFFF_FFF0L).mss(6).handshake()
                    .clientSends(ascii("hello EVIL-MARKER world and more")).serverSends(ascii("ok")).close()));
            default -> throw new IllegalArgumentException("no capture builder for case " + name);
        }
        return out;
    }
}
