package io.judo.engine.output;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * An output could not be written (a full disk, a closed pipe, a journal directory that is not one): the message names
 * the output and the reason, for the user, without a trace. What was written before stays written.
 */
public final class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
        super(message);
    }

    /** {@code what: reason}. */
    public OutputException(String what, IOException cause) {
        super(what + ": " + describe(cause), cause);
    }

    /** The reason an I/O error gives, in the user's words. */
    public static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }
}
