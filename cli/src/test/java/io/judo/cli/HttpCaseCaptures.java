package io.judo.cli;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the capture of an HTTP case directory (src/test/resources/http-cases/NAME) from its raw stream bytes:
 * {@code client.txt} (client to server) and {@code server.txt}, written in a small byte notation, sent over one TCP
 * connection with a handshake and a FIN close. A line that is exactly {@code @@} splits a stream into parts; the
 * parts alternate, client part 1, server part 1, client part 2... {@code case.txt} may say {@code split: client N}
 * or {@code split: server N} (or {@code both}) to cut that side into N-byte segments, and {@code drop: server K}
 * to leave the server's K-th data segment out of the capture (lost on the way, though the client acknowledges it).
 *
 * <p>The notation: line breaks in the file are not bytes (a file line is only layout), lines starting with
 * {@code #} are comments; {@code \r}, {@code \n}, {@code \t}, {@code \xHH}, {@code \\}, {@code \{} and {@code \}}
 * are escapes; {@code {NAME:ARG}} applies a function to the bytes ARG stands for (itself notation), {@code
 * {=V:ARG}} defines V silently, {@code {V}} inserts it, and:
 * <ul>
 *   <li>{@code {len:ARG}} the decimal length of ARG, {@code {hex:ARG}} its hexadecimal length</li>
 *   <li>{@code {repeat:N:ARG}} ARG N times</li>
 *   <li>{@code {gzip:ARG}}, with {@code gzip-fextra}, {@code gzip-fname}, {@code gzip-fcomment}, {@code gzip-fhcrc},
 *       {@code gzip-all} the gzip member with those header fields (RFC 1952)</li>
 *   <li>{@code {zlib:ARG}} (RFC 1950, HTTP's "deflate"), {@code {deflate:ARG}} raw deflate (RFC 1951)</li>
 *   <li>{@code {cut:N:ARG}} the first N bytes of ARG (a truncated stream), {@code {skip:N:ARG}} the bytes after
 *       them</li>
 * </ul>
 */
final class HttpCaseCaptures {
    static final Path CASES = Path.of("src/test/resources/http-cases");
    private static final String CLIENT = "192.168.7.10";
    private static final String SERVER = "203.0.113.80";

    private HttpCaseCaptures() {
    }

    /** The capture of case {@code name}. */
    static byte[] pcap(String name) throws IOException {
        Path dir = CASES.resolve(name);
        List<byte[]> client = parts(Files.readString(dir.resolve("client.txt")));
        List<byte[]> server = Files.exists(dir.resolve("server.txt"))
                ? parts(Files.readString(dir.resolve("server.txt"))) : List.of();
        int splitClient = 1460;
        int splitServer = 1460;
        int dropServer = -1;
        for (String line : Files.readAllLines(dir.resolve("case.txt"))) {
            if (line.startsWith("drop:")) {
                String[] f = line.substring(5).trim().split("\\s+");
                if (!f[0].equals("server")) {
                    throw new IllegalArgumentException(name + "/case.txt: only server segments are dropped: " + line);
                }
                dropServer = Integer.parseInt(f[1]);
            }
            if (line.startsWith("split:")) {
                String[] f = line.substring(6).trim().split("\\s+");
                int n = Integer.parseInt(f[1]);
                if (!f[0].equals("server")) {
                    splitClient = n;
                }
                if (!f[0].equals("client")) {
                    splitServer = n;
                }
            }
        }
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, CLIENT, 41000, SERVER, 80, 0x10000000L,
                0x20000000L).clock(1_700_000_000_000_000_000L, 1_000_000L);
        c.handshake();
        for (int i = 0; i < Math.max(client.size(), server.size()); i++) {
            if (i < client.size()) {
                c.mss(splitClient).clientSends(client.get(i));
            }
            if (i < server.size()) {
                c.mss(splitServer).serverSends(server.get(i));
            }
        }
        c.close();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, 65535, false)) {
            int serverData = 0;
            for (TcpConversation.Frame f : c.frames()) {
                if (fromServerWithData(f.bytes()) && ++serverData == dropServer) {
                    continue; // lost before the capture point: the client still acknowledges it
                }
                w.write(f.timestampNanos(), f.bytes(), 0, f.bytes().length, f.bytes().length);
            }
        }
        return bytes.toByteArray();
    }

    /** Whether an Ethernet/IPv4/TCP frame of the case's connection comes from the server and carries data. */
    private static boolean fromServerWithData(byte[] frame) {
        int ip = 14;
        int tcp = ip + (frame[ip] & 0x0f) * 4;
        int sourcePort = (frame[tcp] & 0xff) << 8 | frame[tcp + 1] & 0xff;
        int payload = frame.length - tcp - ((frame[tcp + 12] & 0xf0) >> 4) * 4;
        return sourcePort == 80 && payload > 0;
    }

    /** A stream file's parts (split at {@code @@} lines), each decoded from the notation. */
    static List<byte[]> parts(String file) {
        List<byte[]> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        Map<String, byte[]> vars = new HashMap<>();
        for (String line : file.split("\n", -1)) {
            if (line.equals("@@")) {
                parts.add(decode(part.toString(), vars));
                part.setLength(0);
            } else if (!line.startsWith("#")) {
                part.append(line);
            }
        }
        parts.add(decode(part.toString(), vars));
        return parts;
    }

    /** One line or value of the notation (no line structure) as bytes. */
    static byte[] decode(String notation) {
        return decode(notation, new HashMap<>());
    }

    private static byte[] decode(String s, Map<String, byte[]> vars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char e = s.charAt(++i);
                switch (e) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case 'x' -> {
                        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> out.write(e);
                }
            } else if (c == '{') {
                int end = closing(s, i);
                out.writeBytes(function(s.substring(i + 1, end), vars));
                i = end;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    private static int closing(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed '{' in: " + s.substring(open));
    }

    private static byte[] function(String body, Map<String, byte[]> vars) {
        int colon = body.indexOf(':');
        String name = colon < 0 ? body : body.substring(0, colon);
        String arg = colon < 0 ? "" : body.substring(colon + 1);
        if (name.startsWith("=")) {
            vars.put(name.substring(1), decode(arg, vars));
            return new byte[0];
        }
        switch (name) {
            case "len" -> {
                return ascii(String.valueOf(value(arg, vars).length));
            }
            case "hex" -> {
                return ascii(Integer.toHexString(value(arg, vars).length));
            }
            case "repeat", "cut", "skip" -> {
                int c2 = arg.indexOf(':');
                int n = Integer.parseInt(arg.substring(0, c2));
                byte[] v = value(arg.substring(c2 + 1), vars);
                if (name.equals("cut")) {
                    return java.util.Arrays.copyOf(v, n);
                }
                if (name.equals("skip")) {
                    return java.util.Arrays.copyOfRange(v, n, v.length);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(v.length * n);
                for (int k = 0; k < n; k++) {
                    out.writeBytes(v);
                }
                return out.toByteArray();
            }
            case "gzip" -> {
                return gzip(value(arg, vars));
            }
            case "gzip-fextra" -> {
                return gzipWith(value(arg, vars), 0x04);
            }
            case "gzip-fname" -> {
                return gzipWith(value(arg, vars), 0x08);
            }
            case "gzip-fcomment" -> {
                return gzipWith(value(arg, vars), 0x10);
            }
            case "gzip-fhcrc" -> {
                return gzipWith(value(arg, vars), 0x02);
            }
            case "gzip-all" -> {
                return gzipWith(value(arg, vars), 0x1e);
            }
            case "zlib" -> {
                return zlib(value(arg, vars), false);
            }
            case "deflate" -> {
                return zlib(value(arg, vars), true);
            }
            default -> {
                if (colon < 0 && vars.containsKey(name)) {
                    return vars.get(name);
                }
                throw new IllegalArgumentException("unknown function {" + name + "}");
            }
        }
    }

    /** A function's argument: a variable's name stands for its bytes, anything else is notation. */
    private static byte[] value(String arg, Map<String, byte[]> vars) {
        return vars.containsKey(arg) ? vars.get(arg) : decode(arg, vars);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A gzip member whose header carries the optional fields {@code flags} asks for (FHCRC 2, FEXTRA 4, FNAME 8,
     * FCOMMENT 16), written by hand: java.util.zip writes none of them.
     */
    private static byte[] gzipWith(byte[] data, int flags) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 0x10, 0x32, 0x54, 0x76, 0, 3});
        if ((flags & 0x04) != 0) {
            byte[] extra = {'J', 'D', 4, 0, 'j', 'u', 'd', 'o'};
            h.write(extra.length);
            h.write(0);
            h.writeBytes(extra);
        }
        if ((flags & 0x08) != 0) {
            h.writeBytes(ascii("evasion-case.txt\0"));
        }
        if ((flags & 0x10) != 0) {
            h.writeBytes(ascii("a comment in the gzip header\0"));
        }
        if ((flags & 0x02) != 0) {
            CRC32 crc = new CRC32();
            crc.update(h.toByteArray());
            long v = crc.getValue();
            h.write((int) (v & 0xff));
            h.write((int) (v >> 8 & 0xff));
        }
        byte[] deflated = zlib(data, true);
        CRC32 crc = new CRC32();
        crc.update(data);
        h.writeBytes(deflated);
        long v = crc.getValue();
        for (int i = 0; i < 4; i++) {
            h.write((int) (v >> (8 * i) & 0xff));
        }
        for (int i = 0; i < 4; i++) {
            h.write(data.length >> (8 * i) & 0xff);
        }
        return h.toByteArray();
    }

    private static byte[] zlib(byte[] data, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }
}
