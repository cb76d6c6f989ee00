package io.judo.applayer.dns;

/**
 * Parses one DNS message into a {@link DnsMessage}. Stateless: a message in, the same object out, nothing allocated
 * (the message's scratch grows to the largest message's names once and is kept). Never throws on traffic: a short
 * header, a count or length running past the end, a reserved label type are {@link DnsEvent#MALFORMED_DATA}; what
 * was read before the fault stays presented (Suricata drops the whole message; keeping the questions lets a
 * {@code dns.query} rule see a query whose answers are cut, which is what an evasion would cut).
 *
 * <p>Names: labels of at most 63 bytes joined by dots, compression pointers followed anywhere inside the message up
 * to {@link #MAX_POINTERS} jumps (more is a loop: {@link DnsEvent#INFINITE_LOOP}, the name so far is kept), at most
 * {@link #MAX_LABELS} labels ({@link DnsEvent#TOO_MANY_LABELS}) and {@link #MAX_NAME} presented bytes
 * ({@link DnsEvent#NAME_TOO_LONG}: the name is cut there, the walk goes on to find where the record continues).
 */
public final class DnsParser {
    /** Compression pointers followed in one name before it counts as a loop. */
    public static final int MAX_POINTERS = 64;
    /** Labels in one name (a 255-byte wire name has at most 127). */
    public static final int MAX_LABELS = 128;
    /** Bytes of a presented name (dots included). */
    public static final int MAX_NAME = 255;
    /** The DNS header's size. */
    public static final int HEADER = 12;

    private DnsParser() {
    }

    /**
     * Parses {@code b[off, off + len)} as one DNS message travelling in direction {@code dir}.
     *
     * @param dir 0 towards the server (a request is expected: a set QR bit is {@link DnsEvent#NOT_REQUEST}), 1
     *     towards the client ({@link DnsEvent#NOT_RESPONSE} when QR is clear)
     * @param m the message to fill (reset first)
     * @return whether the header was there (else the message is only its malformed event)
     */
    public static boolean parse(byte[] b, int off, int len, int dir, DnsMessage m) {
        m.reset(b, off, len, dir);
        if (len < HEADER) {
            m.event(DnsEvent.MALFORMED_DATA);
            return false;
        }
        m.header = true;
        m.id = u16(b, off);
        m.flags = u16(b, off + 2);
        for (int s = 0; s < 4; s++) {
            m.counts[s] = u16(b, off + 4 + 2 * s);
        }
        boolean qr = (m.flags & 0x8000) != 0;
        if (dir == 0 && qr) {
            m.event(DnsEvent.NOT_REQUEST);
        } else if (dir != 0 && !qr) {
            m.event(DnsEvent.NOT_RESPONSE);
        }
        if ((m.flags & 0x0040) != 0) {
            m.event(DnsEvent.Z_FLAG_SET);
        }
        if (m.opcode() > 6) {
            m.event(DnsEvent.INVALID_OPCODE);
        }
        int end = off + len;
        int p = off + HEADER;
        for (int i = 0; i < m.counts[0]; i++) {
            int q = name(b, off, end, p, m);
            if (q < 0 || q + 4 > end) {
                m.event(DnsEvent.MALFORMED_DATA);
                return true;
            }
            if (m.questions < DnsMessage.MAX_QUESTIONS) {
                int k = m.questions++;
                m.qName[2 * k] = m.lastName;
                m.qName[2 * k + 1] = m.namesLength - m.lastName;
                m.qType[k] = u16(b, q);
                m.qClass[k] = u16(b, q + 2);
            } else {
                m.namesLength = m.lastName; // not kept: give its bytes back
            }
            p = q + 4;
        }
        for (int s = 1; s < 4; s++) {
            for (int i = 0; i < m.counts[s]; i++) {
                int q = name(b, off, end, p, m);
                if (q < 0 || q + 10 > end) {
                    m.event(DnsEvent.MALFORMED_DATA);
                    return true;
                }
                int rdlen = u16(b, q + 8);
                if (q + 10 + rdlen > end) {
                    m.namesLength = m.lastName;
                    m.event(DnsEvent.MALFORMED_DATA);
                    return true;
                }
                if (m.records < DnsMessage.MAX_RECORDS) {
                    int k = m.records++;
                    m.rSection[k] = s;
                    m.rName[2 * k] = m.lastName;
                    m.rName[2 * k + 1] = m.namesLength - m.lastName;
                    m.rType[k] = u16(b, q);
                    m.rClass[k] = u16(b, q + 2);
                    m.rTtl[k] = ((long) u16(b, q + 4) << 16) | u16(b, q + 6);
                    m.rData[2 * k] = q + 10;
                    m.rData[2 * k + 1] = rdlen;
                } else {
                    m.namesLength = m.lastName;
                }
                p = q + 10 + rdlen;
            }
        }
        return true;
    }

    /**
     * Decodes the name at {@code pos} into {@code m}'s name scratch ({@code m.lastName} is where it starts).
     *
     * @param base the message's first byte (pointers are offsets from it)
     * @param end one past the message's last byte
     * @return the position after the name where it was written (after its first pointer, if any), or -1 when
     *     malformed (a label or pointer past the end, a reserved label type)
     */
    static int name(byte[] b, int base, int end, int pos, DnsMessage m) {
        int start = m.appendName(MAX_NAME);
        m.lastName = start;
        byte[] out = m.names;
        int n = 0;
        int p = pos;
        int after = -1;
        int jumps = 0;
        int labels = 0;
        boolean cut = false;
        while (true) {
            if (p >= end) {
                return malformed(m, start);
            }
            int c = b[p] & 0xff;
            if (c == 0) {
                if (after < 0) {
                    after = p + 1;
                }
                break;
            }
            int kind = c & 0xC0;
            if (kind == 0xC0) {
                if (p + 1 >= end) {
                    return malformed(m, start);
                }
                if (after < 0) {
                    after = p + 2;
                }
                if (++jumps > MAX_POINTERS) {
                    m.event(DnsEvent.INFINITE_LOOP);
                    break;
                }
                int target = base + (((c & 0x3F) << 8) | (b[p + 1] & 0xff));
                if (target >= end) {
                    return malformed(m, start);
                }
                p = target;
                continue;
            }
            if (kind != 0) {
                return malformed(m, start); // 0x40 (extended) and 0x80 label types: reserved, RFC 6891 retired
            }
            if (p + 1 + c > end) {
                return malformed(m, start);
            }
            if (++labels > MAX_LABELS) {
                m.event(DnsEvent.TOO_MANY_LABELS);
                if (after < 0) {
                    after = skipInline(b, end, p);
                    if (after < 0) {
                        return malformed(m, start);
                    }
                }
                break;
            }
            if (!cut) {
                int need = (n > 0 ? 1 : 0) + c;
                if (n + need > MAX_NAME) {
                    cut = true;
                    m.event(DnsEvent.NAME_TOO_LONG);
                } else {
                    if (n > 0) {
                        out[start + n++] = '.';
                    }
                    System.arraycopy(b, p + 1, out, start + n, c);
                    n += c;
                }
            }
            p += 1 + c;
        }
        m.namesLength = start + n;
        return after;
    }

    /**
     * Where an in-line name continuing at {@code p} ends, without presenting it: labels are stepped over and the
     * first pointer or the root ends it. Linear in the bytes stepped over, so a name cut short costs no more than
     * reading it.
     */
    private static int skipInline(byte[] b, int end, int p) {
        while (p < end) {
            int c = b[p] & 0xff;
            if (c == 0) {
                return p + 1;
            }
            if ((c & 0xC0) == 0xC0) {
                return p + 2 <= end ? p + 2 : -1;
            }
            if ((c & 0xC0) != 0) {
                return -1;
            }
            p += 1 + c;
        }
        return -1;
    }

    private static int malformed(DnsMessage m, int start) {
        m.namesLength = start;
        return -1;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
