package io.judo.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.testing.Frames;
import io.judo.packet.testing.TsharkTcp;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reject answers read back by tshark (the oracle for fields and checksums); the namespace test in cli shows real
 * stacks accepting them. Numbers are worked out by hand from RFC 9293 section 3.10.7.1 and RFC 792 / 4443.
 */
class RejectReplyTest {
    private static final byte[] CLIENT_MAC = {2, 0, 0, 0, 0, 1};
    private static final byte[] SERVER_MAC = {2, 0, 0, 0, 0, 2};

    @TempDir
    Path dir;

    private static byte[] answer(RejectReply r, byte[] frame) {
        PacketView v = new PacketDecoder(true).decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length,
                LinkType.ETHERNET, new PacketView());
        int n = r.build(v);
        return n == 0 ? null : Arrays.copyOf(r.output(), n);
    }

    private List<String> tshark(List<byte[]> frames, String... fields) throws Exception {
        Path pcap = Frames.writePcap(dir.resolve("replies.pcap"), LinkType.ETHERNET, frames);
        return TsharkTcp.fields(pcap, null, fields);
    }

    @Test
    void tcpGetsAResetFromItsDestinationInTheSpaceItExpects() throws Exception {
        RejectReply r = new RejectReply();
        byte[] syn = PacketBuilder.ethernet().macs(CLIENT_MAC, SERVER_MAC).ipv4("10.0.0.1", "10.0.0.2")
                .tcp(40000, 80).seq(1000).flags(TcpFlags.SYN).build();
        byte[] data = PacketBuilder.ethernet().macs(CLIENT_MAC, SERVER_MAC).ipv6("fd00::1", "fd00::2")
                .tcp(40001, 443).seq(5000).ack(777_777).flags(TcpFlags.ACK | TcpFlags.PSH).payload("hello").build();
        List<byte[]> replies = new ArrayList<>();
        replies.add(answer(r, syn));
        replies.add(answer(r, data));
        List<String> lines = tshark(replies, "eth.src", "eth.dst", "ip.src", "ipv6.src", "tcp.srcport",
                "tcp.dstport", "tcp.flags.str", "tcp.seq_raw", "tcp.ack_raw", "tcp.checksum.status",
                "ip.checksum.status");
        // the SYN had no ACK: RST+ACK with seq 0 acknowledging the SYN (1000 + 1)
        assertEquals("02:00:00:00:00:02\t02:00:00:00:00:01\t10.0.0.2\t\t80\t40000\t·······A·R··\t0\t1001\t1\t1",
                lines.get(0));
        // data with ACK: a bare RST whose sequence number is that acknowledgement
        assertEquals("02:00:00:00:00:02\t02:00:00:00:00:01\t\tfd00::2\t443\t40001\t·········R··\t777777\t0\t1\t",
                lines.get(1));
        assertEquals(2, r.tcpResets());
        // a reset is never answered
        assertEquals(null, answer(r, PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2)
                .flags(TcpFlags.RST).build()));
    }

    @Test
    void udpGetsPortUnreachableQuotingThePacket() throws Exception {
        RejectReply r = new RejectReply();
        byte[] v4 = PacketBuilder.ethernet().macs(CLIENT_MAC, SERVER_MAC).ipv4("10.0.0.1", "10.0.0.2")
                .udp(5353, 9999).payload("a datagram longer than eight bytes").build();
        byte[] v6 = PacketBuilder.ethernet().macs(CLIENT_MAC, SERVER_MAC).ipv6("fd00::1", "fd00::2")
                .udp(5353, 9999).payload("a datagram").build();
        List<String> lines = tshark(List.of(answer(r, v4), answer(r, v6)), "ip.src", "ipv6.src", "icmp.type",
                "icmp.code", "icmpv6.type", "icmpv6.code", "icmp.checksum.status", "icmpv6.checksum.status",
                "ip.checksum.status", "frame.len", "udp.dstport");
        // IPv4: 14 + 20 + 8 + quoted IP header (20) and 8 bytes of UDP = 70; tshark decodes the quoted headers
        assertEquals("10.0.0.2,10.0.0.1\t\t3\t3\t\t\t1\t\t1,1\t70\t9999", lines.get(0));
        // IPv6: the whole packet quoted (40 + 8 + 10 bytes): 14 + 40 + 8 + 58 = 120
        assertEquals("\tfd00::2,fd00::1\t\t\t1\t4\t\t1\t\t120\t9999", lines.get(1));
        // never an error about an error
        byte[] icmp = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").icmp(3, 3, 0).build();
        assertEquals(null, answer(r, icmp));
        assertEquals(2, r.unreachables());
    }
}
