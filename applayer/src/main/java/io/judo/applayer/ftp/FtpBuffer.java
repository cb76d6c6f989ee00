package io.judo.applayer.ftp;

/**
 * Suricata 8's FTP sticky buffers; {@link #text()} is the keyword. Both exist only for the commands of Suricata's
 * command table ({@link FtpCommand}): an unknown verb has neither.
 */
public enum FtpBuffer {
    /** The command's name as the table spells it (upper case: "USER" also for {@code user}; "AUTH TLS"). */
    COMMAND("ftp.command"),
    /** The argument: the line after the command and one space, trailing white space removed; absent when empty. */
    COMMAND_DATA("ftp.command_data");

    private final String text;

    FtpBuffer(String text) {
        this.text = text;
    }

    /** @return the keyword as rules write it */
    public String text() {
        return text;
    }
}
