package io.judo.engine.output;

import io.judo.applayer.dns.DnsNames;
import io.judo.engine.detect.Alert;
import io.judo.engine.detect.DnsFields;
import io.judo.engine.detect.HttpFields;
import io.judo.packet.Addresses;
import io.judo.packet.decode.OuterPacket;
import io.judo.rules.suricata.Classifications;
import io.judo.rules.suricata.SuricataRule;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;

/**
 * Writes alerts as Suricata EVE JSON lines: timestamp (microseconds, +0000), flow_id, src/dest ip (and port for TCP
 * and UDP), proto, event_type "alert", alert.{action, gid, signature_id, rev, signature, category, severity},
 * {@code stream} (1 for a match in the reassembled stream) and the payload excerpt (base64, as Suricata's
 * {@code payload}, plus {@code payload_printable}). The one writer of alert lines: {@code scan --eve} writes
 * {@link Alert}s, {@code journal query --format eve} journal records, both through {@link #alert}, so the two outputs
 * of one alert are the same line.
 */
public final class EveWriter {
    /** The category and severity of a judo policy rule's EVE line (judo rules have no classtype). */
    public static final String JUDO_CATEGORY = "judo policy";
    public static final int JUDO_SEVERITY = 3;

    private final BufferedWriter out;
    private final Classifications classes;

    public EveWriter(BufferedWriter out, Classifications classes) {
        this.out = out;
        this.classes = classes;
    }

    /** The event types a writer may log besides alerts, as {@code --eve-types} names them. */
    public enum Type { ALERT, HTTP, FILEINFO, DNS, TLS, SSH, SMTP, FTP, FLOW, DROP, STATS, ANOMALY }

    /** The types Suricata's default eve-log writes, and so Judo's: every one but {@code drop}. */
    public static java.util.Set<Type> defaultTypes() {
        return java.util.EnumSet.complementOf(java.util.EnumSet.of(Type.DROP));
    }

    private java.util.Set<Type> types = defaultTypes();

    /** Which event types to write (all by default, as Suricata's default eve-log writes alerts and http). */
    public EveWriter types(java.util.Set<Type> t) {
        this.types = t.isEmpty() ? java.util.EnumSet.noneOf(Type.class) : java.util.EnumSet.copyOf(t);
        return this;
    }

    /** Whether events of type {@code t} are written. */
    public boolean logs(Type t) {
        return types.contains(t);
    }

    /** Writes one line made elsewhere (an {@link HttpLog} record). */
    public void write(String line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What an EVE alert line says, from either source.
     *
     * @param streamOffset the match's stream offset, or -1 for a packet match (no {@code stream} field)
     * @param payload the excerpt, {@code payloadLength} bytes of it written; null for none (no payload fields)
     */
    public record Fields(long timeNanos, long flowId, String srcIp, int srcPort, String destIp, int destPort, int proto,
            boolean blocked, int gid, long sid, int rev, String signature, String category, int severity,
            long streamOffset, byte[] payload, int payloadLength) {
    }

    /** The category EVE prints for {@code r}: its classtype's description, the classtype if unknown, else "". */
    public static String category(SuricataRule r, Classifications classes) {
        if (r.classtype() == null) {
            return "";
        }
        Classifications.Entry c = classes.get(r.classtype());
        return c != null ? c.description() : r.classtype();
    }

    public static String line(Alert a, Classifications classes) {
        SuricataRule r = a.rule();
        StringBuilder sb = new StringBuilder(256);
        JsonWriter j = new JsonWriter(sb);
        alert(j, new Fields(a.timeNanos(), a.flowId(), a.srcIp(), a.srcPort(), a.destIp(), a.destPort(), a.proto(),
                a.prevented(), r.gid(), r.sid(), r.rev(), r.msg(), category(r, classes), r.priority(), a.streamOffset(),
                a.payload(), a.payload().length));
        if (a.http() != null) {
            j.members(httpMembers(a.http()));
        }
        if (a.dns() != null) {
            j.members(dnsMembers(a.dns()));
        }
        if (a.tls() != null) {
            j.members(tlsMembers(a.tls()));
        }
        if (a.tunnel() != null) {
            tunnel(j, a.tunnel());
        }
        j.endObject();
        return sb.toString();
    }

    /**
     * What an alert on a tunnelled packet adds to its line, {@code "pkt_src":...,"tunnel":{...}}, as text the journal
     * keeps beside the transaction's members.
     */
    public static String tunnelMembers(OuterPacket t) {
        StringBuilder sb = new StringBuilder(160);
        tunnel(new JsonWriter(sb), t);
        return sb.toString();
    }

    /**
     * What an alert on a tunnelled packet adds, as Suricata's alert output: {@code pkt_src} (the decoder that made
     * the inner packet, e.g. "gre tunnel") and {@code tunnel} (the outermost packet's endpoints, protocol and the
     * depth, with that packet's own {@code pkt_src}).
     */
    private static void tunnel(JsonWriter j, OuterPacket t) {
        j.name("pkt_src").value(t.kind().packetSource());
        j.name("tunnel").beginObject().name("src_ip").value(Addresses.format(t.src()));
        if (t.proto() == 17) {
            j.name("src_port").value(t.srcPort());
        }
        j.name("dest_ip").value(Addresses.format(t.dest()));
        if (t.proto() == 17) {
            j.name("dest_port").value(t.destPort());
        }
        j.name("proto").value(proto(t.proto())).name("depth").value(t.depth()).name("pkt_src").value("wire/pcap")
                .endObject();
    }

    /**
     * What an alert in a DNS transaction adds to its line: {@code "tx_id":N,"app_proto":"dns","dns":{...}}, the
     * {@code dns} object being the message's {@code query} list (a request) or its {@code answer} (a response), as
     * Suricata 7's alert output writes them; as text the journal keeps.
     */
    public static String dnsMembers(DnsFields d) {
        StringBuilder sb = new StringBuilder(200);
        JsonWriter j = new JsonWriter(sb);
        j.name("tx_id").value(d.txId()).name("app_proto").value("dns").name("dns").beginObject();
        if (d.response()) {
            j.name("answer").beginObject();
            answer(j, d);
            j.endObject();
        } else {
            j.name("query").beginArray();
            for (DnsFields.Query q : d.queries()) {
                j.beginObject();
                query(j, d, q);
                j.endObject();
            }
            j.endArray();
        }
        j.endObject();
        return sb.toString();
    }

    /**
     * The EVE {@code dns} lines of one message, from its sender to its receiver: a request is one {@code query}
     * line per question ({@code type, id, rrname, rrtype, tx_id, opcode}); a response is one {@code answer} line
     * ({@code version} 3, {@code type, id, flags} in hex, the set flag bits as booleans, the first question's
     * {@code rrname}/{@code rrtype}, {@code opcode}, {@code rcode}, and the answer records as {@code answers}).
     */
    public static java.util.List<String> dnsLines(long timeNanos, long flowId, String srcIp, int srcPort,
            String destIp, int destPort, int proto, DnsFields d) {
        java.util.List<String> out = new java.util.ArrayList<>(Math.max(1, d.queries().size()));
        if (d.response()) {
            StringBuilder sb = new StringBuilder(256);
            JsonWriter j = new JsonWriter(sb);
            header(j, timeNanos, flowId, "dns", srcIp, srcPort, destIp, destPort, proto);
            j.name("dns").beginObject();
            answer(j, d);
            j.endObject().endObject();
            out.add(sb.toString());
            return out;
        }
        for (DnsFields.Query q : d.queries()) {
            StringBuilder sb = new StringBuilder(200);
            JsonWriter j = new JsonWriter(sb);
            header(j, timeNanos, flowId, "dns", srcIp, srcPort, destIp, destPort, proto);
            j.name("dns").beginObject();
            query(j, d, q);
            j.endObject().endObject();
            out.add(sb.toString());
        }
        return out;
    }

    /**
     * What an alert in a TLS session adds to its line: {@code "tx_id":0,"app_proto":"tls","tls":{...}} (a flow has
     * one TLS transaction), as text the journal keeps.
     */
    public static String tlsMembers(io.judo.engine.detect.TlsFields t) {
        StringBuilder sb = new StringBuilder(300);
        JsonWriter j = new JsonWriter(sb);
        j.name("tx_id").value(0).name("app_proto").value("tls");
        tls(j, t);
        return sb.toString();
    }

    /** The EVE {@code tls} line of one session, from the client to the server, as Suricata's eve-log writes it. */
    public static String tlsLine(long timeNanos, long flowId, String clientIp, int clientPort, String serverIp,
            int serverPort, int proto, io.judo.engine.detect.TlsFields t) {
        StringBuilder sb = new StringBuilder(400);
        JsonWriter j = new JsonWriter(sb);
        header(j, timeNanos, flowId, "tls", clientIp, clientPort, serverIp, serverPort, proto);
        tls(j, t);
        j.endObject();
        return sb.toString();
    }

    /**
     * The {@code tls} object: the server certificate's {@code subject, issuerdn, serial, fingerprint}, then {@code
     * sni, version, notbefore, notafter}, {@code ja3} and {@code ja3s} (each {@code hash} and {@code string}) and
     * {@code ja4}, in Suricata's order; what the session lacks is left out, as Suricata does.
     */
    private static void tls(JsonWriter j, io.judo.engine.detect.TlsFields t) {
        j.name("tls").beginObject();
        optional(j, "subject", t.subject());
        optional(j, "issuerdn", t.issuerdn());
        optional(j, "serial", t.serial());
        optional(j, "fingerprint", t.fingerprint());
        optional(j, "sni", t.sni());
        j.name("version").value(t.version());
        if (t.notBefore() >= 0) {
            j.name("notbefore").value(io.judo.applayer.tls.TlsCertificate.eveTime(t.notBefore()))
                    .name("notafter").value(io.judo.applayer.tls.TlsCertificate.eveTime(t.notAfter()));
        }
        fingerprint(j, "ja3", t.ja3Hash(), t.ja3String());
        fingerprint(j, "ja3s", t.ja3sHash(), t.ja3sString());
        optional(j, "ja4", t.ja4());
        j.endObject();
    }

    /**
     * The EVE {@code ssh} line of one connection, from the client to the server, as Suricata's eve-log writes it:
     * {@code "ssh":{"client":{"proto_version","software_version","hassh":{"hash","string"}},"server":{...}}}, each
     * side's members only when its banner (or KEXINIT) was seen.
     */
    public static String sshLine(long timeNanos, long flowId, String clientIp, int clientPort, String serverIp,
            int serverPort, int proto, io.judo.applayer.ssh.SshSession s) {
        StringBuilder sb = new StringBuilder(400);
        JsonWriter j = new JsonWriter(sb);
        header(j, timeNanos, flowId, "ssh", clientIp, clientPort, serverIp, serverPort, proto);
        j.name("ssh").beginObject();
        for (int dir = 0; dir < 2; dir++) {
            if (!s.bannerSeen(dir) && !s.kexinitSeen(dir)) {
                continue;
            }
            j.name(dir == 0 ? "client" : "server").beginObject();
            optional(j, "proto_version", s.protoVersion(dir));
            optional(j, "software_version", s.softwareVersion(dir));
            fingerprint(j, "hassh", s.hassh(dir), s.hasshString(dir));
            j.endObject();
        }
        j.endObject().endObject();
        return sb.toString();
    }

    /**
     * The EVE {@code flow} line of a flow that ended, as Suricata's eve-log {@code flow} type writes it: the header
     * from the client to the server timed by the flow's first packet, {@code app_proto} when detected (or
     * {@code "failed"}), {@code "flow":{"pkts_toserver","pkts_toclient","bytes_toserver","bytes_toclient","start",
     * "end","age","state","reason","alerted"}} (bytes are the packets' captured lengths, link header included; age in
     * whole seconds; state {@code new} until both directions were seen, then {@code established}, {@code closed} for a
     * TCP flow that saw a RST or both FINs, {@code bypassed} after a memcap bypass), and for TCP {@code "tcp":
     * {"tcp_flags","tcp_flags_ts","tcp_flags_tc"}} (the flags of every packet or-ed, as two hex digits) with a
     * {@code true} member for each flag seen either way.
     *
     * In prevention mode a flow a drop or reject rule dropped has {@code "action":"drop"} after {@code alerted}.
     *
     * @param appProto the detected protocol's EVE name, or null
     */
    public static String flowLine(io.judo.reassembly.Flow f, String appProto, boolean alerted, boolean dropped) {
        StringBuilder sb = new StringBuilder(420);
        JsonWriter j = new JsonWriter(sb);
        header(j, f.firstSeen(), f.id(), "flow", Addresses.format(f.clientAddress()), f.clientPort(),
                Addresses.format(f.serverAddress()), f.serverPort(), f.protocol());
        if (appProto != null) {
            j.name("app_proto").value(appProto);
        }
        int ts = f.tcpFlags(0);
        int tc = f.tcpFlags(1);
        String state;
        if (f.bypassed()) {
            state = "bypassed";
        } else if (f.protocol() == 6 && (((ts | tc) & 0x04) != 0 || (ts & tc & 0x01) != 0)) {
            state = "closed";
        } else {
            state = f.packets(0) > 0 && f.packets(1) > 0 ? "established" : "new";
        }
        j.name("flow").beginObject().name("pkts_toserver").value(f.packets(0)).name("pkts_toclient")
                .value(f.packets(1)).name("bytes_toserver").value(f.wireBytes(0)).name("bytes_toclient")
                .value(f.wireBytes(1)).name("start").value(timestamp(f.firstSeen())).name("end")
                .value(timestamp(f.lastSeen())).name("age")
                .value(Math.floorDiv(f.lastSeen(), 1_000_000_000L) - Math.floorDiv(f.firstSeen(), 1_000_000_000L))
                .name("state").value(state).name("reason")
                .value(f.endReason() == null ? "shutdown" : f.endReason().text()).name("alerted").value(alerted);
        if (dropped) {
            j.name("action").value("drop");
        }
        j.endObject();
        if (f.protocol() == 6) {
            int all = ts | tc;
            j.name("tcp").beginObject().name("tcp_flags").value(hex2(all)).name("tcp_flags_ts").value(hex2(ts))
                    .name("tcp_flags_tc").value(hex2(tc));
            String[] names = {"fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"};
            for (int b = 0; b < names.length; b++) {
                if ((all & (1 << b)) != 0) {
                    j.name(names[b]).value(true);
                }
            }
            j.endObject();
        }
        j.endObject();
        return sb.toString();
    }

    /**
     * The EVE {@code drop} line of a packet prevention mode dropped, as Suricata's eve-log {@code drop} type writes
     * it: the packet's own header (its source and destination), then {@code "drop":{"len","tos","ttl","ipid"}} from
     * the IP header (IPv6: traffic class and hop limit, no ipid) and for TCP {@code "tcpseq","tcpack","tcpwin"} and
     * a boolean per flag ({@code syn,ack,psh,rst,urg,fin}), {@code "tcpres"} (the reserved bits) and
     * {@code "tcpurgp"}; for UDP {@code "udplen"}.
     */
    public static String dropLine(io.judo.packet.decode.PacketView v, long timeNanos, long flowId) {
        StringBuilder sb = new StringBuilder(360);
        JsonWriter j = new JsonWriter(sb);
        header(j, timeNanos, flowId, "drop", Addresses.format(v.buffer(), v.srcAddressOffset(), v.addressLength()),
                v.srcPort(), Addresses.format(v.buffer(), v.dstAddressOffset(), v.addressLength()), v.dstPort(),
                v.ipProtocol());
        java.nio.ByteBuffer b = v.buffer();
        int ip = v.l3Offset();
        boolean v6 = v.addressLength() == 16;
        // the decoder's fields where it keeps them; the lengths and the IPv4 id straight from the headers
        j.name("drop").beginObject().name("len").value(v6 ? 40 + (b.getShort(ip + 4) & 0xFFFF)
                : b.getShort(ip + 2) & 0xFFFF).name("tos").value(v.tos()).name("ttl").value(v.ttl());
        if (!v6) {
            j.name("ipid").value(b.getShort(ip + 4) & 0xFFFF);
        }
        if (v.ipProtocol() == 6 && v.l4Offset() >= 0) {
            int flags = v.tcpFlags();
            j.name("tcpseq").value(v.seq()).name("tcpack").value(v.ack()).name("tcpwin").value(v.window())
                    .name("syn").value((flags & 0x02) != 0).name("ack").value((flags & 0x10) != 0).name("psh")
                    .value((flags & 0x08) != 0).name("rst").value((flags & 0x04) != 0).name("urg")
                    .value((flags & 0x20) != 0).name("fin").value((flags & 0x01) != 0).name("tcpres")
                    .value(b.get(v.l4Offset() + 12) & 0x0F).name("tcpurgp").value(v.urgentPointer());
        } else if (v.ipProtocol() == 17 && v.l4Offset() >= 0) {
            j.name("udplen").value(b.getShort(v.l4Offset() + 4) & 0xFFFF);
        }
        j.endObject().endObject();
        return sb.toString();
    }

    /**
     * The EVE {@code stats} line written once at the end of the input, with Suricata's counter names where Judo has
     * the counter: {@code "stats":{"uptime","decoder":{"pkts","bytes","invalid", one member per protocol layer decoded
     * (ethernet, vlan, sll, null, arp, ipv4, ipv6, tcp, udp, icmpv4, icmpv6, gre, erspan, vxlan, geneve, teredo, mpls,
     * pppoe, ppp, nsh, ipv4_in_ipv4, ipv4_in_ipv6, ipv6_in_ipv4, ipv6_in_ipv6), "avg_pkt_size"},"flow":{"total"},
     * "detect":{"alert"}}} ({@code detect} only with rules).
     *
     * @param alerts the alerts raised, or -1 without rules
     */
    public static String statsLine(long timeNanos, io.judo.packet.decode.DecodeCounters c, long flows, long alerts,
            long uptimeSeconds) {
        StringBuilder sb = new StringBuilder(600);
        JsonWriter j = new JsonWriter(sb);
        j.beginObject().name("timestamp").value(timestamp(timeNanos)).name("event_type").value("stats")
                .name("stats").beginObject().name("uptime").value(uptimeSeconds);
        j.name("decoder").beginObject().name("pkts").value(c.packets()).name("bytes").value(c.bytes())
                .name("invalid").value(c.malformedPackets());
        for (io.judo.packet.decode.Protocol p : io.judo.packet.decode.Protocol.values()) {
            String name = decoderCounter(p);
            if (name != null) {
                j.name(name).value(c.count(p));
            }
        }
        j.name("avg_pkt_size").value(c.packets() == 0 ? 0 : c.bytes() / c.packets()).endObject();
        j.name("flow").beginObject().name("total").value(flows).endObject();
        if (alerts >= 0) {
            j.name("detect").beginObject().name("alert").value(alerts).endObject();
        }
        j.endObject().endObject();
        return sb.toString();
    }

    /** Suricata's decoder counter for a protocol layer, or null where it has none (fragments, other layers). */
    private static String decoderCounter(io.judo.packet.decode.Protocol p) {
        switch (p) {
            case ICMP:
                return "icmpv4";
            case LOOPBACK:
                return "null";
            case FRAGMENT: case OTHER_L3: case OTHER_L4: case NFLOG:
                return null;
            default:
                return p.label();
        }
    }

    /**
     * The EVE {@code anomaly} line of a decoder event, as Suricata's eve-log {@code anomaly} type writes it: the
     * packet's header (addresses and ports when it got that far), then {@code "anomaly":{"type":"decode",
     * "event":"decoder.NAME"}}.
     *
     * @param event the Suricata decoder event ({@link io.judo.packet.decode.Malformed#suricataEvent()})
     */
    public static String decodeAnomalyLine(io.judo.packet.decode.PacketView v, long timeNanos, long flowId,
            String event) {
        StringBuilder sb = new StringBuilder(260);
        JsonWriter j = new JsonWriter(sb);
        if (v.l3Offset() >= 0 && v.addressLength() > 0) {
            header(j, timeNanos, flowId, "anomaly", Addresses.format(v.buffer(), v.srcAddressOffset(),
                    v.addressLength()), v.srcPort(), Addresses.format(v.buffer(), v.dstAddressOffset(),
                    v.addressLength()), v.dstPort(), v.ipProtocol());
        } else {
            j.beginObject().name("timestamp").value(timestamp(timeNanos)).name("event_type")
                    .value("anomaly");
        }
        j.name("anomaly").beginObject().name("type").value("decode").name("event").value(event).endObject()
                .endObject();
        return sb.toString();
    }

    /**
     * The EVE {@code anomaly} line of a stream event in direction {@code dir} of {@code f}: the direction's sender
     * and receiver, then {@code "anomaly":{"type":"stream","event":"stream.NAME"}}.
     *
     * @param event the Suricata stream event ({@link io.judo.reassembly.StreamEvent#suricataEvent()})
     */
    public static String streamAnomalyLine(io.judo.reassembly.Flow f, int dir, long timeNanos, String event) {
        StringBuilder sb = new StringBuilder(260);
        JsonWriter j = new JsonWriter(sb);
        String client = Addresses.format(f.clientAddress());
        String server = Addresses.format(f.serverAddress());
        header(j, timeNanos, f.id(), "anomaly", dir == 0 ? client : server, dir == 0 ? f.clientPort() : f.serverPort(),
                dir == 0 ? server : client, dir == 0 ? f.serverPort() : f.clientPort(), f.protocol());
        j.name("anomaly").beginObject().name("type").value("stream").name("event").value(event).endObject()
                .endObject();
        return sb.toString();
    }

    private static String hex2(int flags) {
        return String.format(java.util.Locale.ROOT, "%02x", flags);
    }

    /**
     * {@code timeNanos} as EVE writes a time: {@code 2024-01-02T03:04:05.123456+0000} (microseconds, truncated, UTC).
     * The date and time of day change once a second, so they are formatted once per second and kept: a full
     * {@link DateTimeFormatter} call per line was a tenth of the time of writing a capture's EVE lines.
     */
    public static String timestamp(long timeNanos) {
        long second = Math.floorDiv(timeNanos, 1_000_000_000L);
        Second last = lastSecond;
        if (last == null || last.second != second) {
            last = new Second(second, TIME.format(Instant.ofEpochSecond(second)));
            lastSecond = last; // racy but safe: the record is immutable, and a miss only formats again
        }
        int micros = (int) (Math.floorMod(timeNanos, 1_000_000_000L) / 1_000);
        char[] digits = new char[6];
        for (int i = 5; i >= 0; i--, micros /= 10) {
            digits[i] = (char) ('0' + micros % 10);
        }
        return new StringBuilder(31).append(last.text).append('.').append(digits).append("+0000").toString();
    }

    /** Up to the second, no fraction or zone: the part {@link #timestamp} keeps. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private record Second(long second, String text) {
    }

    private static Second lastSecond;

    /**
     * The EVE {@code ftp} line of one command, from the client to the server, as Suricata's eve-log writes it:
     * {@code "ftp":{"command","command_data","reply":[...],"completion_code":[...],"dynamic_port","mode",
     * "reply_received":"yes"|"no"}}: the command's name (an unknown verb as sent, upper case), its argument, each reply
     * line's text and each code that starts a line, the data port it announced with its mode; what the command lacks
     * is left out (the greeting has no command).
     */
    public static String ftpLine(long timeNanos, long flowId, String clientIp, int clientPort, String serverIp,
            int serverPort, int proto, io.judo.applayer.ftp.FtpTransaction tx) {
        StringBuilder sb = new StringBuilder(300);
        JsonWriter j = new JsonWriter(sb);
        header(j, timeNanos, flowId, "ftp", clientIp, clientPort, serverIp, serverPort, proto);
        j.name("tx_id").value(tx.id());
        j.name("ftp").beginObject();
        if (tx.hasRequest()) {
            j.name("command").value(tx.command() != null ? tx.command().text()
                    : tx.verb().toUpperCase(java.util.Locale.ROOT));
            String data = tx.command() != null ? tx.commandData() : tx.requestLine().length() > tx.verb().length()
                    ? tx.requestLine().substring(tx.verb().length() + 1) : null;
            optional(j, "command_data", data);
        }
        java.util.List<String> reply = tx.replyLines();
        if (!reply.isEmpty()) {
            j.name("reply").beginArray();
            reply.forEach(j::value);
            j.endArray();
            j.name("completion_code").beginArray();
            for (int c : tx.lineCodes()) {
                if (c >= 0) {
                    j.value(c >= 100 ? Integer.toString(c) : c >= 10 ? "0" + c : "00" + c);
                }
            }
            j.endArray();
        }
        if (tx.dynamicPort() > 0) {
            j.name("dynamic_port").value(tx.dynamicPort());
        }
        optional(j, "mode", tx.mode());
        j.name("reply_received").value(tx.replyReceived() ? "yes" : "no");
        j.endObject().endObject();
        return sb.toString();
    }

    /**
     * The EVE {@code smtp} line of one mail, from the client to the server, as Suricata's eve-log writes it:
     * {@code "smtp":{"helo","mail_from","rcpt_to":[...]}} and {@code "email":{"status","from","to":[...],
     * "attachment":[...]}} (the message's From and To headers, its files' names); what the mail lacks is left out.
     */
    public static String smtpLine(long timeNanos, long flowId, String clientIp, int clientPort, String serverIp,
            int serverPort, int proto, io.judo.applayer.smtp.SmtpTransaction tx) {
        StringBuilder sb = new StringBuilder(400);
        JsonWriter j = new JsonWriter(sb);
        header(j, timeNanos, flowId, "smtp", clientIp, clientPort, serverIp, serverPort, proto);
        j.name("tx_id").value(tx.id());
        smtp(j, tx);
        j.endObject();
        return sb.toString();
    }

    /**
     * A mail's {@code smtp} object and, when it had a message, its {@code email} object: what an {@code smtp} record
     * holds, and what Suricata puts on the {@code fileinfo} record of each of the mail's files.
     */
    public static void smtp(JsonWriter j, io.judo.applayer.smtp.SmtpTransaction tx) {
        j.name("smtp").beginObject();
        optional(j, "helo", tx.helo());
        optional(j, "mail_from", tx.mailFrom());
        java.util.List<String> rcpt = tx.rcptTo();
        if (!rcpt.isEmpty()) {
            j.name("rcpt_to").beginArray();
            rcpt.forEach(j::value);
            j.endArray();
        }
        j.endObject();
        if (tx.hasMessage()) {
            j.name("email").beginObject().name("status").value(tx.messageComplete() ? "PARSE_DONE" : "PARSE_ERROR");
            optional(j, "from", tx.headers().value("From"));
            String to = tx.headers().value("To");
            if (to != null) {
                j.name("to").beginArray();
                for (String t : to.split(",")) {
                    j.value(t.trim());
                }
                j.endArray();
            }
            if (tx.fileCount() > 0) {
                j.name("attachment").beginArray();
                for (int i = 0; i < tx.fileCount(); i++) {
                    j.value(tx.file(i).name());
                }
                j.endArray();
            }
            j.endObject();
        }
    }

    private static void fingerprint(JsonWriter j, String name, String hash, String string) {
        if (hash != null) {
            j.name(name).beginObject().name("hash").value(hash).name("string").value(string).endObject();
        }
    }

    private static void query(JsonWriter j, DnsFields d, DnsFields.Query q) {
        j.name("type").value("query").name("id").value(d.id()).name("rrname").value(q.rrname())
                .name("rrtype").value(DnsNames.rrtype(q.rrtype())).name("tx_id").value(d.txId())
                .name("opcode").value(d.opcode());
    }

    private static void answer(JsonWriter j, DnsFields d) {
        int f = d.flags();
        j.name("version").value(3).name("type").value("answer").name("id").value(d.id())
                .name("flags").value(String.format("%x", f));
        String[] names = {"qr", "aa", "tc", "rd", "ra", "z", "ad", "cd"};
        int[] bits = {0x8000, 0x0400, 0x0200, 0x0100, 0x0080, 0x0040, 0x0020, 0x0010};
        for (int i = 0; i < names.length; i++) {
            if ((f & bits[i]) != 0) {
                j.name(names[i]).value(true);
            }
        }
        if (!d.queries().isEmpty()) {
            j.name("rrname").value(d.queries().get(0).rrname())
                    .name("rrtype").value(DnsNames.rrtype(d.queries().get(0).rrtype()));
        }
        j.name("opcode").value(d.opcode()).name("rcode").value(DnsNames.rcode(d.rcode()));
        if (!d.answers().isEmpty()) {
            j.name("answers").beginArray();
            for (DnsFields.Answer a : d.answers()) {
                j.beginObject().name("rrname").value(a.rrname()).name("rrtype").value(DnsNames.rrtype(a.rrtype()))
                        .name("ttl").value(a.ttl());
                if (a.rdata() != null) {
                    j.name("rdata").value(a.rdata());
                }
                j.endObject();
            }
            j.endArray();
        }
    }

    /**
     * What an alert in an HTTP transaction adds to its line: {@code "tx_id":N,"app_proto":"http","http":{...}}, as
     * text the journal keeps, so that {@code journal query --format eve} writes the same line.
     */
    public static String httpMembers(HttpFields h) {
        StringBuilder sb = new StringBuilder(200);
        JsonWriter j = new JsonWriter(sb);
        j.name("tx_id").value(h.txId()).name("app_proto").value("http");
        http(j, h);
        return sb.toString();
    }

    /**
     * An EVE {@code http} event: the transaction's client to server endpoints, {@code tx_id} and the {@code http}
     * object, as Suricata logs a transaction when it completes.
     */
    public static String httpLine(long timeNanos, long flowId, String clientIp, int clientPort, String serverIp,
            int serverPort, HttpFields h) {
        return httpLine(timeNanos, flowId, clientIp, clientPort, serverIp, serverPort, h, null, null);
    }

    /**
     * As above, with the decoded bodies in the {@code http} object as base64 {@code request_body} and
     * {@code response_body} (judo's addition, for {@code judo http --bodies}); null bodies are left out.
     */
    public static String httpLine(long timeNanos, long flowId, String clientIp, int clientPort, String serverIp,
            int serverPort, HttpFields h, byte[] requestBody, byte[] responseBody) {
        StringBuilder sb = new StringBuilder(256);
        JsonWriter j = new JsonWriter(sb);
        header(j, timeNanos, flowId, "http", clientIp, clientPort, serverIp, serverPort, 6);
        j.name("tx_id").value(h.txId());
        j.name("http").beginObject();
        httpMembers(j, h);
        if (requestBody != null) {
            j.name("request_body").value(Base64.getEncoder().encodeToString(requestBody));
        }
        if (responseBody != null) {
            j.name("response_body").value(Base64.getEncoder().encodeToString(responseBody));
        }
        j.endObject().endObject();
        return sb.toString();
    }

    /**
     * An application-layer anomaly as Suricata's EVE {@code anomaly} event ({@code type} "applayer",
     * {@code app_proto} "http", {@code event} the parser's event name, {@code layer} "proto_parser"); {@code txId}
     * -1 for an event of no transaction.
     */
    public static String appLayerAnomaly(long timeNanos, long flowId, String clientIp, int clientPort, String serverIp,
            int serverPort, long txId, String event) {
        StringBuilder sb = new StringBuilder(200);
        JsonWriter j = new JsonWriter(sb);
        header(j, timeNanos, flowId, "anomaly", clientIp, clientPort, serverIp, serverPort, 6);
        if (txId >= 0) {
            j.name("tx_id").value(txId);
        }
        j.name("anomaly").beginObject().name("app_proto").value("http").name("type").value("applayer")
                .name("event").value(event).name("layer").value("proto_parser").endObject();
        j.endObject();
        return sb.toString();
    }

    /**
     * An EVE {@code fileinfo} event for an HTTP body: from its sender to its receiver, {@code tx_id}, the transaction's
     * {@code http} object and {@code fileinfo.{filename, gaps, state, stored, size, tx_id}}, with {@code sha256}
     * when the whole body was kept.
     *
     * @param state "CLOSED" for a body that ended, "TRUNCATED" for one cut by the body limit or the connection
     */
    public static String fileinfoLine(long timeNanos, long flowId, String srcIp, int srcPort, String destIp,
            int destPort, HttpFields h, String filename, String state, long size, String sha256) {
        return fileinfoLine(timeNanos, flowId, srcIp, srcPort, destIp, destPort, h.txId(), "http", j -> http(j, h),
                new FileFields(filename, false, state, size, sha256));
    }

    /**
     * What a {@code fileinfo} object says of one file, whichever protocol carried it.
     *
     * @param filename the name the protocol gave it, or null (left out)
     * @param gaps whether bytes of it were missing from the stream
     * @param state "CLOSED" for a file that ended and was kept whole, "TRUNCATED" for one cut short
     * @param sha256 the digest of the whole file in hex, or null when not all of it was kept (left out)
     */
    public record FileFields(String filename, boolean gaps, String state, long size, String sha256) {
    }

    /**
     * An EVE {@code fileinfo} event of any protocol, in Suricata's order: the header from the file's sender to its
     * receiver, {@code tx_id}, the transaction's objects ({@code appObjects} writes them: {@code http} for HTTP,
     * {@code smtp} and {@code email} for a mail), {@code app_proto} and {@code fileinfo.{filename, gaps, state,
     * sha256, stored, size, tx_id}}.
     */
    public static String fileinfoLine(long timeNanos, long flowId, String srcIp, int srcPort, String destIp,
            int destPort, long txId, String appProto, java.util.function.Consumer<JsonWriter> appObjects,
            FileFields file) {
        StringBuilder sb = new StringBuilder(256);
        JsonWriter j = new JsonWriter(sb);
        header(j, timeNanos, flowId, "fileinfo", srcIp, srcPort, destIp, destPort, 6);
        j.name("tx_id").value(txId);
        appObjects.accept(j);
        j.name("app_proto").value(appProto);
        j.name("fileinfo").beginObject();
        optional(j, "filename", file.filename());
        j.name("gaps").value(file.gaps()).name("state").value(file.state());
        optional(j, "sha256", file.sha256());
        j.name("stored").value(false).name("size").value(file.size()).name("tx_id").value(txId);
        j.endObject();
        j.endObject();
        return sb.toString();
    }

    /** The {@code http} object, Suricata's field names and order; absent values are left out. */
    public static void http(JsonWriter j, HttpFields h) {
        j.name("http").beginObject();
        httpMembers(j, h);
        j.endObject();
    }

    private static void httpMembers(JsonWriter j, HttpFields h) {
        optional(j, "hostname", h.hostname());
        optional(j, "url", h.url());
        optional(j, "http_user_agent", h.userAgent());
        optional(j, "http_content_type", h.contentType());
        optional(j, "http_refer", h.referer());
        optional(j, "http_method", h.method());
        optional(j, "protocol", h.protocol());
        if (h.status() > 0) {
            j.name("status").value(h.status());
        }
        optional(j, "redirect", h.redirect());
        j.name("length").value(h.length());
    }

    private static void optional(JsonWriter j, String name, String value) {
        if (value != null) {
            j.name(name).value(value);
        }
    }

    /**
     * Writes an alert's fields into a fresh object of {@code j} and leaves it open, so a caller may add fields of its
     * own (a journal's rewrite or remap) before closing it.
     */
    public static void alert(JsonWriter j, Fields f) {
        header(j, f.timeNanos(), f.flowId(), "alert", f.srcIp(), f.srcPort(), f.destIp(), f.destPort(), f.proto());
        j.name("alert").beginObject().name("action").value(f.blocked() ? "blocked" : "allowed")
                .name("gid").value(f.gid()).name("signature_id").value(f.sid()).name("rev").value(f.rev())
                .name("signature").value(f.signature()).name("category").value(f.category());
        if (f.severity() > 0) { // 0: a journal written before rule records carried it
            j.name("severity").value(f.severity());
        }
        j.endObject();
        if (f.streamOffset() >= 0) {
            j.name("stream").value(1);
        }
        if (f.payload() != null) {
            byte[] p = f.payload();
            int n = f.payloadLength();
            j.name("payload").value(Base64.getEncoder().encodeToString(n == p.length ? p : Arrays.copyOf(p, n)));
            StringBuilder printable = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                int c = p[i] & 0xff;
                printable.append(c >= 32 && c < 127 ? (char) c : '.');
            }
            j.name("payload_printable").value(printable.toString());
        }
    }

    /**
     * A stream anomaly as Suricata's EVE {@code anomaly} event ({@code anomaly.type} "stream", {@code event} its
     * name), with judo's {@code stream_offset}; the object is left open as in {@link #alert}.
     */
    public static void anomaly(JsonWriter j, long timeNanos, long flowId, String srcIp, int srcPort, String destIp,
            int destPort, int proto, String event, long streamOffset) {
        header(j, timeNanos, flowId, "anomaly", srcIp, srcPort, destIp, destPort, proto);
        j.name("anomaly").beginObject().name("type").value("stream").name("event").value(event)
                .name("stream_offset").value(streamOffset).endObject();
    }

    private static void header(JsonWriter j, long timeNanos, long flowId, String type, String srcIp, int srcPort,
            String destIp, int destPort, int proto) {
        j.beginObject().name("timestamp").value(timestamp(timeNanos)).name("flow_id").value(flowId)
                .name("event_type").value(type).name("src_ip").value(srcIp);
        if (proto == 6 || proto == 17) {
            j.name("src_port").value(srcPort);
        }
        j.name("dest_ip").value(destIp);
        if (proto == 6 || proto == 17) {
            j.name("dest_port").value(destPort);
        }
        j.name("proto").value(proto(proto));
    }

    /**
     * A packet a judo {@code log} rule matched: an EVE alert whose signature is the rule's place and text, gid 1,
     * signature_id the rule's line, action the policy's decision for the packet.
     */
    public static String line(io.judo.engine.detect.PolicyEngine.Logged l) {
        io.judo.packet.decode.PacketView v = l.packet();
        StringBuilder sb = new StringBuilder(256);
        JsonWriter j = new JsonWriter(sb);
        alert(j, new Fields(l.timeNanos(), l.flowId(),
                io.judo.packet.Addresses.format(v.buffer(), v.srcAddressOffset(), v.addressLength()), v.srcPort(),
                io.judo.packet.Addresses.format(v.buffer(), v.dstAddressOffset(), v.addressLength()), v.dstPort(),
                v.ipProtocol(), l.verdict() != io.judo.vm.Verdict.PASS, 1, l.rule().line(), 0,
                l.rule().file() + ":" + l.rule().line() + " " + l.rule().text().trim(), JUDO_CATEGORY, JUDO_SEVERITY,
                -1, null, 0));
        j.endObject();
        return sb.toString();
    }

    public void write(io.judo.engine.detect.PolicyEngine.Logged l) {
        if (!types.contains(Type.ALERT)) {
            return;
        }
        try {
            out.write(line(l));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(Alert a) {
        if (!types.contains(Type.ALERT)) {
            return;
        }
        try {
            out.write(line(a, classes));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String proto(int p) {
        return switch (p) {
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 1 -> "ICMP";
            case 58 -> "IPv6-ICMP";
            case 47 -> "GRE";
            case 4 -> "IPIP";
            case 41 -> "IPv6";
            default -> String.valueOf(p);
        };
    }
}
