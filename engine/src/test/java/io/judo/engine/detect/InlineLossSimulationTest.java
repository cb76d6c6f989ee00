package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.Engine;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.testing.RewritePieces;
import io.judo.reassembly.StreamConfig;
import io.judo.rewrite.SegmentRewriter;
import io.judo.rules.judo.JudoCompiler;
import io.judo.rules.judo.JudoParser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The inline bridge between two modelled TCP stacks, without namespaces: a sender that cuts its stream at random
 * points, keeps what it sent as Linux keeps its retransmission queue (a partly acknowledged segment is trimmed to the
 * acknowledgement, small ones are collapsed up to the MSS when sent again, SACKed ones are not sent again) and sends
 * again on a timeout; frames lost before and after the bridge; a receiver that reassembles what the bridge sent and
 * acknowledges it, with a SACK block, through the bridge. Every byte the receiver gets must be the byte of the
 * rewritten stream at that offset (the oracle: the stream with every occurrence replaced, computed independently),
 * and the transfer must finish. The response is made of the pieces of the namespace test (issue 15).
 */
class InlineLossSimulationTest {
    private static final String POLICY = String.join("\n", "pass all",
            "match proto tcp from any port 9000 replace \"ORIGINAL\" with \"REWRITTEN-MUCH-LONGER\"",
            "match proto tcp from any port 9000 replace \"shrinkme-please\" with \"s\"",
            "match proto tcp from any to any port 9000 replace \"CLIENTSAYS\" with \"CLIENT-SAYS-SOMETHING-ELSE\"");
    private static final int MSS = 1448;
    private static final long STEP = 20_000L;
    private static final long RTO = 30_000_000L;


    private static byte[] rewritten(byte[] body) {
        return new String(body, StandardCharsets.ISO_8859_1).replace("ORIGINAL", "REWRITTEN-MUCH-LONGER")
                .replace("shrinkme-please", "s").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One transfer through the bridge. */
    private static final class Transfer {
        final Random r;
        final long seed;
        final PolicyEngine judo;
        final SegmentRewriter rewriter = SegmentRewriter.inline();
        final PacketDecoder decoder = new PacketDecoder(true);
        final byte[] body;
        final byte[] expected;
        final long clientIsn;
        final long serverIsn;
        final double lossIn;
        final double lossOut;
        final boolean smallWrites;
        long time = 1_000_000_000L;
        /** The sender: what it sent and not yet had acknowledged: [start, end) stream offsets, SACKed, PSH. */
        final List<long[]> queue = new ArrayList<>();
        long una;
        long nxt;
        long lastProgress;
        /** The client's acknowledgement of the server's stream, as the server sees it (translated by the bridge). */
        long serverAcksClient;
        /** The receiver's buffer, and what its application has not read yet (a slow reader reads late). */
        static final int RECEIVE_BUFFER = 8 * MSS;
        final boolean slowReader;
        int unread;
        /** The receiver's window as the sender last heard it. */
        long peerWindow = RECEIVE_BUFFER;
        /** The receiver: rewritten-space stream offsets. */
        final TreeMap<Long, byte[]> outOfOrder = new TreeMap<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final StringBuilder trace = new StringBuilder();

        Transfer(long seed) {
            this.seed = seed;
            this.r = new Random(seed);
            JudoParser.Result p = JudoParser.parse(POLICY, "t.judo");
            judo = new PolicyEngine(JudoCompiler.compile(p.policy()), Engine.DFA, StreamConfig.defaults(), true,
                    l -> { });
            body = RewritePieces.of(r, 2_000 + r.nextInt(40_000));
            expected = rewritten(body);
            clientIsn = r.nextBoolean() ? 0xffffffffL - r.nextInt(50_000) : r.nextInt() & 0xffffffffL;
            serverIsn = r.nextBoolean() ? 0xffffffffL - r.nextInt(50_000) : r.nextInt() & 0xffffffffL;
            lossIn = r.nextInt(3) * 0.02;
            lossOut = r.nextInt(3) * 0.02;
            smallWrites = r.nextBoolean();
            slowReader = r.nextBoolean();
        }

        private PacketBuilder server() {
            return PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").tcp(9000, 40000);
        }

        private PacketBuilder client() {
            return PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 9000);
        }

        private PacketView decode(byte[] frame, int offset, int length) {
            return decoder.decode(ByteBuffer.wrap(frame, offset, length), offset, length, length, LinkType.ETHERNET,
                    new PacketView());
        }

        /** Through the bridge; returns the frames it sends on (after the MTU split), copied. */
        private List<byte[]> bridge(byte[] frame) {
            time += STEP;
            List<byte[]> out = new ArrayList<>();
            PacketView v = decode(frame, 0, frame.length);
            judo.packet(v, time);
            int n = judo.rewriteLast(rewriter, 0);
            if (n > 0) {
                int count = rewriter.split(n, v, 1500);
                if (count > 1) {
                    for (int i = 0; i < count; i++) {
                        out.add(Arrays.copyOfRange(rewriter.pieces(), rewriter.pieceOffset(i),
                                rewriter.pieceOffset(i) + rewriter.pieceLength(i)));
                    }
                } else {
                    out.add(Arrays.copyOf(rewriter.output(), n));
                }
            } else if (n == 0) {
                out.add(frame);
            } else {
                assertTrue(n == PolicyRewrites.OUT_OF_ORDER || n == SegmentRewriter.SPLIT_EDIT,
                        "seed " + seed + ": the bridge refused a segment: " + n);
                trace.append(" dropped(").append(n).append(')');
            }
            return out;
        }

        /** The bridge's timer: held bytes that waited long enough go out alone. */
        private void tick() {
            judo.flushHeld(time, false, rewriter, (port, frame, length) -> {
                trace.append(" flushed@").append(time / 1_000_000);
                toClient(Arrays.copyOf(frame, length));
            });
        }

        void run() {
            for (byte[] f : List.of(
                    client().seq(clientIsn).flags(TcpFlags.SYN).mss(MSS).sackPermitted().build(),
                    server().seq(serverIsn).ack(clientIsn + 1).flags(TcpFlags.SYN | TcpFlags.ACK).mss(MSS)
                            .sackPermitted().build(),
                    client().seq(clientIsn + 1).ack(serverIsn + 1).flags(TcpFlags.ACK).build())) {
                for (byte[] o : bridge(f)) {
                    decode(o, 0, o.length); // the handshake passes
                }
            }
            byte[] request = "GET /CLIENTSAYS/x HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            List<byte[]> req = bridge(client().seq(clientIsn + 1).ack(serverIsn + 1).flags(TcpFlags.ACK | TcpFlags.PSH)
                    .payload(request).build());
            PacketView rv = decode(req.get(0), 0, req.get(0).length);
            byte[] got = new byte[rv.payloadLength()];
            rv.buffer().get(rv.payloadOffset(), got);
            assertEquals("GET /CLIENT-SAYS-SOMETHING-ELSE/x HTTP/1.0\r\n\r\n",
                    new String(got, StandardCharsets.ISO_8859_1));
            serverAcksClient = clientIsn + 1 + got.length;
            lastProgress = time;
            long steps = 0;
            while (una < body.length) {
                assertTrue(++steps < 2_000_000 && time < 1_000_000_000L + 600_000_000_000L, "seed " + seed
                        + ": the transfer stalled at " + una + " of " + body.length + " acknowledged, receiver at "
                        + received.size() + " of " + expected.length + ";" + tail());
                boolean windowFull = nxt - una >= Math.min(16 * MSS, peerWindow); // its own, or the receiver's
                if (nxt < body.length && !windowFull) {
                    int len = smallWrites && r.nextBoolean() ? 1 + r.nextInt(MSS) : MSS;
                    long end = Math.min(Math.min(body.length, nxt + len), una + peerWindow);
                    // PSH as Linux sets it: where a write emptied the send queue (the end, or now and then)
                    boolean push = end == body.length || r.nextInt(30) == 0;
                    queue.add(new long[] {nxt, end, 0, push ? 1 : 0});
                    long from = nxt;
                    nxt = end; // before the acknowledgement that comes back at once
                    send(from, end, push, false);
                    if (push) {
                        time += r.nextInt(5) * 1_000_000L; // the application's next write, within the hold time
                    }
                } else if (time - lastProgress > RTO) {
                    retransmit();
                } else if (windowFull && r.nextInt(4) == 0) {
                    // a slow reader: the application reads late, the receiver's window opens then
                    time += 15_000_000L;
                    if (unread > 0) {
                        unread = 0;
                        acknowledge();
                    }
                } else {
                    time += 1_000_000L;
                }
                tick();
            }
            assertEquals(new String(expected, StandardCharsets.ISO_8859_1),
                    received.toString(StandardCharsets.ISO_8859_1), "seed " + seed);
        }

        private String tail() {
            return trace.length() > 3000 ? trace.substring(trace.length() - 3000) : trace.toString();
        }

        /** Sends [from, to) of the stream as one segment. */
        private void send(long from, long to, boolean push, boolean again) {
            trace.append(again ? " R" : " S").append(from).append('-').append(to);
            byte[] payload = Arrays.copyOfRange(body, (int) from, (int) to);
            byte[] frame = server().seq(serverIsn + 1 + from).ack(serverAcksClient).flags(TcpFlags.ACK
                    | (push ? TcpFlags.PSH : 0)).payload(payload).build();
            if (r.nextDouble() < lossIn) {
                trace.append(" lost-in");
                time += STEP;
                return;
            }
            for (byte[] o : bridge(frame)) {
                toClient(o);
            }
        }

        /** On a timeout: the unacknowledged, un-SACKed segments again, the first trimmed and collapsed. */
        private void retransmit() {
            trimAcked();
            if (!queue.isEmpty() && queue.get(0)[2] != 0) {
                for (long[] s : queue) {
                    s[2] = 0; // the acknowledgement points into SACKed data: the receiver reneged, forget them
                }
            }
            int sent = 0;
            for (int i = 0; i < queue.size() && sent < 4; i++) {
                long[] s = queue.get(i);
                if (s[2] != 0) {
                    continue;
                }
                // Linux's tcp_retrans_try_collapse: following segments join while the whole fits in one MSS
                while (i + 1 < queue.size() && queue.get(i + 1)[2] == 0
                        && queue.get(i + 1)[1] - s[0] <= MSS) {
                    s[1] = queue.get(i + 1)[1];
                    s[3] = queue.get(i + 1)[3];
                    queue.remove(i + 1);
                }
                send(s[0], s[1], s[3] != 0, true);
                sent++;
            }
            lastProgress = time;
        }

        private void trimAcked() {
            while (!queue.isEmpty() && queue.get(0)[1] <= una) {
                queue.remove(0);
            }
            if (!queue.isEmpty() && queue.get(0)[0] < una) {
                queue.get(0)[0] = una; // tcp_trim_head
            }
        }

        /** A frame the bridge sent toward the client: lost, or received, checked and acknowledged. */
        private void toClient(byte[] frame) {
            if (r.nextDouble() < lossOut) {
                trace.append(" lost-out");
                return;
            }
            PacketView v = decode(frame, 0, frame.length);
            assertEquals(0, v.problems(), "seed " + seed + ": a frame with a problem (checksum or length)");
            if (v.payloadLength() == 0) {
                return;
            }
            long at = (v.seq() - serverIsn - 1) & 0xffffffffL;
            byte[] p = new byte[v.payloadLength()];
            v.buffer().get(v.payloadOffset(), p);
            trace.append(" >").append(at).append('+').append(p.length);
            for (int i = 0; i < p.length; i++) {
                long o = at + i;
                if (o >= expected.length || expected[(int) o] != p[i]) {
                    int from = (int) Math.max(0, o - 30);
                    throw new AssertionError("seed " + seed + ": the receiver got a wrong byte at " + o + " (a segment"
                            + " at " + at + " of " + p.length + "): expected ..." + new String(expected, from,
                            (int) Math.min(expected.length, o + 30) - from, StandardCharsets.ISO_8859_1) + "... got ..."
                            + new String(p, Math.max(0, i - 30), Math.min(p.length, i + 30) - Math.max(0, i - 30),
                            StandardCharsets.ISO_8859_1) + "...;" + tail());
                }
            }
            long rcvNxt = received.size();
            if (slowReader) {
                unread += (int) Math.max(0, at + p.length - rcvNxt);
            }
            if (at + p.length > rcvNxt) {
                if (at <= rcvNxt) {
                    received.write(p, (int) (rcvNxt - at), (int) (at + p.length - rcvNxt));
                } else {
                    outOfOrder.merge(at, p, (a, b) -> a.length >= b.length ? a : b);
                }
            }
            while (!outOfOrder.isEmpty() && outOfOrder.firstKey() <= received.size()) {
                var e = outOfOrder.pollFirstEntry();
                long end = e.getKey() + e.getValue().length;
                if (end > received.size()) {
                    received.write(e.getValue(), (int) (received.size() - e.getKey()),
                            (int) (end - received.size()));
                }
            }
            acknowledge();
        }

        /** The receiver's acknowledgement (with one SACK block for the first data beyond a gap), via the bridge. */
        private void acknowledge() {
            long ack = serverIsn + 1 + received.size();
            PacketBuilder b = client().ack(ack).flags(TcpFlags.ACK).window(Math.max(0, RECEIVE_BUFFER - unread));
            if (!outOfOrder.isEmpty()) {
                long left = outOfOrder.firstKey();
                long right = left;
                for (var e : outOfOrder.entrySet()) {
                    if (e.getKey() > right) {
                        break;
                    }
                    right = Math.max(right, e.getKey() + e.getValue().length);
                }
                b.sack(serverIsn + 1 + left, serverIsn + 1 + right);
            }
            // client's own seq: the original space after the request (the bridge moves it)
            b.seq(clientIsn + 1 + "GET /CLIENTSAYS/x HTTP/1.0\r\n\r\n".length());
            for (byte[] o : bridge(b.build())) {
                PacketView v = decode(o, 0, o.length);
                long acked = (v.ack() - serverIsn - 1) & 0xffffffffL;
                if (acked >= una && acked <= nxt) {
                    peerWindow = v.window();
                }
                if (acked > una && acked <= nxt) {
                    una = acked;
                    lastProgress = time;
                    trimAcked();
                }
                for (int k = 0; k < v.sackBlocks(); k++) {
                    long left = (v.sackLeft(k) - serverIsn - 1) & 0xffffffffL;
                    long right = (v.sackRight(k) - serverIsn - 1) & 0xffffffffL;
                    for (long[] s : queue) {
                        if (s[0] >= left && s[1] <= right) {
                            s[2] = 1;
                        }
                    }
                }
            }
        }
    }

    @Test
    void randomPiecesCutAnywhereWithLossArriveRewritten() {
        long base = Long.getLong("judo.inline.seed", 15L);
        for (long seed = base; seed < base + 200; seed++) {
            new Transfer(seed).run();
        }
        // seeds that found a bug outside that range: 7112, a flow whose first data segment was lost (its successors,
        // dropped beyond the gap and sent again, went out unedited: pending occurrences were skipped without an edit)
        new Transfer(7112).run();
        // 1174: the stream ends in a byte that starts an edit text ('C' of CLIENTSAYS); the sender resent it every
        // RTO, each resend was held afresh, and it never went out (a re-held byte now keeps its first hold's time)
        new Transfer(1174).run();
    }
}
