package io.judo.packet.build;

import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a deterministic (seeded) capture of realistic HTTP/1.1 traffic: complete TCP connections (handshake,
 * requests and responses, FIN close) over IPv4 and some IPv6, several connections interleaved in time. Requests are
 * mostly GET, some POST with form or JSON bodies (a few chunked), HEAD, PUT, DELETE and OPTIONS, with varied paths,
 * query strings (some percent-encoded), hosts, user agents, referers and cookies. Responses carry Content-Length or
 * chunked bodies (random chunk sizes), some gzip- or deflate-encoded, redirects with Location, 204 and 304 without a
 * body. Some connections pipeline their requests, and messages are cut into TCP segments of varied sizes, so that
 * one message spans segments and one segment may hold the end of one request and the start of the next. Two
 * things tshark 4.0 (the capture's oracle) misreads are left out: HEAD requests in a pipeline, and pipelined
 * responses starting inside a segment.
 * Used by {@code judo generate --http}, the HTTP benchmarks and the tshark oracle test.
 */
public final class HttpTrafficGenerator {
    private static final DateTimeFormatter DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] HOSTS = {"www.example.com", "api.example.net", "cdn.example.org",
        "shop.example.com", "news.example.org", "static.example.net", "login.example.com", "img.example.com",
        "mail.example.org", "blog.example.net"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64; rv:118.0) Gecko/20100101 Firefox/118.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 "
                + "Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
                + "Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                + "Mobile/15E148",
        "curl/8.4.0", "Wget/1.21.3", "python-requests/2.31.0", "Go-http-client/1.1", "okhttp/4.12.0"};
    private static final String[] SERVERS = {"nginx/1.24.0", "Apache/2.4.57 (Debian)", "Microsoft-IIS/10.0",
        "cloudflare", "gunicorn", "Jetty(11.0.18)"};
    private static final String[] WORDS = {"api", "v1", "v2", "users", "search", "static", "assets", "products",
        "cart", "login", "news", "article", "2026", "images", "docs", "help", "account", "orders", "item", "blog",
        "tag", "category", "media", "download", "en", "fr"};
    private static final String[] QUERY_VALUES = {"shoes", "red%20shoes", "caf%C3%A9", "a+b+c", "%2Fhome%3Fx%3D1",
        "100%25", "%E2%82%AC", "q%26a", "12345", "true", "json", "%3Cscript%3E", "x%20y%2Bz"};

    /** What a path's extension makes of the response body. */
    private enum Kind {
        HTML("text/html; charset=utf-8", true), JSON("application/json", true),
        JS("application/javascript", true), CSS("text/css", true), PNG("image/png", false),
        PLAIN("text/plain", true);

        final String contentType;
        final boolean text;

        Kind(String contentType, boolean text) {
            this.contentType = contentType;
            this.text = text;
        }
    }

    /** One request and what its response should be. */
    private record Exchange(byte[] request, byte[] response) {
    }

    private final SplittableRandom random;
    private long time = 1_700_000_000_000_000_000L;
    private long packets;
    private long bytes;
    private long transactions;

    public HttpTrafficGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Writes connections until at least {@code maxPackets} packets or {@code maxBytes} bytes are written. */
    public void write(OutputStream out, long maxPackets, long maxBytes) throws IOException {
        PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false);
        while (packets < maxPackets && bytes < maxBytes) {
            int concurrent = 1 + random.nextInt(4);
            FrameBatch batch = new FrameBatch(time);
            for (int i = 0; i < concurrent; i++) {
                TcpConversation c = connection(time + random.nextInt(2_000_000));
                batch.add(c.frames(), c.clock());
            }
            bytes += batch.write(w);
            packets += batch.size();
            time = batch.end() + 1_000_000L + random.nextInt(50_000_000);
        }
        w.close();
    }

    /** Packets written by {@link #write}. */
    public long packets() {
        return packets;
    }

    /** HTTP transactions (request and response pairs) written by {@link #write}. */
    public long transactions() {
        return transactions;
    }

    /** One connection from {@code start} (also {@link AppTrafficGenerator}'s HTTP share). */
    TcpConversation connection(long start) {
        boolean v6 = random.nextInt(8) == 0;
        int hostIndex = random.nextInt(HOSTS.length);
        String client = v6 ? "2001:db8:1::" + Integer.toHexString(1 + random.nextInt(0xfffe))
                : "10." + random.nextInt(4) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        String server = v6 ? "2001:db8:80::" + Integer.toHexString(hostIndex + 1) : "192.0.2." + (10 + hostIndex);
        int port = random.nextInt(10) == 0 ? 8080 : 80;
        String host = HOSTS[hostIndex] + (port == 80 ? "" : ":" + port);
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, client, 1024 + random.nextInt(60000), server,
                port, random.nextLong() & 0xffffffffL, random.nextLong() & 0xffffffffL)
                .clock(start, 200_000L + random.nextInt(3_000_000));
        c.handshake();
        String agent = AGENTS[random.nextInt(AGENTS.length)];
        String cookie = random.nextInt(3) == 0 ? "session=" + hex(16) + (random.nextBoolean() ? "; lang=en" : "")
                : null;
        int count = 1 + random.nextInt(random.nextInt(4) == 0 ? 8 : 3);
        boolean pipelined = count > 1 && random.nextInt(5) == 0;
        List<Exchange> exchanges = new ArrayList<>();
        String referer = null;
        for (int i = 0; i < count; i++) {
            exchanges.add(exchange(host, agent, cookie, referer, i == count - 1, pipelined));
            if (random.nextBoolean()) {
                referer = "http://" + host + path(Kind.HTML);
            }
        }
        transactions += count;
        if (pipelined) {
            // Pipelined: every request before any response, the requests' bytes run together across segments. The
            // server writes each response from its own first segment: tshark 4.0 marks a chunked response that
            // starts inside a segment and ends in a later one malformed, and this capture must be its oracle's.
            ByteArrayOutputStream requests = new ByteArrayOutputStream();
            for (Exchange e : exchanges) {
                requests.writeBytes(e.request());
            }
            send(c, true, requests.toByteArray());
            for (Exchange e : exchanges) {
                send(c, false, e.response());
            }
        } else {
            for (Exchange e : exchanges) {
                send(c, true, e.request());
                send(c, false, e.response());
            }
        }
        c.close();
        return c;
    }

    /** Sends {@code data} cut into segments: full-sized mostly, random sizes for some messages. */
    private void send(TcpConversation c, boolean fromClient, byte[] data) {
        int style = random.nextInt(10);
        for (int off = 0; off < data.length;) {
            int len = style < 6 ? 1460 : style < 9 ? 1 + random.nextInt(1460) : 1 + random.nextInt(64);
            len = Math.min(keepLastChunk(data, off, off + len), data.length) - off;
            byte[] piece = java.util.Arrays.copyOfRange(data, off, off + len);
            if (fromClient) {
                c.clientSends(piece);
            } else {
                c.serverSends(piece);
            }
            off += len;
        }
    }

    /**
     * Moves a cut at {@code end} of the segment starting at {@code start} off a chunked body's last chunk ({@code
     * \r\n0\r\n\r\n}) it would split: past it, or before it where past it would make the segment longer than
     * 1460 bytes. tshark 4.0 ends such a body at the last chunk's first CRLF and marks the rest malformed, and
     * servers write the last chunk whole anyway.
     */
    private static int keepLastChunk(byte[] data, int start, int end) {
        for (int k = 1; k <= 4; k++) {
            int at = end - k;
            if (at >= 2 && at + 5 <= data.length && data[at - 2] == '\r' && data[at - 1] == '\n' && data[at] == '0'
                    && data[at + 1] == '\r' && data[at + 2] == '\n' && data[at + 3] == '\r' && data[at + 4] == '\n') {
                return at + 5 - start <= 1460 || at <= start ? at + 5 : at;
            }
        }
        return end;
    }

    private Exchange exchange(String host, String agent, String cookie, String referer, boolean last,
            boolean pipelined) {
        int m = random.nextInt(100);
        // No HEAD in a pipeline: tshark 4.0 reads a pipelined HEAD's response as if it had the body its
        // Content-Length announces (it takes the latest request's method), and this capture must be its oracle's.
        String method = m < 72 ? "GET" : m < 88 ? "POST" : m < 93 ? (pipelined ? "GET" : "HEAD") : m < 96 ? "PUT"
                : m < 98 ? "DELETE" : "OPTIONS";
        Kind kind = method.equals("POST") || method.equals("PUT") ? Kind.JSON
                : Kind.values()[random.nextInt(Kind.values().length)];
        String path = method.equals("OPTIONS") && random.nextBoolean() ? "*" : path(kind) + query();
        boolean conditional = method.equals("GET") && random.nextInt(8) == 0;
        StringBuilder h = new StringBuilder(512);
        h.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(host).append("\r\n");
        h.append("User-Agent: ").append(agent).append("\r\n");
        h.append("Accept: ").append(kind == Kind.HTML ? "text/html,application/xhtml+xml,*/*;q=0.8" : "*/*")
                .append("\r\n");
        boolean gzipOk = random.nextInt(5) != 0;
        if (gzipOk) {
            h.append("Accept-Encoding: gzip, deflate\r\n");
        }
        if (random.nextBoolean()) {
            h.append("Accept-Language: en-US,en;q=0.5\r\n");
        }
        if (referer != null) {
            h.append("Referer: ").append(referer).append("\r\n");
        }
        if (cookie != null) {
            h.append("Cookie: ").append(cookie).append("\r\n");
        }
        if (conditional) {
            h.append("If-None-Match: \"").append(hex(8)).append("\"\r\n");
        }
        if (last && random.nextBoolean()) {
            h.append("Connection: close\r\n");
        } else if (random.nextBoolean()) {
            h.append("Connection: keep-alive\r\n");
        }
        byte[] body = new byte[0];
        if (method.equals("POST") || method.equals("PUT")) {
            boolean form = method.equals("POST") && random.nextBoolean();
            body = (form ? form() : json(20 + random.nextInt(random.nextInt(4) == 0 ? 8000 : 400)))
                    .getBytes(StandardCharsets.UTF_8);
            h.append("Content-Type: ").append(form ? "application/x-www-form-urlencoded" : "application/json")
                    .append("\r\n");
            if (random.nextInt(10) == 0) {
                h.append("Transfer-Encoding: chunked\r\n");
                body = chunked(body);
            } else {
                h.append("Content-Length: ").append(body.length).append("\r\n");
            }
        }
        h.append("\r\n");
        return new Exchange(concat(h.toString().getBytes(StandardCharsets.US_ASCII), body),
                response(method, kind, conditional, gzipOk, last));
    }

    private byte[] response(String method, Kind kind, boolean conditional, boolean gzipOk, boolean last) {
        int r = random.nextInt(100);
        int status;
        if (conditional && r < 60) {
            status = 304;
        } else if (method.equals("DELETE") || method.equals("OPTIONS")) {
            status = 204;
        } else if (method.equals("POST")) {
            status = r < 70 ? 200 : r < 85 ? 201 : 303;
        } else {
            status = r < 85 ? 200 : r < 90 ? 404 : r < 94 ? 301 : r < 97 ? 302 : 204;
        }
        StringBuilder h = new StringBuilder(512);
        h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("Date: ").append(DATE.format(Instant.ofEpochSecond(time / 1_000_000_000L))).append("\r\n");
        h.append("Server: ").append(SERVERS[random.nextInt(SERVERS.length)]).append("\r\n");
        if (status == 301 || status == 302 || status == 303) {
            h.append("Location: ").append(random.nextBoolean() ? "https://" + HOSTS[random.nextInt(HOSTS.length)] : "")
                    .append(path(Kind.HTML)).append("\r\n");
        }
        if (random.nextInt(4) == 0) {
            h.append("Set-Cookie: id=").append(hex(12)).append("; Path=/; HttpOnly\r\n");
        }
        if (method.equals("OPTIONS")) {
            h.append("Allow: GET, HEAD, POST, OPTIONS\r\n");
        }
        if (last && random.nextBoolean()) {
            h.append("Connection: close\r\n");
        }
        if (status == 204 || status == 304) {
            if (status == 304) {
                h.append("ETag: \"").append(hex(8)).append("\"\r\n");
            }
            return h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        }
        Kind bodyKind = status == 200 || status == 201 ? kind : Kind.HTML;
        byte[] body = body(bodyKind, status);
        h.append("Content-Type: ").append(bodyKind.contentType).append("\r\n");
        if (bodyKind.text && gzipOk && body.length > 200 && random.nextInt(10) < 5) {
            boolean gzip = random.nextInt(5) != 0;
            h.append("Content-Encoding: ").append(gzip ? "gzip" : "deflate").append("\r\n");
            body = gzip ? gzip(body) : zlib(body);
        }
        boolean head = method.equals("HEAD");
        if (!head && random.nextInt(10) < 4) {
            h.append("Transfer-Encoding: chunked\r\n\r\n");
            return concat(h.toString().getBytes(StandardCharsets.US_ASCII), chunked(body));
        }
        h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] head0 = h.toString().getBytes(StandardCharsets.US_ASCII);
        return head ? head0 : concat(head0, body);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 404 -> "Not Found";
            default -> "Unknown";
        };
    }

    private String path(Kind kind) {
        StringBuilder p = new StringBuilder();
        int depth = random.nextInt(4);
        for (int i = 0; i < depth; i++) {
            p.append('/').append(WORDS[random.nextInt(WORDS.length)]);
        }
        String name = switch (kind) {
            case HTML -> random.nextBoolean() ? "index.html" : WORDS[random.nextInt(WORDS.length)] + ".html";
            case JSON -> WORDS[random.nextInt(WORDS.length)];
            case JS -> "app." + hex(4) + ".js";
            case CSS -> "style.css";
            case PNG -> "img" + random.nextInt(1000) + ".png";
            case PLAIN -> random.nextInt(4) == 0 ? "my%20notes.txt" : "robots.txt";
        };
        return p.append('/').append(name).toString();
    }

    private String query() {
        if (random.nextInt(3) != 0) {
            return "";
        }
        StringBuilder q = new StringBuilder("?");
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                q.append('&');
            }
            q.append(WORDS[random.nextInt(WORDS.length)]).append('=')
                    .append(QUERY_VALUES[random.nextInt(QUERY_VALUES.length)]);
        }
        return q.toString();
    }

    private String form() {
        return "user=" + WORDS[random.nextInt(WORDS.length)] + random.nextInt(100) + "&password=" + hex(6)
                + "&remember=on&next=%2Faccount%3Ftab%3D" + random.nextInt(9);
    }

    private String json(int size) {
        StringBuilder sb = new StringBuilder(size + 64).append("{\"id\":").append(random.nextInt(100_000))
                .append(",\"items\":[");
        for (int i = 0; sb.length() < size; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"sku\":\"").append(hex(5)).append("\",\"qty\":")
                    .append(1 + random.nextInt(9)).append(",\"note\":\"").append(RandomText.word(random))
                    .append(" \\u00e9\"}");
        }
        return sb.append("]}").toString();
    }

    private byte[] body(Kind kind, int status) {
        int size = random.nextInt(10) < 7 ? 100 + random.nextInt(3000) : 3000 + random.nextInt(40_000);
        if (status != 200 && status != 201) {
            return ("<html><head><title>" + status + " " + reason(status) + "</title></head><body><h1>" + reason(status)
                    + "</h1></body></html>\n").getBytes(StandardCharsets.US_ASCII);
        }
        switch (kind) {
            case PNG -> {
                return png(size);
            }
            case JSON -> {
                return json(size).getBytes(StandardCharsets.UTF_8);
            }
            case HTML -> {
                StringBuilder sb = new StringBuilder(size + 100).append("<!DOCTYPE html>\n<html><head><title>")
                        .append(RandomText.word(random)).append("</title></head><body>\n");
                while (sb.length() < size) {
                    sb.append("<p>").append(sentence()).append("</p>\n");
                }
                return sb.append("</body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                StringBuilder sb = new StringBuilder(size + 100);
                while (sb.length() < size) {
                    sb.append(kind == Kind.CSS ? ".c" + random.nextInt(500) + " { margin: " + random.nextInt(20)
                            + "px; }\n" : kind == Kind.JS ? "function f" + random.nextInt(500) + "(a) { return a + "
                            + random.nextInt(100) + "; }\n" : sentence() + "\n");
                }
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * A well-formed PNG of about {@code size} bytes: signature, IHDR, one IDAT of random bytes, IEND, each chunk with
     * its CRC (random bytes after a PNG signature would be malformed PNG to a dissector).
     */
    private byte[] png(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 64);
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = java.nio.ByteBuffer.allocate(13).putInt(1 + random.nextInt(512)).putInt(1 + random.nextInt(512))
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array();
        chunk(out, "IHDR", ihdr);
        byte[] idat = new byte[size];
        random.nextBytes(idat);
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private String sentence() {
        return RandomText.sentence(random);
    }

    /** Chunked transfer coding with random chunk sizes (hex case varies, as servers differ), then the last chunk. */
    private byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        boolean upper = random.nextInt(4) == 0;
        for (int off = 0; off < body.length;) {
            int n = Math.min(body.length - off, 1 + random.nextInt(random.nextBoolean() ? 300 : 8192));
            String size = Integer.toHexString(n);
            out.writeBytes((upper ? size.toUpperCase(Locale.ROOT) : size).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(new byte[] {'\r', '\n'});
            out.write(body, off, n);
            out.writeBytes(new byte[] {'\r', '\n'});
            off += n;
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** HTTP's "deflate" coding: the zlib format (RFC 1950), as RFC 9110 says it is. */
    private static byte[] zlib(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private String hex(int bytes) {
        return RandomText.hex(random, bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
