package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.applayer.dns.DnsMessage;
import io.judo.rules.suricata.CompiledRuleSet.DerivedBuffer;
import io.judo.vm.Buffer;
import java.util.List;

/**
 * The buffers of one DNS message for the VM's buffer table. Each DNS buffer is a multi-buffer (Suricata's word): a
 * list of names, of which one element is current ({@link #element}); the DNS hook runs a rule once per element
 * until it matches. {@code dns.query} is the questions of a request (a response has none: Suricata inspects it on
 * requests), {@code dns.queries.rrname} the questions of either, the three record lists the owner names of their
 * section. A derived buffer (with transforms) is computed from the current element when selected. Reused for every
 * message: allocates only when a transformed name outgrows its scratch array.
 */
final class DnsBuffers extends ElementBuffers {
    /** The lists, as {@link #listOf} numbers them. */
    static final int QUERY = 0;
    static final int QUERIES = 1;
    static final int ANSWERS = 2;
    static final int AUTHORITIES = 3;
    static final int ADDITIONALS = 4;
    static final int LISTS = 5;

    /** Per section (answer, authority, additional), the message's record indexes in it. */
    private final int[][] records = new int[3][DnsMessage.MAX_RECORDS];
    private final int[] counts = new int[LISTS];
    /** {@link Buffer#DNS_OPCODE}'s one byte for the message being inspected. */
    private final byte[] opcode = new byte[1];
    private DnsMessage message;

    /** @param derived the rule set's derived buffers (those over a DNS buffer are computed here) */
    DnsBuffers(List<DerivedBuffer> derived) {
        super(derived);
    }

    /** The list a buffer row is, or -1 when it is no DNS buffer. */
    static int listOf(Buffer b) {
        return switch (b) {
            case DNS_QUERY -> QUERY;
            case DNS_QUERIES_RRNAME -> QUERIES;
            case DNS_ANSWERS_RRNAME -> ANSWERS;
            case DNS_AUTHORITIES_RRNAME -> AUTHORITIES;
            case DNS_ADDITIONALS_RRNAME -> ADDITIONALS;
            default -> -1;
        };
    }

    /** The list buffer id {@code id} (a row or a derived buffer) reads, or -1. */
    int listOfId(int id) {
        Buffer b = baseOf(id);
        return b == null ? -1 : listOf(b);
    }

    /** Starts the inspection of {@code m}: its lists' sizes, element 0 current. */
    void inspect(DnsMessage m) {
        this.message = m;
        this.element = 0;
        counts[QUERY] = m.direction() == 0 ? m.questionCount() : 0;
        counts[QUERIES] = m.questionCount();
        counts[ANSWERS] = 0;
        counts[AUTHORITIES] = 0;
        counts[ADDITIONALS] = 0;
        for (int i = 0; i < m.recordCount(); i++) {
            int list = ANSWERS + m.recordSection(i) - DnsMessage.ANSWER;
            records[list - ANSWERS][counts[list]++] = i;
        }
    }

    /** Elements in list {@code list} of the message being inspected. */
    int count(int list) {
        return counts[list];
    }

    @Override
    boolean row(Buffer b, Slice out) {
        if (b == Buffer.DNS_OPCODE) {
            if (message == null || !message.hasHeader()) {
                return false;
            }
            opcode[0] = (byte) message.opcode();
            out.set(opcode, 0, 1);
            return true;
        }
        return name(listOf(b), out);
    }

    private boolean name(int list, Slice out) {
        if (message == null || list < 0 || element >= counts[list]) {
            return false;
        }
        if (list == QUERY || list == QUERIES) {
            message.questionName(element, out);
        } else {
            message.recordName(records[list - ANSWERS][element], out);
        }
        return true;
    }
}
