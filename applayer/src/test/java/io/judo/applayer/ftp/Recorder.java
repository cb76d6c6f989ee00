package io.judo.applayer.ftp;

import io.judo.applayer.Slice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A listener that writes down every transaction when it is done, and the channels and events, in order. */
final class Recorder implements FtpListener {
    final List<String> log = new ArrayList<>();
    final List<String> commands = new ArrayList<>();
    final List<FtpDataChannel> channels = new ArrayList<>();
    private final Slice slice = new Slice();

    @Override
    public void command(FtpTransaction tx) {
        commands.add((tx.fill(FtpBuffer.COMMAND, slice) ? slice.toString() : "-") + "|"
            + (tx.fill(FtpBuffer.COMMAND_DATA, slice) ? slice.toString() : "-"));
    }

    @Override
    public void dataChannel(FtpTransaction tx, FtpDataChannel c) {
        log.add("channel " + c + " by " + c.negotiatedBy());
    }

    @Override
    public void transfer(FtpTransaction tx, FtpDataChannel c) {
        channels.add(c);
        log.add("transfer " + c);
    }

    @Override
    public void tls() {
        log.add("tls");
    }

    @Override
    public void transactionDone(FtpTransaction tx) {
        log.add("tx " + tx.id() + " " + tx.requestLine() + " cmd=" + (tx.command() == null ? "-" : tx.command().text())
            + " data=" + tx.commandData() + " reply=" + tx.replyLines() + " codes=" + Arrays.toString(tx.lineCodes())
            + " code=" + tx.code() + " received=" + tx.replyReceived() + " port=" + tx.dynamicPort() + " mode="
            + tx.mode() + (tx.events() == 0 ? "" : " events=" + Long.toBinaryString(tx.events())));
    }

    @Override
    public void event(FtpTransaction tx, int dir, FtpEvent e) {
        log.add("event " + dir + " " + e.text() + (tx == null ? " (connection)" : " tx " + tx.id()));
    }

    String summary() {
        return String.join("\n", commands) + "\n--\n" + String.join("\n", log);
    }
}
