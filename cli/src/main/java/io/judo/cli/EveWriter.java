package io.judo.cli;

import io.judo.engine.detect.Alert;
import io.judo.rules.suricata.Classifications;
import io.judo.rules.suricata.SuricataRule;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Writes alerts as Suricata EVE JSON lines: timestamp (microseconds, +0000), flow_id, src/dest ip and port, proto,
 * event_type "alert", alert.{action, gid, signature_id, rev, signature, category, severity}, and the payload
 * excerpt (base64, as Suricata's {@code payload}, plus {@code payload_printable}).
 */
final class EveWriter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx")
            .withZone(ZoneOffset.UTC);

    private final BufferedWriter out;
    private final Classifications classes;

    EveWriter(BufferedWriter out, Classifications classes) {
        this.out = out;
        this.classes = classes;
    }

    static String line(Alert a, Classifications classes) {
        SuricataRule r = a.rule();
        StringBuilder sb = new StringBuilder(256);
        JsonWriter j = new JsonWriter(sb);
        Instant t = Instant.ofEpochSecond(a.timeNanos() / 1_000_000_000L, a.timeNanos() % 1_000_000_000L);
        j.beginObject().name("timestamp").value(TIME.format(t)).name("flow_id").value(a.flowId())
                .name("event_type").value("alert").name("src_ip").value(a.srcIp());
        if (a.proto() == 6 || a.proto() == 17) {
            j.name("src_port").value(a.srcPort());
        }
        j.name("dest_ip").value(a.destIp());
        if (a.proto() == 6 || a.proto() == 17) {
            j.name("dest_port").value(a.destPort());
        }
        j.name("proto").value(proto(a.proto()));
        String category = "";
        if (r.classtype() != null) {
            Classifications.Entry c = classes.get(r.classtype());
            category = c != null ? c.description() : r.classtype();
        }
        j.name("alert").beginObject().name("action").value(a.blocked() ? "blocked" : "allowed")
                .name("gid").value(r.gid()).name("signature_id").value(r.sid()).name("rev").value(r.rev())
                .name("signature").value(r.msg()).name("category").value(category)
                .name("severity").value(r.priority()).endObject();
        if (a.streamOffset() >= 0) {
            j.name("stream").value(1);
        }
        j.name("payload").value(Base64.getEncoder().encodeToString(a.payload()));
        StringBuilder printable = new StringBuilder(a.payload().length);
        for (byte b : a.payload()) {
            int c = b & 0xff;
            printable.append(c >= 32 && c < 127 ? (char) c : '.');
        }
        j.name("payload_printable").value(printable.toString());
        j.endObject();
        return sb.toString();
    }

    /**
     * A packet a judo {@code log} rule matched: an EVE alert whose signature is the rule's place and text, gid 1,
     * signature_id the rule's line, action the policy's decision for the packet.
     */
    static String line(io.judo.engine.detect.PolicyEngine.Logged l) {
        io.judo.packet.decode.PacketView v = l.packet();
        StringBuilder sb = new StringBuilder(256);
        JsonWriter j = new JsonWriter(sb);
        Instant t = Instant.ofEpochSecond(l.timeNanos() / 1_000_000_000L, l.timeNanos() % 1_000_000_000L);
        int proto = v.ipProtocol();
        j.beginObject().name("timestamp").value(TIME.format(t)).name("flow_id").value(l.flowId())
                .name("event_type").value("alert")
                .name("src_ip").value(io.judo.packet.Addresses.format(v.buffer(), v.srcAddressOffset(),
                        v.addressLength()));
        if (proto == 6 || proto == 17) {
            j.name("src_port").value(v.srcPort());
        }
        j.name("dest_ip").value(io.judo.packet.Addresses.format(v.buffer(), v.dstAddressOffset(), v.addressLength()));
        if (proto == 6 || proto == 17) {
            j.name("dest_port").value(v.dstPort());
        }
        j.name("proto").value(proto(proto));
        j.name("alert").beginObject()
                .name("action").value(l.verdict() == io.judo.vm.Verdict.PASS ? "allowed" : "blocked")
                .name("gid").value(1).name("signature_id").value(l.rule().line()).name("rev").value(0)
                .name("signature").value(l.rule().file() + ":" + l.rule().line() + " " + l.rule().text().trim())
                .name("category").value("judo policy").name("severity").value(3).endObject();
        j.endObject();
        return sb.toString();
    }

    void write(io.judo.engine.detect.PolicyEngine.Logged l) {
        try {
            out.write(line(l));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Alert a) {
        try {
            out.write(line(a, classes));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String proto(int p) {
        return switch (p) {
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 1 -> "ICMP";
            case 58 -> "IPv6-ICMP";
            default -> String.valueOf(p);
        };
    }
}
