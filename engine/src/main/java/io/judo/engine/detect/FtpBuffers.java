package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.applayer.ftp.FtpBuffer;
import io.judo.applayer.ftp.FtpTransaction;
import io.judo.rules.suricata.CompiledRuleSet.DerivedBuffer;
import io.judo.vm.Buffer;
import java.util.List;

/**
 * The buffers of one FTP command for the VM's buffer table, read in place from the parser's transaction:
 * {@code ftp.command} and {@code ftp.command_data} (known commands only, as Suricata), and {@code ftp.bounce}, one
 * byte for {@code ftpbounce}: 1 when a PORT command's IPv4 address is not the control connection's client (Suricata
 * compares the PORT's four numbers with the flow's source address), 0 when it is; absent for other commands and for
 * a PORT that does not parse. For an FTP-DATA flow, {@code file.data} is the bytes it carried and {@code ftpdata.command} its
 * transfer command (RETR 1, STOR 2). A derived buffer is computed from its base when selected. Reused for every command.
 */
final class FtpBuffers extends ElementBuffers {
    private final byte[] bounce = new byte[1];
    private final byte[] dataCommand = new byte[1];
    private FtpTransaction tx;
    private byte[] client;
    private byte[] file;
    private int fileLength;

    /** @param derived the rule set's derived buffers (those over an FTP buffer are computed here) */
    FtpBuffers(List<DerivedBuffer> derived) {
        super(derived);
    }

    /** Starts an inspection of {@code t}, a command of the connection whose client is {@code clientAddress}. */
    void inspect(FtpTransaction t, byte[] clientAddress) {
        this.tx = t;
        this.client = clientAddress;
        this.file = null;
        this.element = 0;
    }

    /**
     * Starts an inspection of an FTP-DATA flow's bytes {@code b[0, length)} as {@code file.data}, carried for the
     * transfer command {@code command} (upper case, or null when none was sent) for {@code ftpdata.command}.
     */
    void inspectFile(byte[] b, int length, String command) {
        this.tx = null;
        this.file = b;
        this.fileLength = length;
        this.dataCommand[0] = (byte) ("RETR".equals(command) ? 1 : "STOR".equals(command) ? 2 : 0);
        this.element = 0;
    }

    @Override
    boolean row(Buffer b, Slice out) {
        if (file != null && b == Buffer.FILE_DATA) {
            out.set(file, 0, fileLength);
            return true;
        }
        if (file != null && b == Buffer.FTPDATA_COMMAND) {
            out.set(dataCommand, 0, 1);
            return dataCommand[0] != 0;
        }
        if (tx == null) {
            return false;
        }
        return switch (b) {
            case FTP_COMMAND -> tx.fill(FtpBuffer.COMMAND, out);
            case FTP_COMMAND_DATA -> tx.fill(FtpBuffer.COMMAND_DATA, out);
            case FTP_BOUNCE -> {
                byte[] a = tx.portAddress();
                if (a == null) {
                    yield false;
                }
                bounce[0] = (byte) (java.util.Arrays.equals(a, client) ? 0 : 1);
                out.set(bounce, 0, 1);
                yield true;
            }
            default -> false;
        };
    }
}
