package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.applayer.AppProto;
import io.judo.applayer.Slice;
import io.judo.applayer.http.HttpBuffer;
import io.judo.applayer.http.HttpTransaction;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.StreamConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The flow path's application layer over real TCP segments: protocol detection by content, transactions reaching a
 * subscriber in progress order, a response delimited by the connection's close ending with the flow, and a flow that
 * is not HTTP producing nothing. The expected values are written out by hand from the bytes sent.
 */
class AppLayerTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Records "progress uri status body-length" per call, and the flows' protocols. */
    private static final class Recorder implements AppLayer.Transactions {
        final List<String> seen = new ArrayList<>();
        private final Slice slice = new Slice();

        @Override
        public void http(Flow f, HttpTransaction tx, AppLayer.HttpProgress p) {
            if (p == AppLayer.HttpProgress.REQUEST_BODY || p == AppLayer.HttpProgress.RESPONSE_BODY) {
                return; // one per segment of body: how the sender cut it, not what it said
            }
            String body = "";
            if (p == AppLayer.HttpProgress.RESPONSE_COMPLETE && tx.fill(HttpBuffer.FILE_DATA, 1, slice)) {
                body = " " + new String(slice.array, slice.offset, slice.length, StandardCharsets.ISO_8859_1);
            }
            seen.add(tx.index() + " " + p + " " + tx.uriRaw() + " " + tx.status() + body);
        }
    }

    private static void run(FlowPath path, List<TcpConversation.Frame> frames) {
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView v = new PacketView();
        for (TcpConversation.Frame f : frames) {
            byte[] b = f.bytes();
            path.run(new Stage[0], decoder.decode(ByteBuffer.wrap(b), 0, b.length, b.length, LinkType.ETHERNET, v),
                    f.timestampNanos());
        }
    }

    @Test
    void pipelinedTransactionsArriveInOrderAndACloseEndsTheLastBody() {
        FlowPath path = new FlowPath(StreamConfig.defaults(), true);
        Recorder r = new Recorder();
        path.appLayer().subscribe(r);
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "10.0.0.1", 40000, "10.0.0.2", 8000,
                1000, 5000).mss(40);
        c.handshake()
                .clientSends(ascii("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"))
                .serverSends(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                        + "HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\nnot here, and no length"));
        run(path, c.frames());
        path.finish();
        assertEquals(List.of(
                "0 REQUEST_HEADERS /a -1", "0 REQUEST_COMPLETE /a -1",
                "1 REQUEST_HEADERS /b -1", "1 REQUEST_COMPLETE /b -1",
                "0 RESPONSE_HEADERS /a 200", "0 RESPONSE_COMPLETE /a 200 hello", "0 DONE /a 200",
                "1 RESPONSE_HEADERS /b 404", "1 RESPONSE_COMPLETE /b 404 not here, and no length", "1 DONE /b 404"),
                r.seen);
        assertEquals(1, path.appLayer().count(AppLayerCount.HTTP_FLOWS));
        assertEquals(2, path.appLayer().count(AppLayerCount.HTTP_TRANSACTIONS));
    }

    @Test
    void aFlowThatIsNotHttpFailsDetectionAndYieldsNothing() {
        FlowPath path = new FlowPath(StreamConfig.defaults(), true);
        Recorder r = new Recorder();
        path.appLayer().subscribe(r);
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "10.0.0.1", 40001, "10.0.0.2", 80,
                7, 9);
        c.handshake().clientSends(ascii("RFB 003.008\n")).serverSends(ascii("RFB 003.008\n"));
        run(path, c.frames());
        Flow f = path.flow();
        assertEquals(AppProto.FAILED, path.appLayer().protocol(f), "port 80 is a hint, never the decision");
        path.finish();
        assertEquals(List.of(), r.seen);
        assertEquals(1, path.appLayer().count(AppLayerCount.FAILED_FLOWS));
    }
}
