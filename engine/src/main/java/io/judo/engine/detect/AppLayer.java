package io.judo.engine.detect;

import io.judo.applayer.AppProto;
import io.judo.applayer.ProtocolDetection;
import io.judo.applayer.dns.DnsEvent;
import io.judo.applayer.dns.DnsMessage;
import io.judo.applayer.dns.DnsParser;
import io.judo.applayer.dns.DnsTcpFramer;
import io.judo.applayer.http.HttpConfig;
import io.judo.applayer.http.HttpEvent;
import io.judo.applayer.http.HttpListener;
import io.judo.applayer.http.HttpParser;
import io.judo.applayer.http.HttpTransaction;
import io.judo.applayer.smtp.SmtpConfig;
import io.judo.applayer.smtp.SmtpEvent;
import io.judo.applayer.smtp.SmtpListener;
import io.judo.applayer.smtp.SmtpParser;
import io.judo.applayer.smtp.SmtpTransaction;
import io.judo.applayer.ftp.FtpConfig;
import io.judo.applayer.ftp.FtpDataChannel;
import io.judo.applayer.ftp.FtpEvent;
import io.judo.applayer.ftp.FtpListener;
import io.judo.applayer.ftp.FtpParser;
import io.judo.applayer.ftp.FtpTransaction;
import io.judo.applayer.ssh.SshConfig;
import io.judo.applayer.ssh.SshEvent;
import io.judo.applayer.ssh.SshListener;
import io.judo.applayer.ssh.SshParser;
import io.judo.applayer.ssh.SshSession;
import io.judo.applayer.tls.TlsConfig;
import io.judo.applayer.tls.TlsEvent;
import io.judo.applayer.tls.TlsListener;
import io.judo.applayer.tls.TlsParser;
import io.judo.applayer.tls.TlsSession;
import io.judo.reassembly.Flow;
import io.judo.reassembly.FlowSlot;
import io.judo.reassembly.FlowSlots;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * A flow path's application layer: per TCP flow, protocol detection on the first in-order bytes of either direction,
 * then the protocol's parser (HTTP/1.x, DNS's framer and parser, TLS, SSH or SMTP) over every later byte; per UDP flow, DNS
 * detection on the first datagram ({@link #datagram}). The parsers' transactions, as they progress, go to the
 * subscribers (the Suricata stage's transaction hook, EVE {@code http} and {@code dns} records, {@code judo http}). It hears the stream
 * after the listeners registered before it, so the stream hook sees a chunk before the transaction it completes.
 * Never throws on traffic: parsers turn bad input into events. Not thread-safe: one per flow path.
 */
public final class AppLayer implements FlowPath.StreamListener {
    /** How far a transaction got; request stages are direction 0 (to the server), response stages direction 1. */
    public enum HttpProgress {
        REQUEST_HEADERS(0), REQUEST_BODY(0), REQUEST_COMPLETE(0), RESPONSE_HEADERS(1), RESPONSE_BODY(1),
        RESPONSE_COMPLETE(1),
        /** Both sides are complete (or the flow ended): the last call for the transaction. */
        DONE(-1);

        private final int direction;

        HttpProgress(int direction) {
            this.direction = direction;
        }

        /** 0 for the request side, 1 for the response side, -1 for {@link #DONE}. */
        public int direction() {
            return direction;
        }
    }

    /**
     * How far a TLS session got. Each is told once per flow, in the direction of the side that sent it; the session is
     * Suricata's one TLS transaction of the flow.
     */
    public enum TlsProgress {
        /** The (first) ClientHello is parsed: SNI, JA3, JA4, the client's random and version. */
        CLIENT_HELLO(0),
        /** The ServerHello is parsed: JA3S, the selected version, the server's random. */
        SERVER_HELLO(1),
        /** The server's certificate chain (sent in clear: TLS 1.2 and older) is parsed. */
        SERVER_CERTIFICATES(1),
        /** The handshake is over as far as a passive observer can see (both sides encrypted) or the flow ended. */
        DONE(-1);

        private final int direction;

        TlsProgress(int direction) {
            this.direction = direction;
        }

        /** 0 for the client's side, 1 for the server's, -1 for {@link #DONE}. */
        public int direction() {
            return direction;
        }
    }

    /**
     * How far an SSH connection got, per side: its banner, its first KEXINIT; then {@code DONE} once when both sides
     * are encrypted or the flow ended. The connection is Suricata's one SSH transaction of the flow.
     */
    public enum SshProgress {
        /** The client's identification string (ssh.proto, ssh.software to the server). */
        CLIENT_BANNER(0),
        /** The server's identification string. */
        SERVER_BANNER(1),
        /** The client's KEXINIT (ssh.hassh). */
        CLIENT_KEXINIT(0),
        /** The server's KEXINIT (ssh.hassh.server). */
        SERVER_KEXINIT(1),
        /** Both sides sent NEWKEYS (Suricata's "finished"), or the flow ended. */
        DONE(-1);

        private final int direction;

        SshProgress(int direction) {
            this.direction = direction;
        }

        /** 0 for the client's side, 1 for the server's, -1 for {@link #DONE}. */
        public int direction() {
            return direction;
        }
    }

    /** Hears transactions; called on the packet thread, inside the stream callback that completed the progress. */
    public interface Transactions {
        /** Transaction {@code tx} of HTTP flow {@code f} reached {@code progress}; {@code tx} is valid during the call. */
        default void http(Flow f, HttpTransaction tx, HttpProgress progress) {
        }

        /** An HTTP anomaly in {@code f}, of transaction {@code tx} (null when it belongs to none). */
        default void httpEvent(Flow f, HttpTransaction tx, HttpEvent event) {
        }

        /**
         * A DNS message of flow {@code f} (its direction is {@link DnsMessage#direction()}): one transaction, as
         * Suricata counts them (a request and its response are two), numbered {@code txId} from 0 per flow. The
         * message and its bytes are valid during the call only; its events are {@link DnsMessage#events()}.
         */
        default void dns(Flow f, DnsMessage message, long txId) {
        }

        /**
         * The TLS session of flow {@code f} reached {@code progress}; the session is the flow's parser's, valid during
         * the call (and until the flow ends), its anomalies so far in {@link AppLayer#tlsEvents(Flow)}.
         */
        default void tls(Flow f, TlsSession session, TlsProgress progress) {
        }

        /**
         * The SSH connection of flow {@code f} reached {@code progress}; the session is the flow's parser's, valid
         * during the call (and until the flow ends), its anomalies so far in {@link AppLayer#sshEvents(Flow)}.
         */
        default void ssh(Flow f, SshSession session, SshProgress progress) {
        }

        /**
         * A mail of SMTP flow {@code f} is over (the end of its DATA or BDAT, a RSET, or the flow's end): one
         * transaction, as Suricata counts them; {@code tx} (its envelope, headers and decoded files) is valid during
         * the call only, its anomalies in {@link SmtpTransaction#hasEvent}.
         */
        default void smtp(Flow f, SmtpTransaction tx) {
        }

        /**
         * An FTP command of flow {@code f} was read ({@code done} false: its buffers are ready, no reply yet), or got
         * its final reply or the flow ended ({@code done} true); {@code tx} is valid during the call only.
         */
        default void ftp(Flow f, FtpTransaction tx, boolean done) {
        }

        /**
         * An FTP-DATA flow {@code f} ended: {@code file[0, length)} is what its sending direction {@code dir} carried
         * (the transferred file or listing, up to {@link #FTP_DATA_LIMIT} bytes), valid during the call only;
         * {@code size} is how many bytes that direction carried in all (more than {@code length} when the file was
         * longer than the limit); {@code e} is the announcement it met.
         */
        default void ftpData(Flow f, FtpExpectation e, int dir, byte[] file, int length, long size) {
        }
    }

    /**
     * A data connection an FTP command channel announced: the flow to {@code address}:{@code port} (the side that
     * accepts it) is FTP-DATA; {@code channel} tells its transfer command once the client sent it.
     */
    public record FtpExpectation(byte[] address, int port, FtpDataChannel channel, long controlFlowId) {
    }

    /** Data connections announced and not yet seen, oldest first, at most {@link #FTP_EXPECTATIONS}. */
    private final java.util.LinkedHashMap<Long, FtpExpectation> ftpExpected = new java.util.LinkedHashMap<>(16, 0.75f,
            false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, FtpExpectation> eldest) {
            return size() > FTP_EXPECTATIONS;
        }
    };

    /** Bytes of an FTP-DATA flow kept for {@code file.data} (Suricata's default content limit for files). */
    public static final int FTP_DATA_LIMIT = 100_000;

    /** Announced data connections kept per partition (a command channel that announces many keeps the newest). */
    static final int FTP_EXPECTATIONS = 1024;

    private static long expectationKey(byte[] address, int port) {
        return (long) java.util.Arrays.hashCode(address) << 16 ^ port;
    }

    /** Whether the new flow {@code f} meets an expectation (left in place). */
    private boolean peekExpected(Flow f) {
        if (ftpExpected.isEmpty() || f.protocol() != 6) {
            return false;
        }
        FtpExpectation e = ftpExpected.get(expectationKey(f.serverAddress(), f.serverPort()));
        return e != null && java.util.Arrays.equals(e.address(), f.serverAddress()) && e.port() == f.serverPort();
    }

    /** The expectation the new flow {@code f} meets (its server's address and port announced), removed; or null. */
    private FtpExpectation expected(Flow f) {
        if (!peekExpected(f)) {
            return null;
        }
        return ftpExpected.remove(expectationKey(f.serverAddress(), f.serverPort()));
    }

    /** Bytes of a direction kept while detection needs more of them; a longer start that decides nothing fails. */
    static final int DETECTION_BYTES = 512;

    /** Protocols switched off over TCP (suricata.yaml's {@code app-layer.protocols.NAME.enabled: no}). */
    private java.util.Set<AppProto> disabled = java.util.EnumSet.noneOf(AppProto.class);
    /** DNS over UDP switched off ({@code app-layer.protocols.dns.udp.enabled: no}). */
    private boolean udpDnsDisabled;

    /**
     * Switches protocols off: a flow detected as one of {@code overTcp} fails detection (no parsing, no records, no
     * transaction rules, {@code app_proto} "failed"), and with {@code dnsOverUdp} false no datagram is read as DNS.
     */
    public void disable(java.util.Set<AppProto> overTcp, boolean dnsOverUdp) {
        this.disabled = overTcp.isEmpty() ? java.util.EnumSet.noneOf(AppProto.class)
                : java.util.EnumSet.copyOf(overTcp);
        this.udpDnsDisabled = !dnsOverUdp;
    }

    private final FlowSlot<State> slot;
    /** Made once: {@code State::new} captures this layer, so writing it at each call would allocate per packet. */
    private final java.util.function.Supplier<State> newState = State::new;
    private HttpConfig config = HttpConfig.defaults();
    private Transactions[] subscribers = new Transactions[0];
    /** By {@link AppLayerCount#ordinal()}. */
    private final long[] counts = new long[AppLayerCount.values().length];
    private final long[] events = new long[HttpEvent.values().length];
    private final long[] dnsEvents = new long[DnsEvent.values().length];
    private TlsConfig tlsConfig = TlsConfig.defaults();
    /** Per protocol (by ordinal), flows detected as one this layer has no parser for (FTP). */
    private final long[] unparsedFlows = new long[AppProto.values().length];
    private final long[] tlsEvents = new long[TlsEvent.values().length];
    private SmtpConfig smtpConfig = SmtpConfig.defaults();
    private final long[] smtpEvents = new long[SmtpEvent.values().length];
    private FtpConfig ftpConfig = FtpConfig.defaults();
    private final long[] ftpEvents = new long[FtpEvent.values().length];
    private SshConfig sshConfig = SshConfig.defaults();
    private final long[] sshEvents = new long[SshEvent.values().length];
    /** A scratch detection, for {@link #protocolAhead}: a copy of a flow's, offered bytes it has not seen yet. */
    private final ProtocolDetection ahead = new ProtocolDetection();
    /** Detection runs even with no subscriber (a rule tests the flow's protocol). */
    private boolean detecting;
    /** A UDP payload in a direct buffer is copied here to be parsed (a datagram is at most 64 KiB). */
    private byte[] datagramCopy = new byte[0];
    /**
     * The one DNS message of this layer, reused for every message of every flow: a message is parsed and handed to
     * the subscribers at once, and is valid only during that call, so no flow needs one of its own (it is about
     * 10 KB of arrays).
     */
    private DnsMessage dnsMessage;

    private DnsMessage dnsMessage() {
        if (dnsMessage == null) {
            dnsMessage = new DnsMessage();
        }
        return dnsMessage;
    }

    AppLayer(FlowSlots slots) {
        this.slot = slots.allocate(State.class, "application layer");
    }

    /** Adds a subscriber; subscribers hear transactions in the order they were added. */
    public void subscribe(Transactions t) {
        Transactions[] more = java.util.Arrays.copyOf(subscribers, subscribers.length + 1);
        more[subscribers.length] = t;
        subscribers = more;
    }

    /** The HTTP parser's limits for flows that start after this call. */
    public void httpConfig(HttpConfig c) {
        this.config = c;
    }

    /** The TLS parser's limits for flows that start after this call. */
    public void tlsConfig(TlsConfig c) {
        this.tlsConfig = c;
    }

    /** The SMTP parser's limits for flows that start after this call. */
    public void smtpConfig(SmtpConfig c) {
        this.smtpConfig = c;
    }

    /** The FTP parser's limits for flows that start after this call. */
    public void ftpConfig(FtpConfig c) {
        this.ftpConfig = c;
    }

    /** The SSH parser's limits for flows that start after this call. */
    public void sshConfig(SshConfig c) {
        this.sshConfig = c;
    }

    /**
     * The protocol {@code f} will have once this layer hears {@code length} in-order bytes of direction {@code dir}
     * that it has not heard yet (a listener before this layer in the flow path sees a chunk first, and a rule on the
     * flow's first bytes must know the protocol they start). Changes nothing; allocates nothing.
     */
    public AppProto protocolAhead(Flow f, int dir, byte[] bytes, int from, int length) {
        State s = f == null || idle() ? null : slot.get(f);
        if (s != null && s.proto != AppProto.UNKNOWN) {
            return s.proto;
        }
        if (f == null || idle() || length <= 0) {
            return AppProto.UNKNOWN;
        }
        if ((s == null || s.kept(0) + s.kept(1) == 0) && peekExpected(f)) {
            return AppProto.FTP_DATA;
        }
        if (s == null) {
            ahead.copyFrom(FRESH);
        } else {
            ahead.copyFrom(s.detection);
        }
        return ahead.offer(dir, bytes, from, length);
    }

    /** A detection that has seen nothing (what a new flow starts with). */
    private static final ProtocolDetection FRESH = new ProtocolDetection();

    /** The protocol detected on {@code f}: UNKNOWN while detection needs more bytes (or the flow has none). */
    public AppProto protocol(Flow f) {
        State s = f == null ? null : slot.get(f);
        return s == null ? AppProto.UNKNOWN : s.proto;
    }

    /** Detects protocols even when nobody subscribes to transactions (rules test {@code app-layer-protocol}). */
    public void detectProtocols() {
        detecting = true;
    }

    private boolean idle() {
        return subscribers.length == 0 && !detecting;
    }

    @Override
    public void data(Flow f, int dir, long offset, byte[] bytes, int from, int length) {
        if (idle() || length <= 0) {
            return;
        }
        State s = slot.get(f, newState);
        if (s.flow == null) {
            s.flow = f;
        }
        if (s.firstOffset[dir] < 0) {
            s.firstOffset[dir] = offset;
        }
        switch (s.proto) {
            case HTTP -> s.http.data(dir, bytes, from, length);
            case DNS -> s.dnsTcp.data(dir, bytes, from, length);
            case TLS -> s.tls.data(dir, bytes, from, length);
            case SSH -> s.ssh.data(dir, bytes, from, length);
            case SMTP -> smtp(s, dir, offset, bytes, from, length);
            case FTP -> s.ftp.data(dir, bytes, from, length);
            case FTP_DATA -> s.ftpFile(dir, bytes, from, length);
            case FAILED -> { } // no parser: the protocol is known, rules read the stream
            default -> detect(s, dir, bytes, from, length);
        }
    }

    /**
     * An SMTP flow's bytes; when the server accepts STARTTLS inside them, the rest of the chunk past the point where TLS
     * starts goes to the TLS parser the hand-off made (later chunks go there directly: the flow is TLS from then on).
     */
    private void smtp(State s, int dir, long offset, byte[] bytes, int from, int length) {
        s.smtp.data(dir, bytes, from, length);
        if (s.tls != null) {
            long skip = s.tlsNext[dir] - offset;
            if (skip >= 0 && skip < length) {
                s.tls.data(dir, bytes, from + (int) skip, length - (int) skip);
                s.tlsNext[dir] += length - skip;
            }
        }
    }

    /** Offers the direction's first bytes to detection; once HTTP is decided the parser gets every byte so far. */
    private void detect(State s, int dir, byte[] bytes, int from, int length) {
        if (s.kept(0) + s.kept(1) == 0) { // the flow's first bytes: an announced FTP data connection?
            FtpExpectation e = expected(s.flow);
            if (e != null) {
                s.proto = AppProto.FTP_DATA;
                s.ftpData = e;
                s.start = null;
                counts[AppLayerCount.FTP_DATA_FLOWS.ordinal()]++;
                s.ftpFile(dir, bytes, from, length);
                return;
            }
        }
        AppProto p = s.detection.offer(dir, bytes, from, length);
        if (p != AppProto.UNKNOWN && disabled.contains(p)) {
            fail(s); // the protocol is switched off (app-layer.protocols.NAME.enabled: no): the flow stays unparsed
            return;
        }
        if (p == AppProto.UNKNOWN) {
            s.keep(dir, bytes, from, length);
            if (s.kept(0) + s.kept(1) >= 2 * DETECTION_BYTES) {
                fail(s);
            }
            return;
        }
        if (p == AppProto.DNS) {
            s.proto = AppProto.DNS;
            counts[AppLayerCount.DNS_FLOWS.ordinal()]++;
            s.dnsTcp = new DnsTcpFramer(s::dnsMessage);
            for (int d = 0; d < 2; d++) {
                if (s.kept(d) > 0) {
                    s.dnsTcp.data(d, s.start[d], 0, s.kept(d));
                }
            }
            s.start = null;
            s.dnsTcp.data(dir, bytes, from, length);
            return;
        }
        if (p == AppProto.TLS) {
            s.proto = AppProto.TLS;
            counts[AppLayerCount.TLS_FLOWS.ordinal()]++;
            s.tls = new TlsParser(tlsConfig, s);
            for (int d = 0; d < 2; d++) {
                if (s.kept(d) > 0) {
                    s.tls.data(d, s.start[d], 0, s.kept(d));
                }
            }
            s.start = null;
            s.tls.data(dir, bytes, from, length);
            return;
        }
        if (p == AppProto.SSH) {
            s.proto = AppProto.SSH;
            counts[AppLayerCount.SSH_FLOWS.ordinal()]++;
            s.ssh = new SshParser(sshConfig, s);
            for (int d = 0; d < 2; d++) {
                if (s.kept(d) > 0) {
                    s.ssh.data(d, s.start[d], 0, s.kept(d));
                }
            }
            s.start = null;
            s.ssh.data(dir, bytes, from, length);
            return;
        }
        if (p == AppProto.SMTP) {
            s.proto = AppProto.SMTP;
            counts[AppLayerCount.SMTP_FLOWS.ordinal()]++;
            s.smtp = new SmtpParser(smtpConfig, s);
            for (int d = 0; d < 2; d++) {
                if (s.kept(d) > 0) {
                    s.smtp.data(d, s.start[d], 0, s.kept(d));
                }
            }
            s.start = null;
            s.smtp.data(dir, bytes, from, length);
            return;
        }
        if (p == AppProto.FTP) {
            s.proto = AppProto.FTP;
            counts[AppLayerCount.FTP_FLOWS.ordinal()]++;
            s.ftp = new FtpParser(ftpConfig, s);
            for (int d = 0; d < 2; d++) {
                if (s.kept(d) > 0) {
                    s.ftp.data(d, s.start[d], 0, s.kept(d));
                }
            }
            s.start = null;
            s.ftp.data(dir, bytes, from, length);
            return;
        }
        if (p != AppProto.HTTP) {
            fail(s);
            return;
        }
        s.proto = AppProto.HTTP;
        counts[AppLayerCount.HTTP_FLOWS.ordinal()]++;
        s.http = new HttpParser(config, s);
        for (int d = 0; d < 2; d++) {
            if (s.kept(d) > 0) {
                s.http.data(d, s.start[d], 0, s.kept(d));
            }
        }
        s.start = null;
        s.http.data(dir, bytes, from, length);
    }

    private void fail(State s) {
        s.proto = AppProto.FAILED;
        s.start = null;
        counts[AppLayerCount.FAILED_FLOWS.ordinal()]++;
    }

    @Override
    public void gap(Flow f, int dir, long offset, long length) {
        State s = slot.get(f);
        if (s != null && s.http != null) {
            s.http.gap(dir, length);
        }
        if (s != null && s.dnsTcp != null) {
            s.dnsTcp.gap(dir);
        }
        if (s != null && s.tls != null) {
            s.tls.gap(dir, length);
        }
        if (s != null && s.ssh != null) {
            s.ssh.gap(dir, length);
        }
        if (s != null && s.smtp != null) {
            s.smtp.gap(dir, length);
        }
        if (s != null && s.ftp != null) {
            s.ftp.gap(dir, length);
        }
    }

    /**
     * A UDP datagram of flow {@code f} in direction {@code dir}: while the flow is undecided its payload is tried as
     * a DNS message (a flow to or from port 53 is DNS when the header is there; any other when the message parses
     * cleanly with a question, as a request towards the server: the port is a hint, the content decides); a DNS
     * flow's every datagram is a message, any other flow's first datagram that is no DNS message fails the flow.
     * A flow whose first datagrams are DNS responses (its queries were not captured) is reversed with
     * {@code reverse}, so the responder is the server, as Suricata's protocol detection reverses it.
     *
     * @param reverse reverses the flow and the current packet's direction; false when it would not
     */
    public void datagram(Flow f, int dir, io.judo.packet.decode.PacketView v, BooleanSupplier reverse) {
        if (idle() || f == null || v.payloadOffset() < 0 || v.payloadLength() <= 0) {
            return;
        }
        State s = slot.get(f, newState);
        if (s.flow == null) {
            s.flow = f;
        }
        if (s.proto != AppProto.UNKNOWN && s.proto != AppProto.DNS) {
            return; // a TCP protocol's flow (or a failed one) carrying a datagram: the protocol stays
        }
        if (udpDnsDisabled) {
            if (s.proto == AppProto.UNKNOWN) {
                fail(s);
            }
            return;
        }
        ByteBuffer buf = v.buffer();
        int len = v.payloadLength();
        byte[] b;
        int off;
        if (buf.hasArray()) {
            b = buf.array();
            off = buf.arrayOffset() + v.payloadOffset();
        } else {
            if (datagramCopy.length < len) {
                datagramCopy = new byte[Math.max(len, 2 * datagramCopy.length)];
            }
            buf.get(v.payloadOffset(), datagramCopy, 0, len);
            b = datagramCopy;
            off = 0;
        }
        DnsMessage m = dnsMessage();
        DnsParser.parse(b, off, len, dir, m);
        if (s.proto == AppProto.UNKNOWN) {
            boolean port53 = f.serverPort() == 53 || f.clientPort() == 53;
            boolean answerFirst = dir == 0 && m.isResponse() && f.packets(1) == 0;
            boolean clean = m.hasHeader() && !m.has(DnsEvent.MALFORMED_DATA) && m.questionCount() > 0
                    && m.opcode() <= 6 && !m.has(DnsEvent.Z_FLAG_SET) && (m.isResponse() == (dir != 0) || answerFirst);
            if (!(port53 ? m.hasHeader() : clean)) {
                fail(s);
                return;
            }
            if (answerFirst && reverse.getAsBoolean()) {
                DnsParser.parse(b, off, len, 1, m); // read again as the answer it is
            }
            s.proto = AppProto.DNS;
            counts[AppLayerCount.DNS_FLOWS.ordinal()]++;
        }
        s.deliver(m);
    }

    @Override
    public void ended(Flow f, int dir) {
        State s = slot.get(f);
        if (s != null && s.http != null && !s.ended[dir]) {
            s.ended[dir] = true;
            s.http.end(dir);
        }
        if (s != null && s.tls != null && !s.ended[dir]) {
            s.ended[dir] = true;
            s.tls.end(dir);
            if (s.ended[dir ^ 1]) {
                s.tlsProgress(TlsProgress.DONE);
            }
        }
        if (s != null && s.smtp != null && !s.ended[dir]) {
            s.ended[dir] = true;
            s.smtp.end(dir);
        }
        if (s != null && s.ftp != null && !s.ended[dir]) {
            s.ended[dir] = true;
            s.ftp.end(dir);
        }
        if (s != null && s.ftpData != null && !s.ended[dir]) {
            s.ended[dir] = true;
            if (s.ended[dir ^ 1]) {
                s.ftpFileDone();
            }
        }
        if (s != null && s.ssh != null && !s.ended[dir]) {
            s.ended[dir] = true;
            s.ssh.end(dir);
            if (s.ended[dir ^ 1]) {
                s.sshProgress(SshProgress.DONE);
            }
        }
    }

    @Override
    public void closed(Flow f) {
        ended(f, 0);
        ended(f, 1);
    }

    /**
     * The HTTP events transaction {@code tx} of {@code f} raised so far, as bits by {@link HttpEvent#ordinal()} (the
     * {@code app-layer-event} keyword reads them while the transaction is inspected); 0 when none.
     */
    public long events(Flow f, HttpTransaction tx) {
        State s = f == null ? null : slot.get(f);
        if (s == null || s.txEvents == null) {
            return 0;
        }
        long[] m = s.txEvents.get(tx);
        return m == null ? 0 : m[0];
    }

    /** This partition's count of {@code c}. */
    public long count(AppLayerCount c) {
        return counts[c.ordinal()];
    }

    /** HTTP anomalies, indexed by {@link HttpEvent#ordinal()}. */
    public long[] events() {
        return events;
    }

    /** DNS anomalies, indexed by {@link DnsEvent#ordinal()}: each message counts each event it raised once. */
    public long[] dnsEvents() {
        return dnsEvents;
    }

    /** SMTP anomalies, indexed by {@link SmtpEvent#ordinal()}. */
    public long[] smtpEvents() {
        return smtpEvents;
    }

    /** Whether flow {@code f}'s SMTP parser raised connection-level event {@code e} (one outside any mail). */
    public boolean smtpConnectionEvent(Flow f, SmtpEvent e) {
        State s = f == null ? null : slot.get(f);
        return s != null && s.smtp != null && s.smtp.hasConnectionEvent(e);
    }

    /** Whether FTP flow {@code f}'s connection raised {@code e} outside any command (its greeting, a gap). */
    public boolean ftpConnectionEvent(Flow f, FtpEvent e) {
        State s = f == null ? null : slot.get(f);
        return s != null && s.ftp != null && s.ftp.hasConnectionEvent(e);
    }

    /** FTP anomalies, indexed by {@link FtpEvent#ordinal()}. */
    public long[] ftpEvents() {
        return ftpEvents;
    }

    /** The announcement FTP-DATA flow {@code f} met (its transfer command, once sent), or null. */
    public FtpExpectation ftpData(Flow f) {
        State s = f == null ? null : slot.get(f);
        return s == null ? null : s.ftpData;
    }

    /** SSH anomalies, indexed by {@link SshEvent#ordinal()}. */
    public long[] sshEvents() {
        return sshEvents;
    }

    /**
     * The SSH events flow {@code f}'s connection raised so far, as bits by {@link SshEvent#ordinal()} (the {@code
     * app-layer-event:ssh.*} keyword reads them); 0 when none or not SSH.
     */
    public long sshEvents(Flow f) {
        State s = f == null ? null : slot.get(f);
        return s == null ? 0 : s.sshEventBits;
    }

    /** Flows detected as {@code p} when it is a protocol the layer detects but does not parse (FTP). */
    public long unparsedFlows(AppProto p) {
        return unparsedFlows[p.ordinal()];
    }

    /** TLS anomalies, indexed by {@link TlsEvent#ordinal()}. */
    public long[] tlsEvents() {
        return tlsEvents;
    }

    /**
     * The TLS events flow {@code f}'s session raised so far, as bits by {@link TlsEvent#ordinal()} (the {@code
     * app-layer-event:tls.*} keyword reads them); 0 when none or not TLS.
     */
    public long tlsEvents(Flow f) {
        State s = f == null ? null : slot.get(f);
        return s == null ? 0 : s.tlsEventBits;
    }

    /** One flow's detection and parser; it is the parser's listener, forwarding to the layer's subscribers. */
    final class State implements HttpListener, TlsListener, SshListener, SmtpListener, FtpListener {
        Flow flow;
        AppProto proto = AppProto.UNKNOWN;
        final ProtocolDetection detection = new ProtocolDetection();
        HttpParser http;
        /** A DNS-over-TCP flow's framer; null until the flow is DNS. */
        DnsTcpFramer dnsTcp;
        /** A TLS flow's parser; null until the flow is TLS. */
        TlsParser tls;
        /** The TLS progress told so far, a bit per {@link TlsProgress} ordinal: each is told once per flow. */
        int tlsTold;
        boolean tlsEncrypted0;
        boolean tlsEncrypted1;
        long tlsEventBits;
        /** An SMTP flow's parser; null until the flow is SMTP. */
        SmtpParser smtp;
        /** Per direction, the stream offset of the first byte this layer heard (where its parser's offset 0 is). */
        final long[] firstOffset = {-1, -1};
        /** After a STARTTLS hand-off, per direction, the stream offset of the next byte the TLS parser is owed. */
        final long[] tlsNext = new long[2];

        /** An FTP command channel's parser; null until the flow is FTP. */
        FtpParser ftp;
        /** The announcement an FTP-DATA flow met; null for other flows. */
        FtpExpectation ftpData;
        /** An FTP-DATA flow's bytes of the first direction that sent any ({@code ftpFileDir}), up to the limit. */
        io.judo.applayer.ByteBuilder ftpFile;
        int ftpFileDir = -1;
        /** The bytes {@code ftpFileDir} carried in all, kept or not. */
        long ftpFileSize;

        void ftpFile(int dir, byte[] b, int from, int length) {
            if (ftpFileDir < 0) {
                ftpFileDir = dir;
                ftpFile = new io.judo.applayer.ByteBuilder();
            }
            if (dir != ftpFileDir || length <= 0) {
                return;
            }
            int keep = Math.min(length, FTP_DATA_LIMIT - ftpFile.len);
            ftpFile.add(b, from, Math.max(0, keep));
            ftpFileSize += length;
        }

        void ftpFileDone() {
            if (ftpFileDir < 0) {
                return;
            }
            for (Transactions t : subscribers) {
                t.ftpData(flow, ftpData, ftpFileDir, ftpFile.a, ftpFile.len, ftpFileSize);
            }
            ftpFile = null;
        }

        /** An SSH flow's parser; null until the flow is SSH. */
        SshParser ssh;
        /** The SSH progress told so far, a bit per {@link SshProgress} ordinal. */
        int sshTold;
        long sshEventBits;
        long dnsTx;
        final boolean[] ended = new boolean[2];
        /** Events per open transaction that raised any (rare: allocated on the first). */
        java.util.IdentityHashMap<HttpTransaction, long[]> txEvents;
        /** Per direction, the bytes offered to detection so far (null once decided). */
        byte[][] start = new byte[2][];
        private final int[] startLength = new int[2];

        /** A message the TCP framer cut out: parsed, then delivered. */
        void dnsMessage(int dir, byte[] b, int off, int len) {
            DnsMessage m = AppLayer.this.dnsMessage();
            DnsParser.parse(b, off, len, dir, m);
            deliver(m);
        }

        void deliver(DnsMessage m) {
            counts[AppLayerCount.DNS_MESSAGES.ordinal()]++;
            long ev = m.events();
            while (ev != 0) {
                dnsEvents[Long.numberOfTrailingZeros(ev)]++;
                ev &= ev - 1;
            }
            long tx = dnsTx++;
            for (Transactions t : subscribers) {
                t.dns(flow, m, tx);
            }
        }

        int kept(int dir) {
            return start == null ? 0 : startLength[dir];
        }

        void keep(int dir, byte[] b, int from, int length) {
            byte[] k = start[dir];
            int n = startLength[dir];
            if (k == null || k.length < n + length) {
                k = java.util.Arrays.copyOf(k == null ? new byte[0] : k, Math.max(64, n + length));
                start[dir] = k;
            }
            System.arraycopy(b, from, k, n, length);
            startLength[dir] = n + length;
        }

        void tlsProgress(TlsProgress p) {
            if ((tlsTold & 1 << p.ordinal()) != 0) {
                return;
            }
            tlsTold |= 1 << p.ordinal();
            if (p == TlsProgress.DONE) {
                counts[AppLayerCount.TLS_HANDSHAKES.ordinal()]++;
            }
            for (Transactions t : subscribers) {
                t.tls(flow, tls.session(), p);
            }
        }

        @Override
        public void clientHello(TlsSession session) {
            tlsProgress(TlsProgress.CLIENT_HELLO);
        }

        @Override
        public void serverHello(TlsSession session) {
            tlsProgress(TlsProgress.SERVER_HELLO);
        }

        @Override
        public void certificates(TlsSession session, int dir) {
            if (dir == 1) {
                tlsProgress(TlsProgress.SERVER_CERTIFICATES);
            }
        }

        @Override
        public void encrypted(TlsSession session, int dir) {
            if (dir == 0) {
                tlsEncrypted0 = true;
            } else {
                tlsEncrypted1 = true;
            }
            if (tlsEncrypted0 && tlsEncrypted1) {
                tlsProgress(TlsProgress.DONE);
            }
        }

        @Override
        public void event(TlsSession session, int dir, TlsEvent e) {
            tlsEvents[e.ordinal()]++;
            tlsEventBits |= 1L << e.ordinal();
        }

        @Override
        public void transactionDone(SmtpTransaction tx) {
            counts[AppLayerCount.SMTP_MAILS.ordinal()]++;
            for (Transactions t : subscribers) {
                t.smtp(flow, tx);
            }
        }

        @Override
        public void event(SmtpTransaction tx, int dir, SmtpEvent e) {
            smtpEvents[e.ordinal()]++;
        }

        /**
         * The server accepted STARTTLS: the rest of the connection is TLS, read by a TLS parser from the offsets the
         * SMTP parser names (as Suricata changes the flow's protocol), so TLS rules and EVE tls see the handshake.
         */
        @Override
        public void startTls(long clientOffset, long serverOffset) {
            proto = AppProto.TLS;
            counts[AppLayerCount.TLS_FLOWS.ordinal()]++;
            tls = new TlsParser(tlsConfig, this);
            tlsNext[0] = Math.max(firstOffset[0], 0) + clientOffset;
            tlsNext[1] = Math.max(firstOffset[1], 0) + serverOffset;
        }

        @Override
        public void tlsData(int dir, byte[] b, int off, int len) {
            tls.data(dir, b, off, len);
            tlsNext[dir] += len;
        }

        @Override
        public void command(FtpTransaction tx) {
            counts[AppLayerCount.FTP_COMMANDS.ordinal()]++;
            for (Transactions t : subscribers) {
                t.ftp(flow, tx, false);
            }
        }

        @Override
        public void transactionDone(FtpTransaction tx) {
            for (Transactions t : subscribers) {
                t.ftp(flow, tx, true);
            }
        }

        @Override
        public void dataChannel(FtpTransaction tx, FtpDataChannel c) {
            // the side that accepts the data connection: the announced address, or (EPSV) the control's server
            byte[] address = c.address() != null ? c.address() : flow.serverAddress();
            ftpExpected.put(expectationKey(address, c.port()), new FtpExpectation(address, c.port(), c, flow.id()));
        }

        @Override
        public void event(FtpTransaction tx, int dir, FtpEvent e) {
            ftpEvents[e.ordinal()]++;
        }

        void sshProgress(SshProgress p) {
            if ((sshTold & 1 << p.ordinal()) != 0) {
                return;
            }
            sshTold |= 1 << p.ordinal();
            for (Transactions t : subscribers) {
                t.ssh(flow, ssh.session(), p);
            }
        }

        @Override
        public void banner(SshSession session, int dir) {
            sshProgress(dir == 0 ? SshProgress.CLIENT_BANNER : SshProgress.SERVER_BANNER);
        }

        @Override
        public void kexinit(SshSession session, int dir) {
            sshProgress(dir == 0 ? SshProgress.CLIENT_KEXINIT : SshProgress.SERVER_KEXINIT);
        }

        @Override
        public void encrypted(SshSession session, int dir) {
            if (session.finished()) {
                counts[AppLayerCount.SSH_HANDSHAKES.ordinal()]++;
                sshProgress(SshProgress.DONE);
            }
        }

        @Override
        public void event(SshSession session, int dir, SshEvent e) {
            sshEvents[e.ordinal()]++;
            sshEventBits |= 1L << e.ordinal();
        }

        private void tell(HttpTransaction tx, HttpProgress p) {
            for (Transactions t : subscribers) {
                t.http(flow, tx, p);
            }
        }

        @Override
        public void requestHeaders(HttpTransaction tx) {
            tell(tx, HttpProgress.REQUEST_HEADERS);
        }

        @Override
        public void requestBody(HttpTransaction tx) {
            tell(tx, HttpProgress.REQUEST_BODY);
        }

        @Override
        public void requestComplete(HttpTransaction tx) {
            tell(tx, HttpProgress.REQUEST_COMPLETE);
        }

        @Override
        public void responseHeaders(HttpTransaction tx) {
            tell(tx, HttpProgress.RESPONSE_HEADERS);
        }

        @Override
        public void responseBody(HttpTransaction tx) {
            tell(tx, HttpProgress.RESPONSE_BODY);
        }

        @Override
        public void responseComplete(HttpTransaction tx) {
            tell(tx, HttpProgress.RESPONSE_COMPLETE);
        }

        @Override
        public void transactionDone(HttpTransaction tx) {
            counts[AppLayerCount.HTTP_TRANSACTIONS.ordinal()]++;
            tell(tx, HttpProgress.DONE);
            if (txEvents != null) {
                txEvents.remove(tx); // the parser reuses the object for a later transaction
            }
        }

        @Override
        public void event(HttpTransaction tx, HttpEvent e) {
            events[e.ordinal()]++;
            if (tx != null) {
                if (txEvents == null) {
                    txEvents = new java.util.IdentityHashMap<>();
                }
                txEvents.computeIfAbsent(tx, k -> new long[1])[0] |= 1L << e.ordinal();
            }
            for (Transactions t : subscribers) {
                t.httpEvent(flow, tx, e);
            }
        }
    }
}
