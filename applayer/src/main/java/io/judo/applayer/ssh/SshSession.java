package io.judo.applayer.ssh;

import io.judo.applayer.Bytes;
import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;

/**
 * What one SSH connection showed in clear, per direction: the identification string (protocol and software
 * versions), the first KEXINIT's name-lists with its hassh string and hash, whether NEWKEYS switched the direction to
 * encrypted traffic, and counts. Suricata keeps one SSH transaction per flow; this is it. Buffers come out of
 * {@link #fill} as slices over the session's own storage (valid until {@link SshParser#reset()}).
 */
public final class SshSession {
    /**
     * Suricata's SSH progress of a direction ({@code tx_get_alstate_progress}): the engine inspects the banner buffers
     * from {@link #BANNER_DONE} and writes the EVE ssh record at {@link #FINISHED}.
     */
    public enum Progress {
        /** No complete banner yet in that direction. */
        IN_PROGRESS,
        /** That direction's banner was read (its KEXINIT may follow). */
        BANNER_DONE,
        /** Both directions sent NEWKEYS: nothing more will be read in clear. */
        FINISHED
    }

    /** The ten name-lists of a KEXINIT, in wire order (RFC 4253 section 7.1). */
    public enum NameList {
        KEX, HOST_KEY, ENCRYPTION_C2S, ENCRYPTION_S2C, MAC_C2S, MAC_S2C, COMPRESSION_C2S, COMPRESSION_S2C,
        LANGUAGES_C2S, LANGUAGES_S2C
    }

    /** One direction's findings. Arrays are kept across {@link #reset()}. */
    static final class Side {
        /** The banner line's first bytes (up to the config's maxBanner), made on first use. */
        byte[] banner;
        int bannerLen;
        boolean bannerDone;
        int protoLen;
        int softwareOff;
        int softwareLen;
        /** Lines before the banner (server only) and their bytes (content plus one per line end). */
        int preBannerLines;
        long preBannerBytes;
        /** The first KEXINIT after its message code (cookie, lists, flags, padding), copied. */
        final Bytes kex = new Bytes();
        boolean kexTried;
        boolean kexinit;
        boolean firstKexFollows;
        final int[] listOff = new int[10];
        final int[] listLen = new int[10];
        final Bytes hasshString = new Bytes();
        final byte[] hassh = new byte[32];
        boolean hasshDone;
        boolean encrypted;
        long records;
        long encryptedBytes;

        void reset() {
            bannerLen = 0;
            bannerDone = false;
            protoLen = 0;
            softwareOff = 0;
            softwareLen = 0;
            preBannerLines = 0;
            preBannerBytes = 0;
            kex.clear();
            kexTried = false;
            kexinit = false;
            firstKexFollows = false;
            hasshString.clear();
            hasshDone = false;
            encrypted = false;
            records = 0;
            encryptedBytes = 0;
        }
    }

    final Side[] sides = {new Side(), new Side()};

    void reset() {
        sides[0].reset();
        sides[1].reset();
    }

    private static String text(byte[] a, int off, int len) {
        return new String(a, off, len, StandardCharsets.ISO_8859_1);
    }

    /** @param dir 0 client, 1 server @return whether that direction's banner was read */
    public boolean bannerSeen(int dir) {
        return sides[dir].bannerDone;
    }

    /** @param dir the direction @return whether its first KEXINIT was read (its name-lists are available) */
    public boolean kexinitSeen(int dir) {
        return sides[dir].kexinit;
    }

    /** @param dir the direction @return whether it sent NEWKEYS (its traffic since is encrypted, counted only) */
    public boolean encrypted(int dir) {
        return sides[dir].encrypted;
    }

    /** @return both directions sent NEWKEYS (Suricata's finished transaction) */
    public boolean finished() {
        return sides[0].encrypted && sides[1].encrypted;
    }

    /** @param dir the direction @return Suricata's progress for it */
    public Progress progress(int dir) {
        if (finished()) {
            return Progress.FINISHED;
        }
        return sides[dir].bannerDone ? Progress.BANNER_DONE : Progress.IN_PROGRESS;
    }

    /** @param dir the direction @return its protocol version ("2.0"), null before its banner (EVE proto_version) */
    public String protoVersion(int dir) {
        Side s = sides[dir];
        return s.bannerDone ? text(s.banner, 4, s.protoLen) : null;
    }

    /** @param dir the direction @return its software version, null when absent or empty (EVE software_version) */
    public String softwareVersion(int dir) {
        Side s = sides[dir];
        return s.bannerDone && s.softwareLen > 0 ? text(s.banner, s.softwareOff, s.softwareLen) : null;
    }

    /** @param dir the direction @return the banner line as kept (CR LF excluded, cut at maxBanner), or null */
    public String bannerLine(int dir) {
        Side s = sides[dir];
        return s.bannerDone ? text(s.banner, 0, s.bannerLen) : null;
    }

    /** @param dir the direction @return its hassh (0: hassh, 1: hasshServer) as 32 hex digits, or null */
    public String hassh(int dir) {
        Side s = sides[dir];
        return s.hasshDone ? text(s.hassh, 0, 32) : null;
    }

    /** @param dir the direction @return its hassh string ("kex;enc;mac;cmp" of its side), or null */
    public String hasshString(int dir) {
        Side s = sides[dir];
        return s.hasshDone ? text(s.hasshString.a, 0, s.hasshString.len) : null;
    }

    /**
     * @param dir the direction
     * @param list which name-list of its KEXINIT
     * @return the list as sent (comma-separated names), or null before a KEXINIT was read
     */
    public String nameList(int dir, NameList list) {
        Side s = sides[dir];
        int k = list.ordinal();
        return s.kexinit ? text(s.kex.a, s.listOff[k], s.listLen[k]) : null;
    }

    /** @param dir the direction @return its KEXINIT's first_kex_packet_follows flag */
    public boolean firstKexPacketFollows(int dir) {
        return sides[dir].firstKexFollows;
    }

    /** @param dir the direction @return binary packets read in clear (NEWKEYS included) */
    public long records(int dir) {
        return sides[dir].records;
    }

    /** @param dir the direction @return bytes after its NEWKEYS (encrypted, not parsed), gaps there included */
    public long encryptedBytes(int dir) {
        return sides[dir].encryptedBytes;
    }

    /** @param dir the direction @return lines the server sent before its banner (0 for the client) */
    public int preBannerLines(int dir) {
        return sides[dir].preBannerLines;
    }

    /**
     * Points out at a buffer.
     *
     * @param b the buffer
     * @param dir for {@link SshBuffer#PROTO} and {@link SshBuffer#SOFTWARE} the direction whose banner is read; the
     *     hassh buffers ignore it (hassh is the client's, hassh.server the server's)
     * @param out the slice to fill
     * @return false when the session has no such buffer (yet), or it is empty (Suricata serves no empty buffer)
     */
    public boolean fill(SshBuffer b, int dir, Slice out) {
        switch (b) {
            case PROTO, SOFTWARE -> {
                Side s = sides[dir];
                if (!s.bannerDone) {
                    return false;
                }
                if (b == SshBuffer.PROTO) {
                    out.set(s.banner, 4, s.protoLen);
                } else {
                    out.set(s.banner, s.softwareOff, s.softwareLen);
                }
            }
            default -> {
                Side s = sides[b == SshBuffer.HASSH || b == SshBuffer.HASSH_STRING ? 0 : 1];
                if (!s.hasshDone) {
                    return false;
                }
                if (b == SshBuffer.HASSH || b == SshBuffer.HASSH_SERVER) {
                    out.set(s.hassh, 0, 32);
                } else {
                    out.set(s.hasshString.a, 0, s.hasshString.len);
                }
            }
        }
        return out.length > 0;
    }
}
