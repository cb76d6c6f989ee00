package io.judo.engine.output;

import io.judo.applayer.Slice;
import io.judo.applayer.ftp.FtpDataChannel;
import io.judo.applayer.ftp.FtpTransaction;
import io.judo.engine.detect.AppLayer;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * EVE {@code ftp} and FTP {@code fileinfo} records. One {@code ftp} record per FTP command (and one for the
 * greeting), from the client to the server, when it got its final reply or the flow ended, as Suricata's eve-log
 * {@code ftp} type writes it ({@link EveWriter#ftpLine}). One {@code fileinfo} record per FTP-DATA flow that carried
 * a RETR's or a STOR's file, when the flow ends, from the file's sender, with an {@code ftp_data} object (the file
 * name and the command) and {@code app_proto} {@code ftp-data}, as Suricata logs the files of FTP (only those two
 * commands: listings and APPE's data are not files to it). On the partition's thread, timed by the flow's last
 * packet.
 */
public final class FtpLog extends EveRecordLog {
    private final boolean ftp;
    private final boolean files;
    private final Slice data = new Slice();
    private final FileDigest digest = new FileDigest();

    /** @param out receives each EVE line (without a line end); only {@code ftp} records */
    public FtpLog(Consumer<String> out) {
        this(out, true, false);
    }

    /**
     * @param out receives each EVE line (without a line end)
     * @param ftp write an {@code ftp} record per command
     * @param files write a {@code fileinfo} record per file an FTP-DATA flow carried
     */
    public FtpLog(Consumer<String> out, boolean ftp, boolean files) {
        super(out);
        this.ftp = ftp;
        this.files = files;
    }

    @Override
    public void ftp(Flow f, FtpTransaction tx, boolean done) {
        if (ftp && done) {
            emit(EveWriter.ftpLine(f.lastSeen(), f.id(), Addresses.format(f.clientAddress()), f.clientPort(),
                    Addresses.format(f.serverAddress()), f.serverPort(), f.protocol(), tx));
        }
    }

    /**
     * The file is CLOSED, with its SHA-256, when the limit kept all of it; TRUNCATED past {@link
     * AppLayer#FTP_DATA_LIMIT} (Suricata hashes the whole file; the bytes past the limit are not kept here).
     */
    @Override
    public void ftpData(Flow f, AppLayer.FtpExpectation e, int dir, byte[] file, int length, long size) {
        FtpDataChannel c = e.channel();
        String command = c.transferCommand();
        if (!files || !("RETR".equals(command) || "STOR".equals(command))) {
            return;
        }
        String name = c.fileName() == null ? null : new String(c.fileName(), StandardCharsets.UTF_8);
        boolean whole = size == length;
        data.set(file, 0, length);
        String client = Addresses.format(f.clientAddress());
        String server = Addresses.format(f.serverAddress());
        boolean fromClient = dir == 0;
        emit(EveWriter.fileinfoLine(f.lastSeen(), f.id(), fromClient ? client : server,
                fromClient ? f.clientPort() : f.serverPort(), fromClient ? server : client,
                fromClient ? f.serverPort() : f.clientPort(), 0, "ftp-data", j -> {
                    j.name("ftp_data").beginObject();
                    if (name != null) {
                        j.name("filename").value(name);
                    }
                    j.name("command").value(command);
                    j.endObject();
                }, new EveWriter.FileFields(name, false, whole ? "CLOSED" : "TRUNCATED", size,
                        whole ? digest.sha256(data) : null)));
    }
}
