package io.judo.packet.capture;

import java.io.IOException;

/** The input is not a capture Judo can read: wrong magic number, impossible file or section header. */
public final class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CaptureFormatException(String message) {
        super(message);
    }
}
