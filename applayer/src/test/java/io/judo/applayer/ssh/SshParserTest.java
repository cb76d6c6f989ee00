package io.judo.applayer.ssh;

import static io.judo.applayer.ssh.SshWire.ascii;
import static io.judo.applayer.ssh.SshWire.cat;
import static io.judo.applayer.ssh.SshWire.kexinit;
import static io.judo.applayer.ssh.SshWire.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.Slice;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked vectors: banners as RFC 4253 and Suricata read them, every event, encryption after NEWKEYS, and hassh
 * against the published example of the hassh README (Cyberduck 6.7.1's client lists and their hassh) and a
 * hasshServer computed by hand (python3 hashlib.md5 over the string written out in the test).
 */
class SshParserTest {
    /** Cyberduck 6.7.1's client algorithms, from the hassh README ("Example 1"). */
    static final String CYBERDUCK_KEX = "curve25519-sha256@libssh.org,diffie-hellman-group-exchange-sha256,"
        + "ecdh-sha2-nistp521,ecdh-sha2-nistp384,ecdh-sha2-nistp256,diffie-hellman-group-exchange-sha1,"
        + "diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group14-sha256,"
        + "diffie-hellman-group15-sha512,diffie-hellman-group16-sha512,diffie-hellman-group17-sha512,"
        + "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256@ssh.com,diffie-hellman-group15-sha256,"
        + "diffie-hellman-group15-sha256@ssh.com,diffie-hellman-group15-sha384@ssh.com,diffie-hellman-group16-sha256,"
        + "diffie-hellman-group16-sha384@ssh.com,diffie-hellman-group16-sha512@ssh.com,"
        + "diffie-hellman-group18-sha512@ssh.com";
    static final String CYBERDUCK_ENC = "aes128-cbc,aes128-ctr,aes192-cbc,aes192-ctr,aes256-cbc,aes256-ctr,"
        + "blowfish-cbc,blowfish-ctr,cast128-cbc,cast128-ctr,idea-cbc,idea-ctr,serpent128-cbc,serpent128-ctr,"
        + "serpent192-cbc,serpent192-ctr,serpent256-cbc,serpent256-ctr,3des-cbc,3des-ctr,twofish128-cbc,"
        + "twofish128-ctr,twofish192-cbc,twofish192-ctr,twofish256-cbc,twofish256-ctr,twofish-cbc,arcfour,arcfour128,"
        + "arcfour256";
    static final String CYBERDUCK_MAC = "hmac-sha1,hmac-sha1-96,hmac-md5,hmac-md5-96,hmac-sha2-256,hmac-sha2-512";
    static final String CYBERDUCK_CMP = "zlib@openssh.com,zlib,none";

    /** OpenSSH 5.3's server algorithms, from the hassh README ("Example 2"). */
    static final String OPENSSH53_KEX = "diffie-hellman-group-exchange-sha256,diffie-hellman-group-exchange-sha1,"
        + "diffie-hellman-group14-sha1,diffie-hellman-group1-sha1";
    static final String OPENSSH53_ENC = "aes128-ctr,aes192-ctr,aes256-ctr,arcfour256,arcfour128,aes128-cbc,3des-cbc,"
        + "blowfish-cbc,cast128-cbc,aes192-cbc,aes256-cbc,arcfour,rijndael-cbc@lysator.liu.se";
    static final String OPENSSH53_MAC = "hmac-md5,hmac-sha1,umac-64@openssh.com,hmac-ripemd160,"
        + "hmac-ripemd160@openssh.com,hmac-sha1-96,hmac-md5-96";
    static final String OPENSSH53_CMP = "none,zlib@openssh.com";

    static SshParser parser(Recorder r) {
        return new SshParser(SshConfig.defaults(), r);
    }

    static void feed(SshParser p, int dir, byte[] b) {
        p.data(dir, b, 0, b.length);
    }

    static byte[] newKeys() {
        return packet(21, new byte[0], 10);
    }

    @Test
    void publishedHasshOfACyberduckClient() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 0, cat(ascii("SSH-2.0-Cyberduck/6.7.1.28683 (Mac OS X/10.13.6) (x86_64)\r\n"),
            packet(20, kexinit(CYBERDUCK_KEX, CYBERDUCK_ENC, CYBERDUCK_MAC, CYBERDUCK_CMP), 6)));
        SshSession s = p.session();
        assertEquals("8a8ae540028bf433cd68356c1b9e8d5b", s.hassh(0));
        assertEquals(CYBERDUCK_KEX + ";" + CYBERDUCK_ENC + ";" + CYBERDUCK_MAC + ";" + CYBERDUCK_CMP,
            s.hasshString(0));
        assertEquals("2.0", s.protoVersion(0));
        assertEquals("Cyberduck/6.7.1.28683", s.softwareVersion(0));
        Slice sl = new Slice();
        assertTrue(s.fill(SshBuffer.HASSH, 1, sl)); // hassh is the client's whatever the direction asked
        assertEquals("8a8ae540028bf433cd68356c1b9e8d5b", sl.toString());
        assertFalse(s.fill(SshBuffer.HASSH_SERVER, 1, sl));
        assertEquals(List.of("banner0", "kexinit0"), r.calls);
        assertEquals(List.of(), r.events);
    }

    @Test
    void hasshServerReadsTheServerToClientLists() {
        // the client-to-server lists differ, so picking the wrong ones would change the hash:
        // python3 -c 'import hashlib; print(hashlib.md5(b"<kex>;<enc>;<mac>;<cmp>").hexdigest())' over the
        // OpenSSH 5.3 strings above gives b1c6c0d56317555b85c7005a3de29325
        byte[] kex = kexinit(OPENSSH53_KEX, "ssh-rsa,ssh-dss", "aes128-ctr", OPENSSH53_ENC, "hmac-sha1",
            OPENSSH53_MAC, "none", OPENSSH53_CMP, "", "");
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 1, cat(ascii("SSH-2.0-OpenSSH_5.3\r\n"), packet(20, kex, 4)));
        SshSession s = p.session();
        assertEquals("b1c6c0d56317555b85c7005a3de29325", s.hassh(1));
        assertEquals(OPENSSH53_KEX + ";" + OPENSSH53_ENC + ";" + OPENSSH53_MAC + ";" + OPENSSH53_CMP,
            s.hasshString(1));
        assertEquals("ssh-rsa,ssh-dss", s.nameList(1, SshSession.NameList.HOST_KEY));
        assertEquals("aes128-ctr", s.nameList(1, SshSession.NameList.ENCRYPTION_C2S));
        Slice sl = new Slice();
        assertTrue(s.fill(SshBuffer.HASSH_SERVER_STRING, 0, sl));
        assertEquals(s.hasshString(1), sl.toString());
        assertFalse(s.fill(SshBuffer.HASSH, 0, sl));
    }

    @Test
    void bannerFields() {
        String[][] cases = {
            {"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n", "2.0", "OpenSSH_9.2p1"},
            {"SSH-1.99-Cisco-1.25\n", "1.99", "Cisco-1.25"}, // LF alone ends it too; '-' inside the software
            {"SSH-2.0-\r\n", "2.0", null}, // empty software: no ssh.software buffer (Suricata's reading)
            {"SSH-2.0-PuTTY_Release_0.78 extra comment here\r\n", "2.0", "PuTTY_Release_0.78"},
            {"SSH-2.0-libssh_0.10.4 \r\n", "2.0", "libssh_0.10.4"},
        };
        for (String[] c : cases) {
            Recorder r = new Recorder();
            SshParser p = parser(r);
            feed(p, 0, ascii(c[0]));
            SshSession s = p.session();
            assertEquals(c[1], s.protoVersion(0), c[0]);
            assertEquals(c[2], s.softwareVersion(0), c[0]);
            Slice sl = new Slice();
            assertTrue(s.fill(SshBuffer.PROTO, 0, sl));
            assertEquals(c[1], sl.toString());
            assertEquals(c[2] != null, s.fill(SshBuffer.SOFTWARE, 0, sl), c[0]);
            assertFalse(s.fill(SshBuffer.PROTO, 1, sl), "the server sent nothing");
            assertEquals(SshSession.Progress.BANNER_DONE, s.progress(0));
            assertEquals(SshSession.Progress.IN_PROGRESS, s.progress(1));
            assertEquals(List.of(), r.events, c[0]);
        }
    }

    @Test
    void aLoneCrEndsTheBannerAndTheNextByteStartsAPacket() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 0, cat(ascii("SSH-2.0-X\r"), packet(20, kexinit("a", "b", "c", "d"), 4), newKeys()));
        assertEquals("X", p.session().softwareVersion(0));
        assertEquals("a;b;c;d", p.session().hasshString(0));
        assertTrue(p.session().encrypted(0));
        assertEquals(List.of(), r.events);
    }

    @Test
    void aBannerWithoutItsLineEndIsNotReadYet() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 0, ascii("SSH-2.0-OpenSSH_9.2p1\r"));
        assertFalse(p.session().bannerSeen(0), "a CR may still be followed by LF");
        feed(p, 0, ascii("\n"));
        assertEquals("OpenSSH_9.2p1", p.session().softwareVersion(0));
    }

    @Test
    void theServerMaySendOtherLinesFirst() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 1, ascii("Welcome to the box\r\n\r\nSSH\nSSH-1.x is not here\r\nSSH-2.0-srv_1 c\r\n"));
        SshSession s = p.session();
        // the first line starting with "SSH-" is the banner: this one has no '-' after its protoversion
        assertEquals(3, s.preBannerLines(1));
        assertEquals(List.of("1:invalid_banner"), r.events);
        assertFalse(s.bannerSeen(1));

        Recorder r2 = new Recorder();
        SshParser q = parser(r2);
        feed(q, 1, ascii("Welcome to the box\r\n\r\nSSH\nSSH-2.0-srv_1 c\r\n"));
        assertEquals(3, q.session().preBannerLines(1));
        assertEquals("srv_1", q.session().softwareVersion(1));
        assertEquals(List.of(), r2.events);
    }

    @Test
    void theClientMustStartWithItsBanner() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 0, ascii("hello\r\nSSH-2.0-x\r\n"));
        assertEquals(List.of("0:invalid_banner"), r.events);
        assertFalse(p.session().bannerSeen(0));
    }

    @Test
    void tooManyPreBannerBytesAreInvalid() {
        Recorder r = new Recorder();
        SshParser p = new SshParser(SshConfig.defaults().withLimits(256, 100, 65534), r);
        feed(p, 1, ascii("x".repeat(60) + "\r\n" + "y".repeat(39) + "\n")); // 61 + 40 = 101 bytes counted
        assertEquals(List.of("1:invalid_banner"), r.events);
        Recorder r2 = new Recorder();
        SshParser q = new SshParser(SshConfig.defaults().withLimits(256, 100, 65534), r2);
        feed(q, 1, ascii("x".repeat(60) + "\r\n" + "y".repeat(38) + "\nSSH-2.0-s\r\n")); // exactly 100
        assertEquals(List.of(), r2.events);
        assertEquals("s", q.session().softwareVersion(1));
    }

    @Test
    void invalidBanners() {
        for (String bad : new String[] {"SSH-2.0\r\n", "SSH--x\r\n", "\r\n", "SSH\r\n", "ssh-2.0-x\r\n"}) {
            Recorder r = new Recorder();
            SshParser p = parser(r);
            feed(p, 0, cat(ascii(bad), newKeys()));
            assertEquals(List.of("0:invalid_banner"), r.events, bad);
            assertFalse(p.session().bannerSeen(0), bad);
            assertFalse(p.session().encrypted(0), "a stopped direction reads nothing more: " + bad);
        }
    }

    @Test
    void longBanners() {
        // 255 bytes of line: fine; 256 (Suricata's SSH_MAX_BANNER_LEN) and more: long_banner, read from its first
        // 256 bytes, and the packets after its line end are still read
        String head = "SSH-2.0-";
        for (int lineLength : new int[] {255, 256, 300, 5000}) {
            String software = "s".repeat(lineLength - head.length());
            Recorder r = new Recorder();
            SshParser p = parser(r);
            feed(p, 0, cat(ascii(head + software + "\r\n"), packet(20, kexinit("k", "e", "m", "c"), 4)));
            SshSession s = p.session();
            assertEquals(lineLength >= 256 ? List.of("0:long_banner") : List.of(), r.events, "" + lineLength);
            assertEquals(software.substring(0, Math.min(software.length(), 256 - head.length())),
                s.softwareVersion(0));
            assertEquals("k;e;m;c", s.hasshString(0), "" + lineLength);
        }
    }

    @Test
    void aLongBannerWithSpacesKeepsItsSoftwareVersion() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 1, ascii("SSH-2.0-Srv " + "c".repeat(400) + "\n"));
        assertEquals("Srv", p.session().softwareVersion(1));
        assertEquals(List.of("1:long_banner"), r.events);
    }

    @Test
    void packetLengthBelowTwoIsAnInvalidRecord() {
        for (int len : new int[] {0, 1}) {
            Recorder r = new Recorder();
            SshParser p = parser(r);
            feed(p, 0, cat(ascii("SSH-2.0-x\r\n"), new byte[] {0, 0, 0, (byte) len, 4, 20}, newKeys()));
            assertEquals(List.of("0:invalid_record"), r.events);
            assertFalse(p.session().encrypted(0));
        }
    }

    @Test
    void aKexinitOverTheLimitIsSkippedWithLongKexRecord() {
        byte[] kex = kexinit("k".repeat(70_000), "e", "m", "c");
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 0, cat(ascii("SSH-2.0-x\r\n"), packet(20, kex, 4), packet(2, new byte[20], 4), newKeys()));
        SshSession s = p.session();
        assertEquals(List.of("0:long_kex_record"), r.events);
        assertNull(s.hassh(0));
        assertEquals(3, s.records(0));
        assertTrue(s.encrypted(0), "the skipped record's length is still followed");

        // at the limit exactly (packet_length - 2 == maxKexRecord) it is read
        byte[] small = kexinit("k", "e", "m", "c");
        Recorder r2 = new Recorder();
        SshParser q = new SshParser(SshConfig.defaults().withLimits(256, 8192, small.length + 4), r2);
        feed(q, 0, cat(ascii("SSH-2.0-x\r\n"), packet(20, small, 4)));
        assertEquals("k;e;m;c", q.session().hasshString(0));
        Recorder r3 = new Recorder();
        SshParser t = new SshParser(SshConfig.defaults().withLimits(256, 8192, small.length + 3), r3);
        feed(t, 0, cat(ascii("SSH-2.0-x\r\n"), packet(20, small, 4)));
        assertEquals(List.of("0:long_kex_record"), r3.events);
    }

    @Test
    void aKexinitWhoseListsOverrunIsInvalid() {
        byte[] kex = kexinit("k", "e", "m", "c");
        kex[16 + 3] = (byte) 200; // the first list claims 200 bytes
        byte[] cut = java.util.Arrays.copyOf(kexinit("k", "e", "m", "c"), 16 + 4 + 1 + 4 + 10); // lists missing
        for (byte[] bad : new byte[][] {kex, cut, new byte[10]}) {
            Recorder r = new Recorder();
            SshParser p = parser(r);
            feed(p, 1, cat(ascii("SSH-2.0-x\r\n"), packet(20, bad, 4), newKeys()));
            assertEquals(List.of("1:invalid_kexinit"), r.events);
            assertNull(p.session().hassh(1));
            assertFalse(p.session().kexinitSeen(1));
            assertTrue(p.session().encrypted(1));
        }
    }

    @Test
    void onlyTheFirstKexinitCounts() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 0, cat(ascii("SSH-2.0-x\r\n"), packet(20, kexinit("a", "b", "c", "d"), 4),
            packet(20, kexinit("w", "x", "y", "z"), 4)));
        assertEquals("a;b;c;d", p.session().hasshString(0));
        assertEquals(List.of("banner0", "kexinit0"), r.calls);
    }

    @Test
    void afterNewkeysADirectionIsOnlyCounted() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        byte[] junk = new byte[500];
        new Random(3).nextBytes(junk);
        junk[0] = 0; // a packet_length of 0 in clear would be invalid_record
        feed(p, 0, cat(ascii("SSH-2.0-c\r\n"), packet(20, kexinit("a", "b", "c", "d"), 4), packet(30, new byte[36],
            5), newKeys(), junk));
        SshSession s = p.session();
        assertTrue(s.encrypted(0));
        assertEquals(500, s.encryptedBytes(0));
        assertEquals(3, s.records(0));
        assertEquals(List.of(), r.events);
        assertFalse(s.finished());
        assertEquals(SshSession.Progress.BANNER_DONE, s.progress(0));
        p.gap(0, 100); // lost encrypted bytes: counted, not an event
        assertEquals(600, s.encryptedBytes(0));
        feed(p, 1, cat(ascii("SSH-2.0-s\r\n"), packet(20, kexinit("a", "b", "c", "d"), 4), newKeys(), junk));
        assertTrue(s.finished());
        assertEquals(SshSession.Progress.FINISHED, s.progress(0));
        assertEquals(SshSession.Progress.FINISHED, s.progress(1));
        assertEquals(List.of("banner0", "kexinit0", "encrypted0", "banner1", "kexinit1", "encrypted1"), r.calls);
        assertEquals(List.of(), r.events);
    }

    @Test
    void midStreamPickupParsesNothingAndNeverThrows() {
        Random rnd = new Random(11);
        for (int round = 0; round < 200; round++) {
            byte[] junk = new byte[1 + rnd.nextInt(20_000)];
            rnd.nextBytes(junk);
            Recorder r = new Recorder();
            SshParser p = parser(r);
            for (int dir = 0; dir < 2; dir++) {
                feed(p, dir, junk);
            }
            SshSession s = p.session();
            String what = r.summary(s);
            if (junk[0] != 'S') {
                assertFalse(s.bannerSeen(0), what);
                assertEquals("0:invalid_banner", r.events.get(0), what);
            }
            assertFalse(s.kexinitSeen(0) || s.encrypted(0), what);
        }
    }

    @Test
    void aGapInClearStopsTheDirection() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        feed(p, 1, ascii("SSH-2.0-s\r\n"));
        p.gap(1, 10);
        feed(p, 1, packet(20, kexinit("a", "b", "c", "d"), 4));
        assertEquals(List.of("1:stream_gap"), r.events);
        assertFalse(p.session().kexinitSeen(1));
        p.end(0);
        feed(p, 0, ascii("SSH-2.0-c\r\n"));
        assertFalse(p.session().bannerSeen(0), "an ended direction reads nothing");
    }

    @Test
    void hasshOffReadsNoKexinit() {
        Recorder r = new Recorder();
        SshParser p = new SshParser(SshConfig.defaults().withHassh(false), r);
        feed(p, 0, cat(ascii("SSH-2.0-x\r\n"), packet(20, kexinit("a", "b", "c", "d"), 4), newKeys()));
        assertNull(p.session().hassh(0));
        assertFalse(p.session().kexinitSeen(0));
        assertTrue(p.session().encrypted(0));
    }

    @Test
    void resetForgetsTheConnection() {
        Recorder r = new Recorder();
        SshParser p = parser(r);
        byte[] conn = cat(ascii("SSH-2.0-x\r\n"), packet(20, kexinit("a", "b", "c", "d"), 4), newKeys(), new byte[9]);
        feed(p, 0, conn);
        String first = r.summary(p.session());
        p.reset();
        assertEquals(null, p.session().protoVersion(0));
        assertFalse(p.session().encrypted(0));
        r.calls.clear();
        feed(p, 0, conn);
        assertEquals(first, r.summary(p.session()));
    }
}
