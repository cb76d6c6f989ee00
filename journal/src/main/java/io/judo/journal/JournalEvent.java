package io.judo.journal;

import java.util.Arrays;

/**
 * One journal record, mutable and reused: a writer fills one and appends it, a reader fills one per record. Byte
 * fields are copied into fixed arrays (bounded excerpts), so neither side allocates per event.
 *
 * <p>On disk a record is one Chronicle document in the layout {@code RecordCodec} describes: version 2 writes only
 * the fields that differ from their empty value, as varints; version 1 journals (fixed fields, 16-byte address slots)
 * are still read. Newer readers read older journals, and a reader skips fields a newer version added.
 */
public final class JournalEvent {
    /** Bytes of the fixed part in version 1. */
    static final int FIXED_V1 = 8 + 8 + 4 + 16 + 16 + 4 + 8 + 4 + 8 + 4 + 4 + 8 + 8 + 8;
    /** Longest before/after bytes kept for a rewrite. */
    public static final int MAX_EDIT = 64;
    /** Longest payload excerpt kept. */
    public static final int MAX_EXCERPT = 256;
    /** Longest text kept (a rule's message, an anomaly's name). */
    public static final int MAX_TEXT = 512;
    /** Longest rule category kept (a classification's description). */
    public static final int MAX_CATEGORY = 128;
    /** Longest HTTP object kept (an alert in an HTTP transaction: EVE's {@code http} object as JSON text). */
    public static final int MAX_HTTP = 2048;

    public EventType type = EventType.ALERT;
    public long timeNanos;
    public long flowId;
    /** 4 or 6; 0 when the record has no packet (a RULE record). */
    public int family;
    public int protocol;
    /** 0 client to server, 1 server to client. */
    public int direction;
    /** Addresses, the first 4 bytes used for IPv4. */
    public final byte[] src = new byte[16];
    public final byte[] dst = new byte[16];
    public int srcPort;
    public int dstPort;
    /** Stream offset of the match, or -1 for a packet match. */
    public long streamOffset = -1;
    public int gid;
    public long sid;
    public int rev;
    public int patternId = -1;
    public long matchStart = -1;
    public long matchEnd = -1;
    /** Length change of a rewrite (after - before), 0 otherwise. */
    public long delta;
    public final byte[] before = new byte[MAX_EDIT];
    public int beforeLength;
    public final byte[] after = new byte[MAX_EDIT];
    public int afterLength;
    public final byte[] excerpt = new byte[MAX_EXCERPT];
    public int excerptLength;
    public final byte[] text = new byte[MAX_TEXT];
    public int textLength;
    /**
     * A RULE record's category (its classtype's description, as EVE's {@code alert.category}), Latin-1; empty when
     * the rule has none or the journal predates it.
     */
    public final byte[] category = new byte[MAX_CATEGORY];
    public int categoryLength;
    /** A RULE record's severity (the rule's priority, EVE's {@code alert.severity}); 0 when unknown. */
    public int severity;
    /**
     * An alert in an HTTP transaction: EVE's {@code http} object ({@code {"hostname":...,"url":...}}) as UTF-8 JSON
     * text, written whole by the writer (which shortens values to fit); empty otherwise.
     */
    public final byte[] http = new byte[MAX_HTTP];
    public int httpLength;

    /** Resets every field to its empty value. */
    public JournalEvent clear() {
        type = EventType.ALERT;
        timeNanos = 0;
        flowId = 0;
        family = 0;
        protocol = 0;
        direction = 0;
        Arrays.fill(src, (byte) 0);
        Arrays.fill(dst, (byte) 0);
        srcPort = 0;
        dstPort = 0;
        streamOffset = -1;
        gid = 0;
        sid = 0;
        rev = 0;
        patternId = -1;
        matchStart = -1;
        matchEnd = -1;
        delta = 0;
        beforeLength = 0;
        afterLength = 0;
        excerptLength = 0;
        textLength = 0;
        categoryLength = 0;
        severity = 0;
        httpLength = 0;
        return this;
    }

    /** Sets the addresses (4 or 16 bytes each) and the family they imply. */
    public JournalEvent addresses(byte[] source, byte[] destination) {
        family = source.length == 4 ? 4 : 6;
        Arrays.fill(src, (byte) 0);
        Arrays.fill(dst, (byte) 0);
        System.arraycopy(source, 0, src, 0, Math.min(16, source.length));
        System.arraycopy(destination, 0, dst, 0, Math.min(16, destination.length));
        return this;
    }

    /** Copies at most {@link #MAX_EXCERPT} bytes of {@code b[from, from+length)} as the excerpt. */
    public JournalEvent excerpt(byte[] b, int from, int length) {
        excerptLength = Math.min(length, MAX_EXCERPT);
        System.arraycopy(b, from, excerpt, 0, excerptLength);
        return this;
    }

    /** Sets the text (Latin-1, at most {@link #MAX_TEXT} bytes). */
    public JournalEvent text(String s) {
        textLength = Math.min(s.length(), MAX_TEXT);
        for (int i = 0; i < textLength; i++) {
            text[i] = (byte) s.charAt(i);
        }
        return this;
    }

    public String text() {
        return new String(text, 0, textLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Sets the category (Latin-1, at most {@link #MAX_CATEGORY} bytes). */
    public JournalEvent category(String s) {
        categoryLength = Math.min(s.length(), MAX_CATEGORY);
        for (int i = 0; i < categoryLength; i++) {
            category[i] = (byte) s.charAt(i);
        }
        return this;
    }

    public String category() {
        return new String(category, 0, categoryLength, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Sets the HTTP object's JSON text; false (and nothing set) when its UTF-8 bytes exceed {@link #MAX_HTTP}. */
    public boolean http(String json) {
        byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length > MAX_HTTP) {
            return false;
        }
        System.arraycopy(b, 0, http, 0, b.length);
        httpLength = b.length;
        return true;
    }

    /** The HTTP object's JSON text, or null when the record has none. */
    public String http() {
        return httpLength == 0 ? null : new String(http, 0, httpLength, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Copies every field of {@code o}. */
    public JournalEvent set(JournalEvent o) {
        type = o.type;
        timeNanos = o.timeNanos;
        flowId = o.flowId;
        family = o.family;
        protocol = o.protocol;
        direction = o.direction;
        System.arraycopy(o.src, 0, src, 0, 16);
        System.arraycopy(o.dst, 0, dst, 0, 16);
        srcPort = o.srcPort;
        dstPort = o.dstPort;
        streamOffset = o.streamOffset;
        gid = o.gid;
        sid = o.sid;
        rev = o.rev;
        patternId = o.patternId;
        matchStart = o.matchStart;
        matchEnd = o.matchEnd;
        delta = o.delta;
        beforeLength = o.beforeLength;
        System.arraycopy(o.before, 0, before, 0, beforeLength);
        afterLength = o.afterLength;
        System.arraycopy(o.after, 0, after, 0, afterLength);
        excerptLength = o.excerptLength;
        System.arraycopy(o.excerpt, 0, excerpt, 0, excerptLength);
        textLength = o.textLength;
        System.arraycopy(o.text, 0, text, 0, textLength);
        categoryLength = o.categoryLength;
        System.arraycopy(o.category, 0, category, 0, categoryLength);
        severity = o.severity;
        httpLength = o.httpLength;
        System.arraycopy(o.http, 0, http, 0, httpLength);
        return this;
    }

    /** Field-by-field equality (tests). */
    public boolean sameAs(JournalEvent o) {
        return type == o.type && timeNanos == o.timeNanos && flowId == o.flowId && family == o.family
                && protocol == o.protocol && direction == o.direction && Arrays.equals(src, o.src)
                && Arrays.equals(dst, o.dst) && srcPort == o.srcPort && dstPort == o.dstPort
                && streamOffset == o.streamOffset && gid == o.gid && sid == o.sid && rev == o.rev
                && patternId == o.patternId && matchStart == o.matchStart && matchEnd == o.matchEnd
                && delta == o.delta && Arrays.equals(before, 0, beforeLength, o.before, 0, o.beforeLength)
                && Arrays.equals(after, 0, afterLength, o.after, 0, o.afterLength)
                && Arrays.equals(excerpt, 0, excerptLength, o.excerpt, 0, o.excerptLength)
                && Arrays.equals(text, 0, textLength, o.text, 0, o.textLength)
                && Arrays.equals(category, 0, categoryLength, o.category, 0, o.categoryLength)
                && severity == o.severity && Arrays.equals(http, 0, httpLength, o.http, 0, o.httpLength);
    }
}
