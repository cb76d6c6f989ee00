package io.judo.applayer.ftp;

/**
 * The FTP parser's limits, immutable; start from {@link #defaults()}.
 *
 * @param maxLine bytes of a command or reply line kept (Suricata's {@code max-line-length}, 4 KiB); a longer line is
 *     read from its first maxLine bytes and raises {@link FtpEvent#REQUEST_COMMAND_TOO_LONG} or
 *     {@link FtpEvent#RESPONSE_COMMAND_TOO_LONG}, the rest of it is dropped
 * @param maxTransactions commands waiting for their final reply; a command beyond makes the oldest done
 *     without its reply and raises {@link FtpEvent#TOO_MANY_TRANSACTIONS}
 * @param maxReplyLines reply lines kept per transaction (later ones are counted, not kept)
 * @param maxHeld client bytes held after {@code AUTH TLS} until its reply says whether TLS follows
 */
public record FtpConfig(int maxLine, int maxTransactions, int maxReplyLines, int maxHeld) {
    /** @return 4 KiB lines, 256 waiting commands, 64 reply lines per command, 64 KiB held after AUTH TLS */
    public static FtpConfig defaults() {
        return new FtpConfig(4096, 256, 64, 65536);
    }

    /**
     * @param line line limit
     * @param transactions waiting commands
     * @param replyLines reply lines kept per command
     * @return a copy with those limits
     */
    public FtpConfig withLimits(int line, int transactions, int replyLines) {
        return new FtpConfig(line, transactions, replyLines, maxHeld);
    }
}
