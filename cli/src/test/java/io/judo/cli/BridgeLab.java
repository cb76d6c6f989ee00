package io.judo.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test network of real Linux TCP stacks with {@code judo inline} in the middle, in three network namespaces the lab
 * creates and removes itself:
 *
 * <pre>
 *   client ns  [c] 10.77.0.1 ── veth ── [a] judo ns [b] ── veth ── [s] 10.77.0.2  server ns
 * </pre>
 *
 * The judo namespace has no addresses (IPv6 off), so its kernel ignores the traffic it bridges. Segmentation and
 * checksum offloads are switched off everywhere, so every frame is a real segment with a real checksum.
 */
final class BridgeLab implements AutoCloseable {
    static final String CLIENT_IP = "10.77.0.1";
    static final String SERVER_IP = "10.77.0.2";
    static final String CLIENT_IP6 = "fd77::1";
    static final String SERVER_IP6 = "fd77::2";

    final String client;
    final String judo;
    final String server;
    final String sideA;
    final String sideB;
    private final List<Process> processes = new ArrayList<>();

    /** Why the lab cannot run here, or null when it can. */
    static String unavailable() {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            return "not Linux";
        }
        for (String tool : List.of("ip", "ethtool", "python3", "curl")) {
            if (!onPath(tool)) {
                return tool + " is not installed";
            }
        }
        String probe = "jdprobe" + ProcessHandle.current().pid();
        try {
            if (run("ip", "netns", "add", probe) != 0) {
                return "cannot create network namespaces (needs root)";
            }
            run("ip", "netns", "del", probe);
        } catch (IOException e) {
            return "cannot run ip: " + e.getMessage();
        }
        return null;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    BridgeLab(String tag) throws IOException {
        String p = "jd" + tag + (ProcessHandle.current().pid() % 10_000);
        client = p + "c";
        judo = p + "j";
        server = p + "s";
        sideA = p + "a";
        sideB = p + "b";
        String vc = p + "vc";
        String vs = p + "vs";
        close(); // leftovers of a killed earlier run with the same pid
        try {
            for (String ns : List.of(client, judo, server)) {
                must("ip", "netns", "add", ns);
            }
            must("ip", "link", "add", vc, "netns", client, "type", "veth", "peer", "name", sideA, "netns", judo);
            must("ip", "link", "add", vs, "netns", server, "type", "veth", "peer", "name", sideB, "netns", judo);
            must("ip", "netns", "exec", judo, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
            for (String[] end : new String[][] {{client, vc}, {server, vs}, {judo, sideA}, {judo, sideB}}) {
                // real segments, real checksums: no TSO/GSO/GRO, no checksum offload
                must("ip", "netns", "exec", end[0], "ethtool", "-K", end[1], "tso", "off", "gso", "off", "gro",
                        "off", "tx", "off", "rx", "off");
                must("ip", "netns", "exec", end[0], "ip", "link", "set", end[1], "up");
            }
            must("ip", "netns", "exec", client, "ip", "addr", "add", CLIENT_IP + "/24", "dev", vc);
            must("ip", "netns", "exec", server, "ip", "addr", "add", SERVER_IP + "/24", "dev", vs);
            must("ip", "netns", "exec", client, "ip", "-6", "addr", "add", CLIENT_IP6 + "/64", "dev", vc, "nodad");
            must("ip", "netns", "exec", server, "ip", "-6", "addr", "add", SERVER_IP6 + "/64", "dev", vs, "nodad");
            for (String ns : List.of(client, server)) {
                must("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts the HTTP server (serving {@code dir} on port {@code port}) in the server namespace. */
    void httpServer(Path dir, int port) throws IOException {
        Path script = Files.createTempFile("judo-http", ".py");
        try (InputStream in = BridgeLab.class.getResourceAsStream("inline/http_server.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder("ip", "netns", "exec", server, "python3", script.toString(), dir.toString(),
                "::", String.valueOf(port)).redirectErrorStream(true).start();
        processes.add(p);
        waitFor(p, "ready", "HTTP server");
        drain(p.getInputStream(), serverLog);
    }

    private final StringBuilder serverLog = new StringBuilder();

    /** What the HTTP server logged so far: one line per request, the client's address first. */
    String serverLog() {
        synchronized (serverLog) {
            return serverLog.toString();
        }
    }

    /** The MAC address of the client's (c) or server's (s) interface. */
    String mac(char which) throws IOException, InterruptedException {
        String ns = which == 'c' ? client : server;
        String dev = judo.substring(0, judo.length() - 1) + (which == 'c' ? "vc" : "vs");
        return exec(ns, "cat", "/sys/class/net/" + dev + "/address").trim();
    }

    /** A static neighbour entry in the client's or server's namespace (an address nobody answers ARP for). */
    void neighbour(char which, String address, String mac) throws IOException, InterruptedException {
        String ns = which == 'c' ? client : server;
        String dev = judo.substring(0, judo.length() - 1) + (which == 'c' ? "vc" : "vs");
        exec(ns, "ip", "neigh", "replace", address, "lladdr", mac, "dev", dev);
    }

    /**
     * Joins the judo namespace's two sides in a Linux kernel bridge instead of judo (the peer for benchmarks), or
     * takes it down again.
     */
    void kernelBridge(boolean on) throws IOException {
        if (on) {
            must("ip", "netns", "exec", judo, "ip", "link", "add", "kbr", "type", "bridge");
            must("ip", "netns", "exec", judo, "ip", "link", "set", sideA, "master", "kbr");
            must("ip", "netns", "exec", judo, "ip", "link", "set", sideB, "master", "kbr");
            must("ip", "netns", "exec", judo, "ip", "link", "set", "kbr", "up");
        } else {
            must("ip", "netns", "exec", judo, "ip", "link", "del", "kbr");
        }
    }

    /** Starts a TCP echo server on {@code port} in the server namespace (for round-trip times). */
    void tcpEcho(int port) throws IOException {
        String script = "import socket, threading\n"
                + "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
                + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind(('0.0.0.0', " + port + "))\n"
                + "s.listen(8)\n"
                + "print('ready', flush=True)\n"
                + "def serve(c):\n"
                + "    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)\n"
                + "    while True:\n"
                + "        d = c.recv(4096)\n"
                + "        if not d:\n"
                + "            return\n"
                + "        c.sendall(d)\n"
                + "while True:\n"
                + "    c, _ = s.accept()\n"
                + "    threading.Thread(target=serve, args=(c,), daemon=True).start()\n";
        serverScript(script, "TCP echo server");
    }

    /** Starts a python3 script in the server namespace and waits until it prints "ready". */
    private void serverScript(String script, String what) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", server, "python3", "-c", script)
                .redirectErrorStream(true).start();
        processes.add(p);
        waitFor(p, "ready", what);
    }

    /**
     * {@code count} round trips of a 64-byte message over one TCP connection from the client namespace; returns each
     * round-trip time in nanoseconds.
     */
    long[] roundTrips(String host, int port, int count) throws IOException, InterruptedException {
        String script = "import socket, time\n"
                + "c = socket.create_connection(('" + host + "', " + port + "))\n"
                + "c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)\n"
                + "m = b'x' * 64\n"
                + "out = []\n"
                + "for i in range(" + count + "):\n"
                + "    t = time.perf_counter_ns()\n"
                + "    c.sendall(m)\n"
                + "    n = 0\n"
                + "    while n < 64:\n"
                + "        n += len(c.recv(64 - n))\n"
                + "    out.append(time.perf_counter_ns() - t)\n"
                + "print(' '.join(map(str, out)))\n";
        String[] parts = exec(client, "python3", "-c", script).trim().split(" ");
        long[] rtt = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            rtt[i] = Long.parseLong(parts[i]);
        }
        return rtt;
    }

    /** Starts a UDP echo server on {@code port} (IPv4 and IPv6) in the server namespace. */
    void udpEcho(int port) throws IOException {
        String script = "import socket\n"
                + "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\n"
                + "s.bind(('::', " + port + "))\n"
                + "print('ready', flush=True)\n"
                + "while True:\n"
                + "    d, a = s.recvfrom(2048)\n"
                + "    s.sendto(d, a)\n";
        serverScript(script, "UDP echo server");
    }

    /**
     * Sends one UDP datagram from the client namespace to {@code host}:{@code port} on a connected socket and
     * returns what happened: "echo", "refused" (an ICMP port unreachable reached the socket) or "timeout".
     */
    String udpProbe(String host, int port) throws IOException, InterruptedException {
        String family = host.contains(":") ? "AF_INET6" : "AF_INET";
        String script = "import socket\n"
                + "s = socket.socket(socket." + family + ", socket.SOCK_DGRAM)\n"
                + "s.settimeout(2)\n"
                + "s.connect(('" + host + "', " + port + "))\n"
                + "s.send(b'probe')\n"
                + "try:\n"
                + "    print('echo' if s.recv(100) == b'probe' else 'other')\n"
                + "except ConnectionRefusedError:\n"
                + "    print('refused')\n"
                + "except socket.timeout:\n"
                + "    print('timeout')\n";
        return exec(client, "python3", "-c", script).trim();
    }

    /** Gives the client namespace another IPv4 address (a second client, by source address). */
    void clientAddress(String address) throws IOException {
        String dev = judo.substring(0, judo.length() - 1) + "vc";
        must("ip", "netns", "exec", client, "ip", "addr", "add", address + "/24", "dev", dev);
    }

    /**
     * Opens {@code count} TCP connections from source address {@code from} to the echo server at {@code host:port},
     * one every {@code gapMillis} (each in its own thread, so a stalled one does not hold back the rest), and echoes
     * a message over each; returns how many connected and were echoed within two seconds.
     */
    int echoedConnections(String from, String host, int port, int count, int gapMillis)
            throws IOException, InterruptedException {
        String script = "import socket, threading, time\n"
                + "ok = []\n"
                + "def one(i):\n"
                + "    try:\n"
                + "        c = socket.create_connection(('" + host + "', " + port + "), timeout=2, source_address=('"
                + from + "', 0))\n"
                + "        c.sendall(b'hello %d' % i)\n"
                + "        if c.recv(100) == b'hello %d' % i:\n"
                + "            ok.append(i)\n"
                + "        c.close()\n"
                + "    except OSError:\n"
                + "        pass\n"
                + "ts = []\n"
                + "for i in range(" + count + "):\n"
                + "    t = threading.Thread(target=one, args=(i,))\n"
                + "    t.start()\n"
                + "    ts.append(t)\n"
                + "    time.sleep(" + gapMillis / 1000.0 + ")\n"
                + "for t in ts:\n"
                + "    t.join()\n"
                + "print(len(ok))\n";
        return Integer.parseInt(exec(client, "python3", "-c", script).trim());
    }

    /** A running {@code judo inline}; its output goes to files. */
    static final class Bridge {
        final Process process;
        final Path out;
        final Path err;

        Bridge(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        String err() throws IOException {
            return Files.readString(err);
        }

        /** Stops it with SIGTERM as a user would; returns its summary (stdout) and checks it exited 0. */
        String stop() throws InterruptedException, IOException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("judo inline did not stop on SIGTERM; stderr: " + err());
            }
            String summary = Files.readString(out);
            if (process.exitValue() != 0) {
                throw new AssertionError("judo inline exited " + process.exitValue() + "; stdout: " + summary
                        + "; stderr: " + err());
            }
            return summary;
        }
    }

    /** Starts {@code judo inline ARGS... sideA sideB} in the judo namespace and waits until it bridges. */
    Bridge judo(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", judo,
                ProcessHandle.current().info().command().orElse("java")));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Xss")) {
                cmd.add(a); // the journal's JVM flags, as the launcher gives them
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Judo.class.getName(), "inline"));
        cmd.addAll(List.of(args));
        cmd.add(sideA);
        cmd.add(sideB);
        Path out = Files.createTempFile("judo-inline", ".out");
        Path err = Files.createTempFile("judo-inline", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(err).contains("bridging")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("judo inline did not start: " + Files.readString(err));
            }
            Thread.sleep(20);
        }
        return new Bridge(p, out, err);
    }

    /** Result of one curl in the client namespace. */
    record Curl(int exit, String report) {
    }

    /** Fetches {@code url} into {@code out} from the client namespace; {@code -w} report on stdout. */
    Curl curl(String url, Path out, int timeoutSeconds) throws IOException, InterruptedException {
        return curl(url, out, timeoutSeconds, null);
    }

    /**
     * As {@link #curl(String, Path, int)}, reading at most {@code rate} (curl's {@code --limit-rate}, e.g. "8M") when
     * not null: the client's receive window fills and the sender waits for it to open, mid-stream.
     */
    Curl curl(String url, Path out, int timeoutSeconds, String rate) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", client, "curl", "-sS", "-g", "-m",
                String.valueOf(timeoutSeconds), "-o", out.toString(), "-w", "%{http_code} %{size_download}"));
        if (rate != null) {
            cmd.addAll(List.of("--limit-rate", rate));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Curl(p.waitFor(), report);
    }

    /** As {@link #curl}, the report ending with curl's total time in seconds. */
    Curl curlTimed(String url, Path out, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", client, "curl", "-sS", "-g", "-m",
                String.valueOf(timeoutSeconds), "-o", out.toString(), "-w", "%{http_code} %{size_download} "
                + "%{time_total}", url).redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return new Curl(p.waitFor(), report);
    }

    /** Runs a command in a namespace; returns its output (stdout and stderr). */
    String exec(String ns, String... cmd) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return s;
    }

    /** Reads {@code p}'s output until a line holds {@code word}. */
    private static void waitFor(Process p, String word, String what) throws IOException {
        StringBuilder seen = new StringBuilder();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while ((line = r.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains(word)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        throw new IOException(what + " did not start: " + seen);
    }

    private static void drain(InputStream in, StringBuilder into) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (into) {
                        into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "bridge-lab-drain");
        t.setDaemon(true);
        t.start();
    }

    private static int run(String... cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void must(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + ": " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void close() throws IOException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        for (String ns : List.of(client, judo, server)) {
            run("ip", "netns", "del", ns); // removes the veths in it too
        }
    }
}
