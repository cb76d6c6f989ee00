package io.judo.cli;

import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;

/**
 * Says what a file is when it is not what a command expected, so the message can name it ("a pcap capture", "binary
 * data") instead of echoing its bytes to the terminal.
 */
final class FileKind {
    private FileKind() {
    }

    /** How much of a file is looked at to decide whether it is text. */
    private static final int SAMPLE = 64 * 1024;

    /** What the bytes are when they are not text ("a pcap capture", "a gzip archive", ...), or null for text. */
    static String binary(byte[] bytes) {
        String capture = capture(bytes);
        if (capture != null) {
            return capture;
        }
        if (isText(bytes)) {
            return null;
        }
        if (starts(bytes, 0x1f, 0x8b)) {
            return "a gzip archive";
        }
        if (starts(bytes, 'P', 'K', 3, 4)) {
            return "a zip or jar archive";
        }
        if (starts(bytes, 0x7f, 'E', 'L', 'F')) {
            return "an ELF executable";
        }
        if (starts(bytes, 0xca, 0xfe, 0xba, 0xbe)) {
            return "a Java class file";
        }
        if (starts(bytes, '%', 'P', 'D', 'F')) {
            return "a PDF document";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            hex.append(String.format("%02x", bytes[i] & 0xff));
        }
        return "binary data (starts with 0x" + hex + ")";
    }

    /**
     * True when the first {@value #SAMPLE} bytes hold no control characters other than tab, newline, carriage return
     * and form feed. Bytes above 0x7f are allowed: the assembler and the rule readers take Latin-1 as well as UTF-8,
     * and binary data is given away by its control bytes (NULs above all) long before the sample ends.
     */
    static boolean isText(byte[] bytes) {
        int n = Math.min(bytes.length, SAMPLE);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' || b == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** "a pcap capture" or "a pcapng capture" when the capture readers accept the file's header, else null. */
    private static String capture(byte[] bytes) {
        try (CaptureReader r = Captures.open(bytes)) {
            return "a " + r.format() + " capture";
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean starts(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
