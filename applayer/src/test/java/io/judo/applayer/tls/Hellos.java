package io.judo.applayer.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds handshake messages and records by hand, field by field as RFC 8446 lays them out, for tests. */
final class Hellos {
    private Hellos() {
    }

    /** A ClientHello's fields; extensions are written in the order given. */
    static final class Client {
        int version = 0x0303;
        int[] ciphers = {};
        final List<int[]> extOrder = new ArrayList<>();
        final List<byte[]> extData = new ArrayList<>();

        Client ext(int type, byte[] data) {
            extOrder.add(new int[] {type});
            extData.add(data);
            return this;
        }

        Client sni(String host) {
            byte[] h = host.getBytes(StandardCharsets.US_ASCII);
            return ext(0, cat(u16(h.length + 3), new byte[] {0}, u16(h.length), h));
        }

        Client groups(int... g) {
            return ext(10, cat(u16(g.length * 2), u16s(g)));
        }

        Client formats(int... f) {
            byte[] b = new byte[f.length + 1];
            b[0] = (byte) f.length;
            for (int i = 0; i < f.length; i++) {
                b[i + 1] = (byte) f[i];
            }
            return ext(11, b);
        }

        Client sigalgs(int... s) {
            return ext(13, cat(u16(s.length * 2), u16s(s)));
        }

        Client alpn(byte[]... protos) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            for (byte[] p : protos) {
                o.write(p.length);
                o.writeBytes(p);
            }
            return ext(16, cat(u16(o.size()), o.toByteArray()));
        }

        Client versions(int... v) {
            return ext(43, cat(new byte[] {(byte) (v.length * 2)}, u16s(v)));
        }

        byte[] message() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(u16(version));
            b.writeBytes(new byte[32]);
            b.write(0);
            b.writeBytes(u16(ciphers.length * 2));
            b.writeBytes(u16s(ciphers));
            b.write(1);
            b.write(0);
            if (!extOrder.isEmpty()) {
                ByteArrayOutputStream x = new ByteArrayOutputStream();
                for (int i = 0; i < extOrder.size(); i++) {
                    x.writeBytes(u16(extOrder.get(i)[0]));
                    x.writeBytes(u16(extData.get(i).length));
                    x.writeBytes(extData.get(i));
                }
                b.writeBytes(u16(x.size()));
                b.writeBytes(x.toByteArray());
            }
            return handshake(1, b.toByteArray());
        }
    }

    static byte[] serverHello(int version, int cipher, int... extensions) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(u16(version));
        byte[] random = new byte[32];
        random[0] = 7;
        b.writeBytes(random);
        b.write(0);
        b.writeBytes(u16(cipher));
        b.write(0);
        ByteArrayOutputStream x = new ByteArrayOutputStream();
        for (int e : extensions) {
            x.writeBytes(u16(e));
            if (e == 43) {
                x.writeBytes(u16(2));
                x.writeBytes(u16(0x0304));
            } else {
                x.writeBytes(u16(0));
            }
        }
        b.writeBytes(u16(x.size()));
        b.writeBytes(x.toByteArray());
        return handshake(2, b.toByteArray());
    }

    static byte[] certificate(byte[]... ders) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (byte[] d : ders) {
            list.writeBytes(u24(d.length));
            list.writeBytes(d);
        }
        return handshake(11, cat(u24(list.size()), list.toByteArray()));
    }

    static byte[] handshake(int type, byte[] body) {
        return cat(new byte[] {(byte) type}, u24(body.length), body);
    }

    /** The bytes as records of one type, each at most max bytes. */
    static byte[] records(int type, byte[] payload, int max) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < payload.length; i += max) {
            int n = Math.min(max, payload.length - i);
            o.write(type);
            o.writeBytes(u16(0x0303));
            o.writeBytes(u16(n));
            o.write(payload, i, n);
        }
        return o.toByteArray();
    }

    static byte[] record(int type, byte[] payload) {
        return records(type, payload, 1 << 14);
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] u24(int v) {
        return new byte[] {(byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    static byte[] u16s(int... v) {
        byte[] r = new byte[v.length * 2];
        for (int i = 0; i < v.length; i++) {
            r[2 * i] = (byte) (v[i] >> 8);
            r[2 * i + 1] = (byte) v[i];
        }
        return r;
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
