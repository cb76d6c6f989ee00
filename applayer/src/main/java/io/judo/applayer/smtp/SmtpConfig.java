package io.judo.applayer.smtp;

/**
 * The SMTP parser's limits and switches, immutable; start from {@link #defaults()}.
 *
 * @param lineBuffer bytes of one command or reply line kept (Suricata's SMTP_LINE_BUFFER_LIMIT, 4096); the rest of a
 *     longer line is dropped with {@link SmtpEvent#TRUNCATED_LINE}
 * @param messageLine bytes of one message line handed to the MIME parser at once; a longer line is handed on in
 *     pieces of this size (its decoded content is kept whole)
 * @param contentLimit decoded bytes of each file kept for {@code file.data} (Suricata's content-limit, 100000); the
 *     file's size still counts every byte
 * @param headerValueLimit bytes of one MIME header value kept (Suricata's header-value-depth, 2000)
 * @param maxHeaders headers kept per message or part; more are parsed, not kept
 * @param maxRecipients RCPT TO arguments kept per transaction; more are counted, not kept
 * @param maxFiles files kept per transaction; later attachments are decoded for events but not kept
 * @param maxFilename bytes of a filename kept ({@link SmtpEvent#MIME_LONG_FILENAME} beyond)
 * @param maxMimeDepth nested multiparts followed; a deeper multipart is read as a plain part
 *     ({@link SmtpEvent#MIME_PARSE_FAILED})
 * @param holdLimit bytes one direction may wait for the other (client bytes after DATA or STARTTLS until the reply,
 *     server replies until the command they answer); past it the parser guesses (DATA and STARTTLS accepted,
 *     replies unmatched)
 * @param allPartsAreFiles false for Suricata's file extraction (a part is a file when it has a filename, from
 *     Content-Disposition filename= or Content-Type name=); true makes every leaf part, and the body of a non-MIME
 *     message, a file
 * @param decodeBase64 whether base64 parts are decoded (else kept as received)
 * @param decodeQuotedPrintable whether quoted-printable parts are decoded
 */
public record SmtpConfig(int lineBuffer, int messageLine, int contentLimit, int headerValueLimit, int maxHeaders,
        int maxRecipients, int maxFiles, int maxFilename, int maxMimeDepth, int holdLimit, boolean allPartsAreFiles,
        boolean decodeBase64, boolean decodeQuotedPrintable) {
    /** @return Suricata's defaults where it has them; 64 headers, 256 recipients, 64 files, 8 levels, 64 KiB held */
    public static SmtpConfig defaults() {
        return new SmtpConfig(4096, 4096, 100_000, 2000, 64, 256, 64, 1024, 8, 64 * 1024, false, true, true);
    }

    /** @param limit decoded bytes kept per file @return a copy with that content limit */
    public SmtpConfig withContentLimit(int limit) {
        return new SmtpConfig(lineBuffer, messageLine, limit, headerValueLimit, maxHeaders, maxRecipients, maxFiles,
            maxFilename, maxMimeDepth, holdLimit, allPartsAreFiles, decodeBase64, decodeQuotedPrintable);
    }

    /** @param all whether every leaf part is a file @return a copy with that switch */
    public SmtpConfig withAllPartsAreFiles(boolean all) {
        return new SmtpConfig(lineBuffer, messageLine, contentLimit, headerValueLimit, maxHeaders, maxRecipients,
            maxFiles, maxFilename, maxMimeDepth, holdLimit, all, decodeBase64, decodeQuotedPrintable);
    }

    /** @param line command/reply line buffer @param message message line piece @return a copy with those limits */
    public SmtpConfig withLineLimits(int line, int message) {
        return new SmtpConfig(line, message, contentLimit, headerValueLimit, maxHeaders, maxRecipients, maxFiles,
            maxFilename, maxMimeDepth, holdLimit, allPartsAreFiles, decodeBase64, decodeQuotedPrintable);
    }
}
