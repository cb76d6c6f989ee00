package io.judo.cli;

/** A problem with what the user asked for; printed as one line, exit status 2. */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message);
    }
}
