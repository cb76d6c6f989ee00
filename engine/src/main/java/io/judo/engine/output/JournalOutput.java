package io.judo.engine.output;

import io.judo.engine.detect.Alert;
import io.judo.engine.detect.Detector;
import io.judo.engine.detect.PolicyEngine;
import io.judo.journal.EventType;
import io.judo.journal.JournalEvent;
import io.judo.journal.JournalWriter;
import io.judo.packet.Addresses;
import io.judo.packet.decode.PacketView;
import io.judo.rules.judo.JudoRule;
import io.judo.rules.suricata.SuricataRule;
import io.judo.vm.Verdict;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@code judo scan --journal DIR} records: each alert (type alert, or drop/reject for those rules' actions),
 * each packet a judo policy blocks or rejects, each stream anomaly, with one RULE record per rule naming it. Judo
 * policy rules are journaled as gid 0, sid = their line.
 */
public final class JournalOutput implements AutoCloseable {
    private final JournalWriter writer;
    private final JournalEvent e = new JournalEvent();

    private JournalOutput(JournalWriter writer) {
        this.writer = writer;
    }

    /**
     * Opens (creating it when absent) the journal in {@code dir}.
     *
     * @throws OutputException when it cannot be opened as a journal
     */
    public static JournalOutput open(Path dir, JournalWriter.Roll roll, JournalWriter.Retention retention) {
        try {
            return new JournalOutput(JournalWriter.open(dir, roll, retention));
        } catch (IOException ex) {
            throw new OutputException(ex.getMessage());
        }
    }

    /** An alert, its rule named once with the category and severity {@code scan --eve} prints for it. */
    public void alert(Alert a, io.judo.rules.suricata.Classifications classes) {
        SuricataRule r = a.rule();
        writer.rule(r.gid(), r.sid(), r.rev(), r.msg(), EveWriter.category(r, classes), r.priority());
        e.clear();
        e.type = !a.prevented() ? EventType.ALERT // as EVE says it: a drop rule in IDS mode only alerts
                : r.action() == SuricataRule.Action.REJECT ? EventType.REJECT : EventType.DROP;
        e.timeNanos = a.timeNanos();
        e.flowId = a.flowId();
        e.addresses(a.src(), a.dest()); // the bytes themselves: nothing formatted to be parsed back
        e.srcPort = a.srcPort();
        e.dstPort = a.destPort();
        e.protocol = a.proto();
        e.streamOffset = a.streamOffset();
        e.gid = r.gid();
        e.sid = r.sid();
        e.rev = r.rev();
        e.excerpt(a.payload(), 0, a.payload().length);
        // the alert line's members beyond the packet's, in EVE's order: the transaction's, then the tunnel's
        String transaction = a.http() != null ? EveWriter.httpMembers(a.http())
                : a.dns() != null ? EveWriter.dnsMembers(a.dns())
                : a.tls() != null ? EveWriter.tlsMembers(a.tls()) : null;
        String tunnel = a.tunnel() == null ? null : EveWriter.tunnelMembers(a.tunnel());
        String members = transaction == null ? tunnel : tunnel == null ? transaction : transaction + "," + tunnel;
        if (members != null && !e.http(members)) {
            // a URI of kilobytes: the record keeps the alert, and the transaction's members when they fit alone
            membersTooLong++;
            if (transaction != null && tunnel != null) {
                e.http(transaction);
            }
        }
        writer.append(e);
    }

    private long membersTooLong;

    /**
     * Alerts whose members beyond the packet's (a transaction's, a tunnel's) were longer than a record keeps
     * ({@link JournalEvent#MAX_HTTP}), so some were left out of the record.
     */
    public long membersTooLong() {
        return membersTooLong;
    }

    /** The last packet a policy decided, when it blocked or rejected it. */
    public void decision(PolicyEngine p, int verdict, long timeNanos) {
        if (verdict != Verdict.DROP && verdict != Verdict.REJECT) {
            return;
        }
        int index = p.lastRule();
        JudoRule rule = index < 0 ? null : p.policy().policy().rules().get(index);
        if (rule != null) {
            writer.rule(0, rule.line(), 0, rule.file() + ":" + rule.line() + " " + rule.text().trim(),
                    EveWriter.JUDO_CATEGORY, EveWriter.JUDO_SEVERITY);
        }
        packet(p.lastPacket(), timeNanos, p.lastFlow() == null ? 0 : p.lastFlow().id());
        e.type = verdict == Verdict.DROP ? EventType.DROP : EventType.REJECT;
        e.sid = rule == null ? 0 : rule.line();
        writer.append(e);
    }

    /** One REWRITE record per payload edit of the packet the policy last rewrote (a retransmission's again). */
    public void rewrites(io.judo.engine.detect.Rewriting p, long timeNanos) {
        for (int i = 0; i < p.rewrites().lastEditCount(); i++) {
            io.judo.engine.detect.EditKind kind = p.rewrites().lastEditKind(i);
            writer.rule(kind.gid(), kind.sid(), kind.rev(), kind.description());
            packet(p.lastPacket(), timeNanos, p.lastFlow() == null ? 0 : p.lastFlow().id());
            e.type = EventType.REWRITE;
            e.gid = kind.gid();
            e.sid = kind.sid();
            e.rev = kind.rev();
            e.direction = p.lastFlow() == null ? 0 : p.lastDirection();
            e.streamOffset = p.rewrites().lastEditStreamOffset(i);
            int old = p.rewrites().lastEdits().oldLength(i);
            // the rule's text: the packet's own bytes may lie partly in bytes an inline bridge held back before
            e.beforeLength = Math.min(old, JournalEvent.MAX_EDIT);
            System.arraycopy(kind.old(), 0, e.before, 0, e.beforeLength);
            byte[] replacement = kind.replacement();
            e.afterLength = Math.min(replacement.length, JournalEvent.MAX_EDIT);
            System.arraycopy(replacement, 0, e.after, 0, e.afterLength);
            e.delta = replacement.length - old;
            writer.append(e);
        }
    }

    /**
     * A REMAP record when the packet the policy last rewrote fixed its flow's nat-to / rdr-to mapping: the flow's
     * 5-tuple before and after, as text, and the rule.
     */
    public void remap(PolicyEngine p, long timeNanos) {
        io.judo.engine.detect.PolicyRewrites r = p.rewrites();
        int mapping = r.lastMapping();
        if (mapping == 0) {
            return;
        }
        PacketView v = p.lastPacket();
        int index = r.lastMappingRule();
        JudoRule rule = index < 0 || index >= p.policy().policy().rules().size() ? null
                : p.policy().policy().rules().get(index);
        if (rule != null) {
            writer.rule(0, rule.line(), 0, rule.file() + ":" + rule.line() + " " + rule.text().trim(),
                    EveWriter.JUDO_CATEGORY, EveWriter.JUDO_SEVERITY);
        }
        packet(v, timeNanos, p.lastFlow() == null ? 0 : p.lastFlow().id());
        e.type = EventType.REMAP;
        e.sid = rule == null ? 0 : rule.line();
        e.direction = p.lastFlow() == null ? 0 : p.lastDirection();
        String src = Addresses.format(v.buffer(), v.srcAddressOffset(), v.addressLength());
        String dst = Addresses.format(v.buffer(), v.dstAddressOffset(), v.addressLength());
        int sport = v.srcPort();
        int dport = v.dstPort();
        String before = endpoint(src, sport) + " -> " + endpoint(dst, dport);
        String newSrc = (mapping & 1) != 0 ? Addresses.format(r.mappedNatAddress()) : src;
        int newSport = (mapping & 1) != 0 && r.mappedNatPort() >= 0 ? r.mappedNatPort() : sport;
        String newDst = (mapping & 2) != 0 ? Addresses.format(r.mappedRdrAddress()) : dst;
        int newDport = (mapping & 2) != 0 && r.mappedRdrPort() >= 0 ? r.mappedRdrPort() : dport;
        String after = endpoint(newSrc, newSport) + " -> " + endpoint(newDst, newDport);
        byte[] b = before.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] a = after.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        e.beforeLength = Math.min(b.length, JournalEvent.MAX_EDIT);
        System.arraycopy(b, 0, e.before, 0, e.beforeLength);
        e.afterLength = Math.min(a.length, JournalEvent.MAX_EDIT);
        System.arraycopy(a, 0, e.after, 0, e.afterLength);
        writer.append(e);
    }

    private static String endpoint(String address, int port) {
        return address.indexOf(':') >= 0 ? "[" + address + "]:" + port : address + ":" + port;
    }

    public void anomaly(Detector.Anomaly a) {
        e.clear();
        e.type = EventType.ANOMALY;
        e.timeNanos = a.timeNanos();
        e.flowId = a.flow().id();
        e.direction = a.direction();
        byte[] client = a.flow().clientAddress();
        byte[] server = a.flow().serverAddress();
        boolean toServer = a.direction() == 0;
        e.addresses(toServer ? client : server, toServer ? server : client);
        e.srcPort = toServer ? a.flow().clientPort() : a.flow().serverPort();
        e.dstPort = toServer ? a.flow().serverPort() : a.flow().clientPort();
        e.protocol = 6;
        e.streamOffset = a.offset();
        e.text(a.event().name().toLowerCase(java.util.Locale.ROOT));
        writer.append(e);
    }

    private void packet(PacketView v, long timeNanos, long flowId) {
        e.clear();
        e.timeNanos = timeNanos;
        e.flowId = flowId;
        if (v.addressLength() > 0) {
            byte[] src = new byte[v.addressLength()];
            byte[] dst = new byte[v.addressLength()];
            v.buffer().get(v.srcAddressOffset(), src);
            v.buffer().get(v.dstAddressOffset(), dst);
            e.addresses(src, dst);
        }
        e.protocol = v.ipProtocol();
        e.srcPort = v.srcPort();
        e.dstPort = v.dstPort();
        int n = Math.max(0, v.payloadLength());
        int take = Math.min(n, JournalEvent.MAX_EXCERPT);
        v.buffer().get(v.payloadOffset(), e.excerpt, 0, take);
        e.excerptLength = take;
    }

    public long written() {
        return writer.written();
    }

    /** An output for another worker's thread on the same journal ({@link JournalWriter#sibling}). */
    public JournalOutput sibling() {
        return new JournalOutput(writer.sibling());
    }

    @Override
    public void close() {
        writer.close();
    }
}
