package io.judo.packet.build;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds one DNS message (RFC 1035) with name compression: every name, in a question or a record's owner or data, is
 * written as its labels up to the longest suffix already in the message, then a pointer to that suffix, as servers
 * do. Sections are filled in order (questions, answers, authority, additional) and their counts written at the end.
 */
public final class DnsMessage {
    /** Record types the generator writes. */
    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int MX = 15;
    public static final int TXT = 16;
    public static final int AAAA = 28;
    public static final int OPT = 41;

    private static final int MAX_POINTER = 0x3fff;

    private final WireBuffer w = new WireBuffer(512);
    private final Map<String, Integer> suffixes = new HashMap<>();
    private final int[] counts = new int[4];
    private int section;

    /** A message with this id and flags word (QR, opcode, AA, TC, RD, RA, RCODE). */
    public DnsMessage(int id, int flags) {
        w.u16(id).u16(flags).u16(0).u16(0).u16(0).u16(0);
    }

    /** Adds a question (class IN). */
    public DnsMessage question(String name, int type) {
        if (section != 0) {
            throw new IllegalStateException("questions come first");
        }
        name(name);
        w.u16(type).u16(1);
        counts[0]++;
        return this;
    }

    /** Later records go to the answer section (the default after questions). */
    public DnsMessage answers() {
        return section(1);
    }

    /** Later records go to the authority section. */
    public DnsMessage authority() {
        return section(2);
    }

    /** Later records go to the additional section. */
    public DnsMessage additional() {
        return section(3);
    }

    private DnsMessage section(int s) {
        if (s < section) {
            throw new IllegalStateException("sections go in order");
        }
        section = s;
        return this;
    }

    /** Starts a record of class IN; returns the mark of its RDLENGTH. */
    private int record(String owner, int type, long ttl) {
        return record(owner, type, 1, ttl);
    }

    private int record(String owner, int type, int rrClass, long ttl) {
        if (section == 0) {
            section = 1;
        }
        name(owner);
        w.u16(type).u16(rrClass).u32(ttl);
        counts[section]++;
        return w.begin(2);
    }

    /** An EDNS(0) OPT pseudo-record (RFC 6891) offering {@code udpPayloadSize}, no options; goes in additional. */
    public DnsMessage opt(int udpPayloadSize) {
        additional();
        w.end(record("", OPT, udpPayloadSize, 0));
        return this;
    }

    /** An A record; {@code address} is 4 bytes. */
    public DnsMessage a(String owner, long ttl, byte[] address) {
        w.end(bytesRecord(owner, A, ttl, address));
        return this;
    }

    /** An AAAA record; {@code address} is 16 bytes. */
    public DnsMessage aaaa(String owner, long ttl, byte[] address) {
        w.end(bytesRecord(owner, AAAA, ttl, address));
        return this;
    }

    private int bytesRecord(String owner, int type, long ttl, byte[] data) {
        int mark = record(owner, type, ttl);
        w.bytes(data);
        return mark;
    }

    /** A CNAME record pointing at {@code target}. */
    public DnsMessage cname(String owner, long ttl, String target) {
        int mark = record(owner, CNAME, ttl);
        name(target);
        w.end(mark);
        return this;
    }

    /** An NS record. */
    public DnsMessage ns(String owner, long ttl, String server) {
        int mark = record(owner, NS, ttl);
        name(server);
        w.end(mark);
        return this;
    }

    /** An MX record. */
    public DnsMessage mx(String owner, long ttl, int preference, String exchange) {
        int mark = record(owner, MX, ttl);
        w.u16(preference);
        name(exchange);
        w.end(mark);
        return this;
    }

    /** A TXT record of one or more character strings (each at most 255 bytes). */
    public DnsMessage txt(String owner, long ttl, String... strings) {
        int mark = record(owner, TXT, ttl);
        for (String s : strings) {
            int len = w.begin(1);
            w.ascii(s);
            w.end(len);
        }
        w.end(mark);
        return this;
    }

    /** An SOA record (as an NXDOMAIN answer's authority carries it). */
    public DnsMessage soa(String owner, long ttl, String primary, String mailbox, long serial, long minimum) {
        int mark = record(owner, SOA, ttl);
        name(primary);
        name(mailbox);
        w.u32(serial).u32(7200).u32(3600).u32(1_209_600).u32(minimum);
        w.end(mark);
        return this;
    }

    /**
     * Writes {@code name} (dotted, no trailing dot; empty for the root): labels until a suffix already written, then a
     * pointer to it. Each new suffix is remembered at its offset, if a pointer can reach it.
     */
    private void name(String name) {
        String rest = name.toLowerCase(Locale.ROOT);
        while (!rest.isEmpty()) {
            Integer at = suffixes.get(rest);
            if (at != null) {
                w.u16(0xc000 | at);
                return;
            }
            if (w.size() <= MAX_POINTER) {
                suffixes.put(rest, w.size());
            }
            int dot = rest.indexOf('.');
            String label = dot < 0 ? rest : rest.substring(0, dot);
            int len = w.begin(1);
            w.ascii(label);
            w.end(len);
            rest = dot < 0 ? "" : rest.substring(dot + 1);
        }
        w.u8(0);
    }

    /** The message's bytes, section counts filled in. */
    public byte[] build() {
        for (int i = 0; i < 4; i++) {
            w.putU16(4 + 2 * i, counts[i]);
        }
        return w.toByteArray();
    }
}
