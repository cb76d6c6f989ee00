package io.judo.applayer.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds DNS messages for tests, written independently of the parser: names are compressed the way servers do it
 * (every suffix seen before becomes a pointer), or written in full.
 */
final class DnsWire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> suffixes = new HashMap<>();
    private boolean compress = true;

    DnsWire header(int id, int flags, int qd, int an, int ns, int ar) {
        u16(id);
        u16(flags);
        u16(qd);
        u16(an);
        u16(ns);
        u16(ar);
        return this;
    }

    DnsWire compress(boolean on) {
        this.compress = on;
        return this;
    }

    DnsWire name(String name) {
        String rest = name;
        while (!rest.isEmpty()) {
            Integer at = compress ? suffixes.get(rest) : null;
            if (at != null) {
                u16(0xC000 | at);
                return this;
            }
            if (out.size() < 0x4000) {
                suffixes.put(rest, out.size());
            }
            int dot = rest.indexOf('.');
            String label = dot < 0 ? rest : rest.substring(0, dot);
            byte[] l = label.getBytes(StandardCharsets.ISO_8859_1);
            out.write(l.length);
            out.write(l, 0, l.length);
            rest = dot < 0 ? "" : rest.substring(dot + 1);
        }
        out.write(0);
        return this;
    }

    DnsWire question(String name, int type) {
        name(name);
        u16(type);
        u16(1);
        return this;
    }

    DnsWire record(String name, int type, long ttl, byte[] rdata) {
        name(name);
        u16(type);
        u16(1);
        u16((int) (ttl >>> 16));
        u16((int) ttl);
        u16(rdata.length);
        out.write(rdata, 0, rdata.length);
        return this;
    }

    /** A record whose RDATA is a name (CNAME, NS, PTR), compressed against the message so far. */
    DnsWire nameRecord(String name, int type, long ttl, String target) {
        name(name);
        u16(type);
        u16(1);
        u16((int) (ttl >>> 16));
        u16((int) ttl);
        int lenAt = out.size();
        u16(0);
        int start = out.size();
        name(target);
        byte[] b = out.toByteArray();
        int n = b.length - start;
        b[lenAt] = (byte) (n >>> 8);
        b[lenAt + 1] = (byte) n;
        out.reset();
        out.write(b, 0, b.length);
        return this;
    }

    DnsWire raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    DnsWire u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** The message with its 2-byte TCP length prefix. */
    byte[] tcp() {
        byte[] m = bytes();
        byte[] r = new byte[m.length + 2];
        r[0] = (byte) (m.length >>> 8);
        r[1] = (byte) m.length;
        System.arraycopy(m, 0, r, 2, m.length);
        return r;
    }

    static String text(io.judo.applayer.Slice s) {
        return new String(s.array, s.offset, s.length, StandardCharsets.ISO_8859_1);
    }
}
