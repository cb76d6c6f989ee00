package io.judo.packet.build;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * DNS as a stub resolver and its recursive server exchange it: over UDP a query and its answer (sometimes an A and an
 * AAAA query side by side, as glibc sends them), over TCP a connection carrying a few length-prefixed queries (RFC
 * 7766) with larger answers. Questions ask for A, AAAA, MX, TXT or CNAME; answers use name compression, some follow
 * a CNAME chain, a few are NXDOMAIN with the zone's SOA; most messages carry an EDNS(0) OPT record.
 */
final class DnsSessions {
    private static final String[] ZONES = {"example.com", "example.net", "example.org"};
    private static final String[] HOSTS = {"www", "mail", "api", "cdn", "login", "static", "img", "news", "shop",
        "vpn", "ftp", "smtp", "ns1", "auth", "updates", "telemetry", "git", "docs", "status", "m"};
    private static final String RESOLVER_NET = "10.255.0";

    private final SplittableRandom random;
    private final Endpoints endpoints;
    private final Consumer<String> names;
    private long queries;

    DnsSessions(SplittableRandom random, Endpoints endpoints, Consumer<String> names) {
        this.random = random;
        this.endpoints = endpoints;
        this.names = names;
    }

    /** Questions written so far (each query message holds one). */
    long queries() {
        return queries;
    }

    /** One or two queries over UDP and their answers, from {@code start}. */
    List<TcpConversation.Frame> udp(long start) {
        boolean v6 = endpoints.oneIn(6);
        String client = endpoints.client(v6);
        String server = Endpoints.server(RESOLVER_NET, random.nextInt(2) * 43, v6);
        int port = endpoints.clientPort();
        String name = name();
        List<TcpConversation.Frame> frames = new ArrayList<>();
        long t = start;
        int[] types = random.nextInt(4) == 0 ? new int[] {DnsMessage.A, DnsMessage.AAAA} : new int[] {type()};
        List<byte[]> answers = new ArrayList<>();
        for (int type : types) {
            int id = random.nextInt(0x10000);
            frames.add(datagram(t, client, port, server, 53, query(id, name, type)));
            t += 20_000 + random.nextInt(200_000);
            answers.add(answer(id, name, type, false));
        }
        for (byte[] a : answers) {
            t += 1_000_000L + random.nextInt(30_000_000);
            frames.add(datagram(t, server, 53, client, port, a));
        }
        return frames;
    }

    private static TcpConversation.Frame datagram(long t, String src, int sport, String dst, int dport, byte[] p) {
        PacketBuilder b = PacketBuilder.ethernet();
        if (src.indexOf(':') >= 0) {
            b.ipv6(src, dst);
        } else {
            b.ipv4(src, dst);
        }
        return new TcpConversation.Frame(t, b.udp(sport, dport).payload(p).build());
    }

    /** A TCP connection to the resolver with one to three length-prefixed queries, each answered in turn. */
    TcpConversation tcp(long start) {
        boolean v6 = endpoints.oneIn(6);
        TcpConversation c = endpoints.connect(endpoints.client(v6), Endpoints.server(RESOLVER_NET, 43, v6), 53, start,
                300_000L + random.nextInt(2_000_000));
        c.handshake();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String name = name();
            int type = random.nextInt(3) == 0 ? DnsMessage.TXT : type();
            int id = random.nextInt(0x10000);
            c.clientSends(framed(query(id, name, type)));
            c.serverSends(framed(answer(id, name, type, true)));
        }
        c.close();
        return c;
    }

    /** A message behind its two-byte length, as DNS over TCP sends it. */
    private static byte[] framed(byte[] message) {
        WireBuffer w = new WireBuffer(message.length + 2);
        int mark = w.begin(2);
        return w.bytes(message).end(mark).toByteArray();
    }

    private int type() {
        int t = random.nextInt(100);
        return t < 55 ? DnsMessage.A : t < 80 ? DnsMessage.AAAA : t < 87 ? DnsMessage.MX : t < 95 ? DnsMessage.TXT
                : DnsMessage.CNAME;
    }

    private String zone() {
        return ZONES[random.nextInt(ZONES.length)];
    }

    private String name() {
        int k = random.nextInt(10);
        if (k == 0) {
            return zone();
        }
        String host = k == 1 ? "host-" + Long.toHexString(random.nextLong() >>> 40) : HOSTS[random.nextInt(HOSTS.length)];
        return (k == 2 ? "eu." : "") + host + "." + zone();
    }

    private byte[] query(int id, String name, int type) {
        queries++;
        names.accept(name);
        DnsMessage q = new DnsMessage(id, 0x0100).question(name, type);
        if (random.nextInt(4) != 0) {
            q.opt(random.nextBoolean() ? 1232 : 4096);
        }
        return q.build();
    }

    /** The recursive server's answer; {@code large} (over TCP) makes TXT answers long. */
    private byte[] answer(int id, String name, int type, boolean large) {
        int dot = name.lastIndexOf('.', name.lastIndexOf('.') - 1);
        String zone = name.substring(dot + 1);
        boolean nx = name.startsWith("host-") && random.nextInt(3) == 0;
        DnsMessage a = new DnsMessage(id, nx ? 0x8183 : 0x8180).question(name, type);
        long ttl = 30 + random.nextInt(86_370);
        if (nx) {
            a.authority().soa(zone, 900, "ns1." + zone, "hostmaster." + zone, 2026120501L, 300);
        } else if (type == DnsMessage.A || type == DnsMessage.AAAA || type == DnsMessage.CNAME) {
            String owner = name;
            if (type == DnsMessage.CNAME || random.nextInt(3) == 0) {
                String target = name.substring(0, name.indexOf('.')) + ".edge." + ZONES[random.nextInt(ZONES.length)];
                a.cname(owner, ttl, target);
                owner = target;
            }
            int n = type == DnsMessage.CNAME ? 1 : 1 + random.nextInt(random.nextInt(4) == 0 ? 6 : 2);
            for (int i = 0; i < n; i++) {
                if (type == DnsMessage.AAAA) {
                    byte[] ip = new byte[16];
                    ip[0] = 0x20;
                    ip[1] = 0x01;
                    ip[2] = 0x0d;
                    ip[3] = (byte) 0xb8;
                    ip[15] = (byte) (1 + random.nextInt(250));
                    ip[14] = (byte) random.nextInt(256);
                    a.aaaa(owner, ttl, ip);
                } else {
                    int net = random.nextInt(3);
                    a.a(owner, ttl, new byte[] {(byte) (net == 0 ? 192 : net == 1 ? 198 : 203),
                        (byte) (net == 0 ? 0 : net == 1 ? 51 : 0), (byte) (net == 0 ? 2 : net == 1 ? 100 : 113),
                        (byte) (1 + random.nextInt(250))});
                }
            }
        } else if (type == DnsMessage.MX) {
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                a.mx(name, ttl, 10 * (i + 1), (i == 0 ? "mx" : "mx" + (i + 1)) + "." + zone);
            }
        } else {
            a.txt(name, ttl, "v=spf1 include:_spf." + zone + " ip4:192.0.2.0/24 ~all");
            int n = large ? 3 + random.nextInt(8) : random.nextInt(3);
            for (int i = 0; i < n; i++) {
                a.txt(name, ttl, i % 2 == 0 ? "site-verification=" + token(43) : "v=DKIM1; k=rsa; p=" + token(200));
            }
        }
        if (!nx && random.nextInt(3) == 0) {
            a.authority().ns(zone, 172_800, "ns1." + zone).ns(zone, 172_800, "ns2." + zone);
        }
        if (random.nextInt(4) != 0) {
            a.opt(1232);
        }
        return a.build();
    }

    private static final char[] BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            .toCharArray();

    private String token(int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = BASE64[random.nextInt(BASE64.length)];
        }
        return new String(c);
    }
}
