package io.judo.cli;

import io.judo.packet.build.AppTrafficGenerator;
import io.judo.packet.build.HttpTrafficGenerator;
import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.build.TunnelTrafficGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code judo generate}: writes synthetic captures for benchmarks and experiments. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a synthetic capture: a seeded mix of TCP (HTTP-like, IPv4/IPv6, some VLAN-tagged), "
                + "DNS-like UDP, ICMP/ICMPv6 echoes and fragmented UDP; or, with --http, realistic HTTP/1.1 "
                + "connections only; or, with --apps, an application mix (DNS, TLS 1.2/1.3, HTTP, SMTP, FTP, SSH).",
        footer = {"", "Examples:",
                "  judo generate --out mix.pcap --packets 100000",
                "  judo generate --out big.pcap --size 1G --seed 7",
                "  judo generate --http --out web.pcap --size 200M",
                "  judo generate --apps --out apps.pcap --size 200M",
                "  judo generate --demo --out demo.pcap     the capture `judo scan` runs on"})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Output pcap file.")
    Path out;

    @Option(names = "--packets", description = "Stop after about this many packets (default: unlimited).")
    long packets = Long.MAX_VALUE;

    @Option(names = "--size", description = "Stop after about this many bytes, e.g. 500M, 1G (default: 10M unless "
            + "--packets is given).")
    String size;

    @OptionChecks.Signed
    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--demo", description = "Write the bundled demo capture instead.")
    boolean demo;

    @Option(names = "--http", description = "HTTP/1.1 traffic only: full TCP connections with varied methods, URIs, "
            + "hosts, user agents, referers and cookies; Content-Length, chunked, gzip and deflate bodies; 204 and "
            + "304 without a body; some pipelined connections; messages cut into segments of varied sizes.")
    boolean http;

    @Option(names = "--apps", description = "An application mix: DNS over UDP and TCP (A, AAAA, CNAME, TXT, MX, "
            + "compressed names), TLS 1.2 handshakes with real certificate chains and TLS 1.3 handshakes (SNI, ALPN, "
            + "key shares) then encrypted records, HTTP/1.1, SMTP mail with base64 attachments, FTP sessions with "
            + "their passive data connections, SSH key exchanges and sessions.")
    boolean apps;

    @Option(names = "--tunnels", description = "HTTP connections inside every tunnel and encapsulation Judo decodes, "
            + "in turn: GRE (plain, with key/sequence/checksum, Ethernet, GRE in GRE), PPTP, ERSPAN I-III, IP-in-IP, "
            + "6in4, 4in6, 6in6, Teredo, VXLAN, Geneve, MPLS (IP and Ethernet pseudowires), PPPoE, NSH, QinQ; each "
            + "asks for /tunnel/KIND.")
    boolean tunnels;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        java.io.PrintWriter err = spec.commandLine().getErr();
        java.util.List<String> kinds = new java.util.ArrayList<>();
        if (demo) {
            kinds.add("--demo");
        }
        if (http) {
            kinds.add("--http");
        }
        if (apps) {
            kinds.add("--apps");
        }
        if (tunnels) {
            kinds.add("--tunnels");
        }
        if (kinds.size() > 1) {
            throw new UserError(String.join(" and ", kinds) + ": choose one");
        }
        if (demo) {
            DemoCapture.writeTo(out);
            err.printf("judo: wrote %s: the bundled demo capture (%,d bytes)%n", out, DemoCapture.bundled().length);
            err.flush();
            return 0;
        }
        long bytes = size != null ? parseSize(size) : packets == Long.MAX_VALUE ? 10L << 20 : Long.MAX_VALUE;
        TrafficGenerator mix = http || apps || tunnels ? null : new TrafficGenerator(seed);
        HttpTrafficGenerator web = http ? new HttpTrafficGenerator(seed) : null;
        AppTrafficGenerator app = apps ? new AppTrafficGenerator(seed) : null;
        TunnelTrafficGenerator tunnelled = tunnels ? new TunnelTrafficGenerator(seed) : null;
        LongSupplier written = http ? web::packets : apps ? app::packets : tunnels ? tunnelled::packets
                : mix::packets;
        ProgressLine progress = new ProgressLine(err);
        try (OutputStream o = new BufferedOutputStream(counting(Files.newOutputStream(out), written, progress),
                1 << 20)) {
            if (http) {
                web.write(o, packets, bytes);
            } else if (apps) {
                app.write(o, packets, bytes);
            } else if (tunnels) {
                tunnelled.write(o, packets, bytes);
            } else {
                mix.write(o, packets, bytes);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            progress.finish();
            throw new UserError(out + ": cannot create (no such directory)");
        } catch (java.nio.file.AccessDeniedException e) {
            progress.finish();
            throw new UserError(out + ": permission denied");
        }
        String what = http ? String.format(" (%,d HTTP transactions)", web.transactions())
                : apps ? " (sessions: " + app.summary() + ")"
                : tunnels ? String.format(" (%,d tunnelled HTTP connections)", tunnelled.connections()) : "";
        progress.done(String.format("judo: wrote %s: %,d packets%s, %,d bytes, seed %d", out, written.getAsLong(),
                what, Files.size(out), seed));
        return 0;
    }

    /**
     * {@code file}, showing progress each time the buffer in front of it hands on a block (every MiB), so progress
     * costs nothing per packet.
     */
    private OutputStream counting(OutputStream file, LongSupplier packetsWritten, ProgressLine progress) {
        return new java.io.FilterOutputStream(file) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                written += len;
                progress.step(String.format("generating %s: %,d packets, %,.1f MB written", GenerateCommand.this.out,
                        packetsWritten.getAsLong(), written / 1e6));
            }
        };
    }

    static long parseSize(String s) {
        return parseSize("--size", s);
    }

    /** A byte count as 123, 64K, 500M or 1G, for {@code option}'s value {@code s}. */
    static long parseSize(String option, String s) {
        String t = s.trim().toUpperCase(java.util.Locale.ROOT);
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1L << 10;
        } else if (t.endsWith("M")) {
            mult = 1L << 20;
        } else if (t.endsWith("G")) {
            mult = 1L << 30;
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Long.parseLong(t) * mult;
        } catch (NumberFormatException e) {
            throw new UserError(option + ": not a size: '" + s + "' (use e.g. 500M or 1G)");
        }
    }
}
