package io.judo.packet.build;

import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Writes a deterministic (seeded) mix of traffic to a pcap: HTTP-like TCP conversations over IPv4 and IPv6 (some
 * VLAN-tagged, requests and responses of varied sizes), DNS-like UDP, ICMP and ICMPv6 echoes, and fragmented UDP.
 * Used by benchmarks, the peer cross-checks and anyone who needs a large realistic capture ({@code judo generate}).
 */
public final class TrafficGenerator {
    private final SplittableRandom random;
    private long time = 1_700_000_000_000_000_000L;
    private long packets;
    private long bytes;

    public TrafficGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Writes conversations until at least {@code maxPackets} packets or {@code maxBytes} bytes are written. */
    public void write(OutputStream out, long maxPackets, long maxBytes) throws IOException {
        PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false);
        while (packets < maxPackets && bytes < maxBytes) {
            int kind = random.nextInt(100);
            if (kind < 62) {
                tcp(w, false);
            } else if (kind < 72) {
                tcp(w, true);
            } else if (kind < 88) {
                dns(w);
            } else if (kind < 95) {
                ping(w);
            } else {
                fragmentedUdp(w);
            }
        }
        w.close();
    }

    /** Packets written by {@link #write}. */
    public long packets() {
        return packets;
    }

    private void emit(PcapWriter w, byte[] frame) throws IOException {
        w.write(time, frame, 0, frame.length, frame.length);
        time += 1000 + random.nextInt(20_000);
        packets++;
        bytes += frame.length + 16;
    }

    private Supplier<PacketBuilder> link() {
        int vlan = random.nextInt(10) == 0 ? 100 + random.nextInt(50) : 0;
        return vlan == 0 ? PacketBuilder::ethernet : () -> PacketBuilder.ethernet().vlan(vlan);
    }

    private String v4() {
        return "10." + random.nextInt(4) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private String v6() {
        return "2001:db8:" + Integer.toHexString(random.nextInt(16)) + "::" + Integer.toHexString(1 + random.nextInt(0xfffe));
    }

    private void tcp(PcapWriter w, boolean ipv6) throws IOException {
        String client = ipv6 ? v6() : v4();
        String server = ipv6 ? v6() : v4();
        int port = random.nextInt(4) == 0 ? 443 : 80;
        TcpConversation c = new TcpConversation(link(), client, 1024 + random.nextInt(60000), server, port,
                random.nextLong() & 0xffffffffL, random.nextLong() & 0xffffffffL).clock(time, 3000);
        c.handshake();
        int exchanges = 1 + random.nextInt(3);
        for (int i = 0; i < exchanges; i++) {
            c.clientSends(request());
            c.serverSends(response());
        }
        c.close();
        for (TcpConversation.Frame f : c.frames()) {
            emit(w, f.bytes());
        }
    }

    private byte[] request() {
        String path = "/item/" + random.nextInt(100_000);
        return ("GET " + path + " HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: judo-generator/1.0\r\n"
                + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] response() {
        int size = random.nextInt(10) < 7 ? 200 + random.nextInt(2000) : 2000 + random.nextInt(20_000);
        StringBuilder sb = new StringBuilder(size + 128);
        sb.append("HTTP/1.1 200 OK\r\nServer: Apache/2.4.57\r\nContent-Length: ").append(size)
                .append("\r\nContent-Type: text/html\r\n\r\n");
        while (sb.length() < size + 100) {
            sb.append("<p>lorem ipsum dolor sit amet ").append(random.nextInt(1000)).append("</p>\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private void dns(PcapWriter w) throws IOException {
        String client = v4();
        String server = "10.255.0.53";
        int port = 1024 + random.nextInt(60000);
        byte[] query = ("\u0012\u0034\u0001\u0000\u0000\u0001\u0000\u0000\u0000\u0000\u0000\u0000"
                + "\u0003www\u0007example\u0003com\u0000\u0000\u0001\u0000\u0001").getBytes(StandardCharsets.ISO_8859_1);
        emit(w, link().get().ipv4(client, server).udp(port, 53).payload(query).build());
        byte[] answer = new byte[query.length + 16];
        System.arraycopy(query, 0, answer, 0, query.length);
        answer[2] = (byte) 0x81;
        answer[3] = (byte) 0x80;
        emit(w, link().get().ipv4(server, client).udp(53, port).payload(answer).build());
    }

    private void ping(PcapWriter w) throws IOException {
        boolean v6 = random.nextBoolean();
        String a = v6 ? v6() : v4();
        String b = v6 ? v6() : v4();
        int id = random.nextInt(65536);
        byte[] data = new byte[56];
        random.nextBytes(data);
        PacketBuilder req = link().get();
        PacketBuilder rep = link().get();
        if (v6) {
            emit(w, req.ipv6(a, b).icmp(128, 0, id << 16 | 1).payload(data).build());
            emit(w, rep.ipv6(b, a).icmp(129, 0, id << 16 | 1).payload(data).build());
        } else {
            emit(w, req.ipv4(a, b).icmp(8, 0, id << 16 | 1).payload(data).build());
            emit(w, rep.ipv4(b, a).icmp(0, 0, id << 16 | 1).payload(data).build());
        }
    }

    private void fragmentedUdp(PcapWriter w) throws IOException {
        byte[] data = new byte[3000 + random.nextInt(3000)];
        random.nextBytes(data);
        boolean v6 = random.nextInt(3) == 0;
        PacketBuilder b = link().get();
        if (v6) {
            b.ipv6(v6(), v6());
        } else {
            b.ipv4(v4(), v4()).ipId(random.nextInt(65536));
        }
        b.fragment(0, false, random.nextInt(1 << 30));
        List<byte[]> frags = b.udp(5000 + random.nextInt(1000), 7000).payload(data).buildFragments(1400);
        for (byte[] f : frags) {
            emit(w, f);
        }
    }
}
