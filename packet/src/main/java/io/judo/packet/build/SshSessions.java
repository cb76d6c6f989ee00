package io.judo.packet.build;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * SSH connections up to and past the key exchange (RFC 4253): both identification strings, both KEXINITs with
 * OpenSSH-like name-lists, the curve25519 ECDH exchange (RFC 5656, RFC 8731) with an ed25519 host key, NEWKEYS each
 * way, then encrypted packets: an interactive session (many small packets) or a file copy (large ones).
 */
final class SshSessions {
    private static final int KEXINIT = 20;
    private static final int NEWKEYS = 21;
    private static final int KEX_ECDH_INIT = 30;
    private static final int KEX_ECDH_REPLY = 31;
    private static final String[] CLIENTS = {"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", "SSH-2.0-OpenSSH_9.6",
        "SSH-2.0-PuTTY_Release_0.79", "SSH-2.0-libssh2_1.11.0", "SSH-2.0-Go", "SSH-2.0-paramiko_3.4.0"};
    private static final String[] SERVERS = {"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6",
        "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", "SSH-2.0-OpenSSH_7.4", "SSH-2.0-dropbear_2022.83"};
    /** KEXINIT name-lists in RFC 4253's order, the client's; the server's drops ext-info-c. */
    private static final String[] NAME_LISTS = {
        "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
            + "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group14-sha256,"
            + "ext-info-c",
        "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256",
        "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
        "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
        "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
            + "hmac-sha2-256,hmac-sha2-512",
        "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
            + "hmac-sha2-256,hmac-sha2-512",
        "none,zlib@openssh.com", "none,zlib@openssh.com", "", ""};
    private static final String SERVER_NET = "203.0.113";
    /** chacha20-poly1305's tag, after each encrypted packet. */
    private static final int MAC = 16;

    private final SplittableRandom random;
    private final Endpoints endpoints;

    SshSessions(SplittableRandom random, Endpoints endpoints) {
        this.random = random;
        this.endpoints = endpoints;
    }

    TcpConversation session(long start) {
        boolean v6 = endpoints.oneIn(5);
        int port = random.nextInt(8) == 0 ? 2222 : 22;
        TcpConversation c = endpoints.connect(endpoints.client(v6), Endpoints.server(SERVER_NET, random.nextInt(8), v6),
                port, start, 200_000L + random.nextInt(5_000_000));
        c.handshake();
        c.serverSends(ascii(SERVERS[random.nextInt(SERVERS.length)] + "\r\n"));
        c.clientSends(ascii(CLIENTS[random.nextInt(CLIENTS.length)] + "\r\n"));
        c.clientSends(packet(kexinit(true)));
        c.serverSends(packet(kexinit(false)));
        c.clientSends(packet(new WireBuffer(40).u8(KEX_ECDH_INIT).bytes(string(RandomText.bytes(random, 32)))
                .toByteArray()));
        WireBuffer reply = new WireBuffer(256);
        WireBuffer hostKey = new WireBuffer(64).bytes(string(ascii("ssh-ed25519")))
                .bytes(string(RandomText.bytes(random, 32)));
        WireBuffer signature = new WireBuffer(96).bytes(string(ascii("ssh-ed25519")))
                .bytes(string(RandomText.bytes(random, 64)));
        reply.bytes(packet(new WireBuffer(200).u8(KEX_ECDH_REPLY).bytes(string(hostKey.toByteArray()))
                .bytes(string(RandomText.bytes(random, 32))).bytes(string(signature.toByteArray()))
                .toByteArray()));
        reply.bytes(packet(new byte[] {NEWKEYS}));
        c.serverSends(reply.toByteArray());
        c.clientSends(packet(new byte[] {NEWKEYS}));
        if (random.nextInt(4) == 0) {
            // a file copy: a few large writes one way, small acknowledgements back
            boolean upload = random.nextBoolean();
            int chunks = 1 + random.nextInt(20);
            for (int i = 0; i < chunks; i++) {
                byte[] big = encrypted(16_000 + random.nextInt(16_000));
                byte[] small = encrypted(28);
                if (upload) {
                    c.clientSends(big).serverSends(small);
                } else {
                    c.clientSends(small).serverSends(big);
                }
            }
        } else {
            // an interactive shell: keystrokes and echoes, now and then a screenful of output
            int keys = 10 + random.nextInt(120);
            for (int i = 0; i < keys; i++) {
                c.clock(c.clock() + random.nextInt(300_000_000), 200_000L + random.nextInt(2_000_000));
                c.clientSends(encrypted(28 + random.nextInt(3) * 8));
                c.serverSends(encrypted(random.nextInt(10) == 0 ? 200 + random.nextInt(4000) : 28 + 8 * random.nextInt(3)));
            }
        }
        c.close();
        return c;
    }

    /** A KEXINIT payload: message code, 16-byte cookie, the ten name-lists, first_kex_packet_follows, reserved. */
    private byte[] kexinit(boolean client) {
        WireBuffer b = new WireBuffer(1024).u8(KEXINIT).bytes(RandomText.bytes(random, 16));
        for (String list : NAME_LISTS) {
            b.bytes(string(ascii(client ? list : list.replace(",ext-info-c", ""))));
        }
        return b.u8(0).u32(0).toByteArray();
    }

    /**
     * An unencrypted binary packet around {@code payload}: uint32 packet_length, byte padding_length, payload, random
     * padding of at least 4 bytes making the whole a multiple of 8 (the block size before keys are agreed).
     */
    private byte[] packet(byte[] payload) {
        int padding = 8 - (5 + payload.length) % 8;
        if (padding < 4) {
            padding += 8;
        }
        return new WireBuffer(payload.length + padding + 5).u32(1 + payload.length + padding).u8(padding)
                .bytes(payload).bytes(RandomText.bytes(random, padding)).toByteArray();
    }

    /** An encrypted packet as chacha20-poly1305 leaves it: encrypted length, {@code length} bytes, the tag. */
    private byte[] encrypted(int length) {
        return RandomText.bytes(random, 4 + length + MAC);
    }

    /** An SSH string: uint32 length, then the bytes. */
    private static byte[] string(byte[] b) {
        return new WireBuffer(b.length + 4).u32(b.length).bytes(b).toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
