package io.judo.packet.build;

import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * Writes a deterministic (seeded) capture of application traffic for whole-rule-set benchmarks: DNS over UDP and TCP,
 * TLS 1.2 (with real certificate chains) and TLS 1.3 handshakes followed by encrypted data, SMTP mail with MIME
 * attachments, FTP control sessions with their passive-mode data connections, SSH key exchanges and sessions, and
 * {@link HttpTrafficGenerator}'s HTTP/1.1 connections. Every TCP connection is complete (handshake, acknowledged
 * data, FIN close) and every checksum valid; a few sessions run at once, their frames merged by time.
 * Used by {@code judo generate --apps} and its tshark oracle test.
 */
public final class AppTrafficGenerator {
    /** The kinds of session the mix holds. */
    public enum App {
        DNS_UDP, DNS_TCP, TLS12, TLS13, HTTP, SMTP, FTP, SSH
    }

    /** Each kind's share of sessions, in percent, in {@link App}'s order. */
    private static final int[] SHARES = {34, 3, 14, 16, 15, 6, 5, 7};

    private final SplittableRandom random;
    private final Endpoints endpoints;
    private final HttpTrafficGenerator http;
    private final Map<App, Long> sessions = new EnumMap<>(App.class);
    private BiConsumer<App, String> names = (app, name) -> { };
    private final DnsSessions dns;
    private final TlsSessions tls;
    private final SmtpSessions smtp;
    private final FtpSessions ftp;
    private final SshSessions ssh;
    /** 2026-12-05T09:00:00Z: within the generated certificates' validity. */
    private long time = 1_796_461_200_000_000_000L;
    private long packets;
    private long bytes;

    public AppTrafficGenerator(long seed) {
        this.random = new SplittableRandom(seed);
        this.endpoints = new Endpoints(random);
        this.http = new HttpTrafficGenerator(random.nextLong());
        this.dns = new DnsSessions(random, endpoints, name -> names.accept(App.DNS_UDP, name));
        this.tls = new TlsSessions(random, endpoints, name -> names.accept(App.TLS12, name));
        this.smtp = new SmtpSessions(random, endpoints);
        this.ftp = new FtpSessions(random, endpoints);
        this.ssh = new SshSessions(random, endpoints);
        for (App a : App.values()) {
            sessions.put(a, 0L);
        }
    }

    /**
     * Reports each DNS question name (as {@link App#DNS_UDP}, whatever the transport) and each TLS server name (as
     * {@link App#TLS12}, whatever the version) as it is written, for oracles to compare with a dissector's reading.
     */
    public AppTrafficGenerator names(BiConsumer<App, String> sink) {
        this.names = sink;
        return this;
    }

    /** Writes sessions until at least {@code maxPackets} packets or {@code maxBytes} bytes are written. */
    public void write(OutputStream out, long maxPackets, long maxBytes) throws IOException {
        PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false);
        while (packets < maxPackets && bytes < maxBytes) {
            int concurrent = 1 + random.nextInt(5);
            FrameBatch batch = new FrameBatch(time);
            for (int i = 0; i < concurrent; i++) {
                List<TcpConversation.Frame> f = session(pick(), time + random.nextInt(3_000_000));
                batch.add(f, f.get(f.size() - 1).timestampNanos());
            }
            bytes += batch.write(w);
            packets += batch.size();
            time = batch.end() + 1_000_000L + random.nextInt(20_000_000);
        }
        w.close();
    }

    private App pick() {
        int k = random.nextInt(100);
        for (int i = 0; i < SHARES.length; i++) {
            k -= SHARES[i];
            if (k < 0) {
                return App.values()[i];
            }
        }
        return App.DNS_UDP;
    }

    private List<TcpConversation.Frame> session(App app, long start) {
        sessions.merge(app, 1L, Long::sum);
        return switch (app) {
            case DNS_UDP -> dns.udp(start);
            case DNS_TCP -> dns.tcp(start).frames();
            case TLS12 -> tls.session(start, false).frames();
            case TLS13 -> tls.session(start, true).frames();
            case HTTP -> http.connection(start).frames();
            case SMTP -> smtp.session(start).frames();
            case FTP -> ftp.session(start);
            case SSH -> ssh.session(start).frames();
        };
    }

    /** Packets written by {@link #write}. */
    public long packets() {
        return packets;
    }

    /** Sessions of {@code app} written (for DNS over UDP: query exchanges). */
    public long sessions(App app) {
        return sessions.get(app);
    }

    /** DNS questions written, over UDP and TCP. */
    public long dnsQueries() {
        return dns.queries();
    }

    /** HTTP transactions written. */
    public long httpTransactions() {
        return http.transactions();
    }

    /** Mails delivered over SMTP. */
    public long mails() {
        return smtp.mails();
    }

    /** One line per kind: {@code DNS_UDP 123, ...}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (App a : App.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.name().toLowerCase(java.util.Locale.ROOT).replace('_', '/'))
                    .append(' ').append(sessions.get(a));
        }
        return sb.toString();
    }
}
