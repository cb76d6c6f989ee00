package io.judo.applayer.smtp;

import io.judo.applayer.ByteBuilder;
import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;

/**
 * One file of a mail: a MIME part's decoded body (a part with a filename, or every leaf part when
 * {@link SmtpConfig#allPartsAreFiles()}), with its name, size and the part's headers, for {@code file.data},
 * {@code file.name} and EVE {@code fileinfo}. Owned by its transaction and reused with it.
 */
public final class SmtpFile {
    final ByteBuilder name = new ByteBuilder();
    final ByteBuilder data = new ByteBuilder();
    MimeHeaders headers = new MimeHeaders();
    long size;
    int index;
    boolean limited;
    boolean gap;
    boolean done;

    void reset(int index) {
        this.index = index;
        name.clear();
        data.clear();
        headers.clear();
        size = 0;
        limited = false;
        gap = false;
        done = false;
    }

    void append(byte[] b, int off, int len, int limit) {
        size += len;
        int keep = Math.min(len, limit - data.len);
        if (keep > 0) {
            data.add(b, off, keep);
        }
        if (keep < len) {
            limited = true;
        }
    }

    /** @return the file's position in its transaction ({@link SmtpBuffer#FILE_DATA} index) */
    public int index() {
        return index;
    }

    /** @param out filled with the filename as received (quotes removed; empty when the part has none) @return out */
    public Slice name(Slice out) {
        return out.set(name.a, 0, name.len);
    }

    /** @return the filename as ISO-8859-1 text (for output) */
    public String name() {
        return new String(name.a, 0, name.len, StandardCharsets.ISO_8859_1);
    }

    /** @param out filled with the decoded bytes kept (up to the content limit) @return out */
    public Slice data(Slice out) {
        return out.set(data.a, 0, data.len);
    }

    /** @return every decoded byte counted, kept or not (EVE fileinfo size) */
    public long size() {
        return size;
    }

    /** @return the part's headers (for a non-MIME body: the message's) */
    public MimeHeaders headers() {
        return headers;
    }

    /** @return whether bytes were lost: past the content limit, a gap, or the mail ended before the part did */
    public boolean truncated() {
        return limited || gap;
    }

    /** @return whether the stream had a gap while the file was being read (EVE fileinfo gaps) */
    public boolean gap() {
        return gap;
    }

    /** @return whether the part's end was seen (its boundary, or the end of the message) */
    public boolean done() {
        return done;
    }
}
