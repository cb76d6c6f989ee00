package io.judo.applayer.ssh;

/**
 * The SSH parser's limits and switches, immutable; start from {@link #defaults()}.
 *
 * @param maxBanner banner bytes kept; a banner line this long or longer raises {@link SshEvent#LONG_BANNER} and is
 *     read from its first maxBanner bytes (Suricata's SSH_MAX_BANNER_LEN is 256)
 * @param maxPreBanner bytes of other lines a server may send before its banner (RFC 4253 section 4.2 allows them);
 *     more raise {@link SshEvent#INVALID_BANNER}
 * @param maxKexRecord largest KEXINIT (packet_length - 2: the message after its code, padding included) reassembled;
 *     longer ones raise {@link SshEvent#LONG_KEX_RECORD} and are skipped (Suricata reassembles below 65535)
 * @param hassh whether KEXINITs are read and hassh strings and hashes computed (Suricata's {@code hassh} switch)
 */
public record SshConfig(int maxBanner, int maxPreBanner, int maxKexRecord, boolean hassh) {
    /** @return Suricata's limits (256-byte banners, KEXINIT up to 65534 bytes), 8 KiB of pre-banner lines, hassh on */
    public static SshConfig defaults() {
        return new SshConfig(256, 8192, 65534, true);
    }

    /** @param on whether hassh is computed @return a copy with that switch */
    public SshConfig withHassh(boolean on) {
        return new SshConfig(maxBanner, maxPreBanner, maxKexRecord, on);
    }

    /**
     * @param banner banner limit
     * @param preBanner pre-banner bytes allowed from the server
     * @param kexRecord KEXINIT limit
     * @return a copy with those limits
     */
    public SshConfig withLimits(int banner, int preBanner, int kexRecord) {
        return new SshConfig(banner, preBanner, kexRecord, hassh);
    }
}
