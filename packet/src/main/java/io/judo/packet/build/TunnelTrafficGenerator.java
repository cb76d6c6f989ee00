package io.judo.packet.build;

import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * HTTP connections carried through every {@link Encapsulation} in turn (GRE, ERSPAN, PPTP, IP-in-IP, VXLAN, Geneve,
 * Teredo, MPLS, PPPoE, NSH, QinQ): what {@code judo generate --tunnels} writes, to show and measure detection inside
 * tunnels. Each connection asks for {@code /tunnel/<KIND>} so an alert names the tunnel it came through.
 */
public final class TunnelTrafficGenerator {
    private static final Encapsulation[] KINDS = Encapsulation.values();
    private final SplittableRandom random;
    private final PacketDecoder decoder = new PacketDecoder(false);
    private final PacketView view = new PacketView();
    private long time = 1_700_000_000_000_000_000L;
    private long packets;
    private long connections;

    public TunnelTrafficGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Writes connections until at least {@code maxPackets} packets or {@code maxBytes} bytes are written. */
    public void write(OutputStream out, long maxPackets, long maxBytes) throws IOException {
        PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false);
        long bytes = 0;
        while (packets < maxPackets && bytes < maxBytes) {
            Encapsulation kind = KINDS[(int) (connections % KINDS.length)];
            boolean v6 = kind.innerIpv6();
            int n = (int) (connections / KINDS.length) % 250 + 1;
            String client = v6 ? "2001:db8:1::" + Integer.toHexString(n) : "10.1.0." + n;
            String server = v6 ? "2001:db8:2::80" : "10.2.0.80";
            String body = "x".repeat(random.nextInt(2000));
            TcpConversation c = new TcpConversation(PacketBuilder::ethernet, client, 1024 + random.nextInt(60000),
                    server, 80, random.nextLong(), random.nextLong()).clock(time, 200_000L)
                    .handshake()
                    .clientSends(("GET /tunnel/" + kind + " HTTP/1.1\r\nHost: inner.example\r\n"
                            + "User-Agent: judo\r\n\r\n").getBytes(StandardCharsets.US_ASCII))
                    .serverSends(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.US_ASCII))
                    .close();
            for (TcpConversation.Frame f : c.frames()) {
                byte[] inner = f.bytes();
                decoder.decode(ByteBuffer.wrap(inner), 0, inner.length, inner.length, LinkType.ETHERNET, view);
                byte[] frame = kind.wrap(inner, view.srcAddressText().equals(client));
                w.write(f.timestampNanos(), frame, 0, frame.length, frame.length);
                bytes += frame.length + 16;
                packets++;
            }
            time = c.clock() + 1_000_000L;
            connections++;
        }
        w.close();
    }

    /** Packets written by {@link #write}. */
    public long packets() {
        return packets;
    }

    /** Connections written (one per encapsulation kind in turn). */
    public long connections() {
        return connections;
    }
}
