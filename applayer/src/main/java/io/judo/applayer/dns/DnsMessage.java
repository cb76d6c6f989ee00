package io.judo.applayer.dns;

import io.judo.applayer.Slice;

/**
 * One parsed DNS message, reused from message to message (a flyweight over the bytes it was parsed from, plus
 * scratch for the decoded names). The message bytes are the caller's and valid only while the message is being
 * handled; the names are copies and stay until the next {@link DnsParser#parse parse} into this object. Names are
 * as Suricata presents them: labels joined by dots, no trailing dot, case kept; the root name is empty.
 *
 * <p>At most {@link #MAX_QUESTIONS} questions and {@link #MAX_RECORDS} records are kept; later ones are still
 * checked, so {@link DnsEvent#MALFORMED_DATA} covers the whole message, but are not presented.
 */
public final class DnsMessage {
    /** Questions kept per message. */
    public static final int MAX_QUESTIONS = 64;
    /** Resource records (answer, authority, additional together) kept per message. */
    public static final int MAX_RECORDS = 256;

    /** Answer section, as {@link #recordSection(int)} returns it. */
    public static final int ANSWER = 1;
    /** Authority section. */
    public static final int AUTHORITY = 2;
    /** Additional section. */
    public static final int ADDITIONAL = 3;

    byte[] bytes;
    int base;
    int length;
    int direction;
    boolean header;
    int id;
    int flags;
    final int[] counts = new int[4];
    long events;

    int questions;
    final int[] qName = new int[MAX_QUESTIONS * 2];
    final int[] qType = new int[MAX_QUESTIONS];
    final int[] qClass = new int[MAX_QUESTIONS];

    int records;
    final int[] rSection = new int[MAX_RECORDS];
    final int[] rName = new int[MAX_RECORDS * 2];
    final int[] rType = new int[MAX_RECORDS];
    final int[] rClass = new int[MAX_RECORDS];
    final long[] rTtl = new long[MAX_RECORDS];
    final int[] rData = new int[MAX_RECORDS * 2];

    /** Decoded names, one after another; grows to the largest message's need and is kept. */
    byte[] names = new byte[512];
    int namesLength;

    void reset(byte[] b, int off, int len, int dir) {
        bytes = b;
        base = off;
        length = len;
        direction = dir;
        header = false;
        id = 0;
        flags = 0;
        counts[0] = counts[1] = counts[2] = counts[3] = 0;
        events = 0;
        questions = 0;
        records = 0;
        namesLength = 0;
    }

    void event(DnsEvent e) {
        events |= e.bit();
    }

    /** Whether the 12-byte header was there: without it the message is only its {@link DnsEvent#MALFORMED_DATA}. */
    public boolean hasHeader() {
        return header;
    }

    /** The direction it was parsed for: 0 towards the server (a request), 1 towards the client. */
    public int direction() {
        return direction;
    }

    /** The transaction id. */
    public int id() {
        return id;
    }

    /** The 16 flag bits (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
    public int flags() {
        return flags;
    }

    /** Whether the QR bit is set (the message is a response). */
    public boolean isResponse() {
        return (flags & 0x8000) != 0;
    }

    /** The opcode (0 query, 4 notify, 5 update ...). */
    public int opcode() {
        return (flags >>> 11) & 0xF;
    }

    /** The response code of the header (4 bits). */
    public int rcode() {
        return flags & 0xF;
    }

    /** The header's count for section 0 (questions) to 3 (additional), as written, whatever was parsed. */
    public int headerCount(int section) {
        return counts[section];
    }

    /** The events raised, as bits by {@link DnsEvent#ordinal()}. */
    public long events() {
        return events;
    }

    /** Whether {@code e} was raised. */
    public boolean has(DnsEvent e) {
        return (events & e.bit()) != 0;
    }

    /** Questions kept. */
    public int questionCount() {
        return questions;
    }

    /** Points {@code out} at question {@code i}'s name; valid until the next parse into this message. */
    public Slice questionName(int i, Slice out) {
        return out.set(names, qName[2 * i], qName[2 * i + 1]);
    }

    /** Question {@code i}'s type (1 A, 28 AAAA ...). */
    public int questionType(int i) {
        return qType[i];
    }

    /** Question {@code i}'s class. */
    public int questionClass(int i) {
        return qClass[i];
    }

    /** Resource records kept (all three sections, in message order). */
    public int recordCount() {
        return records;
    }

    /** Record {@code i}'s section: {@link #ANSWER}, {@link #AUTHORITY} or {@link #ADDITIONAL}. */
    public int recordSection(int i) {
        return rSection[i];
    }

    /** Points {@code out} at record {@code i}'s owner name. */
    public Slice recordName(int i, Slice out) {
        return out.set(names, rName[2 * i], rName[2 * i + 1]);
    }

    /** Record {@code i}'s type. */
    public int recordType(int i) {
        return rType[i];
    }

    /** Record {@code i}'s class. */
    public int recordClass(int i) {
        return rClass[i];
    }

    /** Record {@code i}'s TTL (unsigned 32 bits). */
    public long recordTtl(int i) {
        return rTtl[i];
    }

    /** Points {@code out} at record {@code i}'s RDATA in the message bytes (valid while the message is handled). */
    public Slice recordData(int i, Slice out) {
        return out.set(bytes, rData[2 * i], rData[2 * i + 1]);
    }

    /** The message's bytes, as parsed (valid while the message is handled). */
    public Slice raw(Slice out) {
        return out.set(bytes, base, length);
    }

    /**
     * Record {@code i}'s RDATA as EVE presents it: A and AAAA as addresses (AAAA in eight full groups, as Suricata
     * prints them), CNAME, NS, PTR, MX, DNAME as names, TXT as its strings one after another; null for other types.
     * For output, not the per-packet path (it allocates).
     */
    public String recordDataText(int i) {
        int off = rData[2 * i];
        int len = rData[2 * i + 1];
        switch (rType[i]) {
            case 1 -> {
                if (len != 4) {
                    return null;
                }
                return (bytes[off] & 0xff) + "." + (bytes[off + 1] & 0xff) + "." + (bytes[off + 2] & 0xff) + "."
                    + (bytes[off + 3] & 0xff);
            }
            case 28 -> {
                if (len != 16) {
                    return null;
                }
                StringBuilder sb = new StringBuilder(39);
                for (int k = 0; k < 16; k += 2) {
                    if (k > 0) {
                        sb.append(':');
                    }
                    hex(sb, bytes[off + k]);
                    hex(sb, bytes[off + k + 1]);
                }
                return sb.toString();
            }
            case 2, 5, 12, 39 -> {
                return nameText(off);
            }
            case 15 -> {
                return len < 3 ? null : nameText(off + 2);
            }
            case 16 -> {
                StringBuilder sb = new StringBuilder(len);
                int p = off;
                while (p < off + len) {
                    int n = bytes[p] & 0xff;
                    for (int k = p + 1; k <= p + n && k < off + len; k++) {
                        sb.append((char) (bytes[k] & 0xff));
                    }
                    p += 1 + n;
                }
                return sb.toString();
            }
            default -> {
                return null;
            }
        }
    }

    private static void hex(StringBuilder sb, byte b) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }

    /** A name inside RDATA, decoded with the same limits as the sections' names (allocates: output only). */
    private String nameText(int at) {
        int mark = namesLength;
        long ev = events;
        int end = DnsParser.name(bytes, base, base + length, at, this);
        String s = end < 0 ? null : new String(names, lastName, namesLength - lastName,
            java.nio.charset.StandardCharsets.ISO_8859_1);
        namesLength = mark;
        events = ev;
        return s;
    }

    int lastName;

    int appendName(int need) {
        if (namesLength + need > names.length) {
            names = java.util.Arrays.copyOf(names, Math.max(names.length * 2, namesLength + need));
        }
        return namesLength;
    }
}
