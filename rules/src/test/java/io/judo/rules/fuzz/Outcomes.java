package io.judo.rules.fuzz;

import io.judo.rules.RuleError;
import io.judo.rules.SyntaxError;
import io.judo.vm.Program;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;

/** The checks the rule-language fuzz targets share: a documented error carries a usable location. */
final class Outcomes {
    private Outcomes() {
    }

    static void located(RuleError e) {
        if (e.line() < 1 || e.column() < 1 || e.getMessage() == null || e.getMessage().isBlank()) {
            throw new IllegalStateException("rule error without a location or message: " + e.display(), e);
        }
    }

    static void located(SyntaxError e, String text) {
        // the column may point one past the end ("unexpected end"), never further
        if (e.column() < 1 || e.column() > text.length() + 1 || e.getMessage() == null) {
            throw new IllegalStateException("syntax error at column " + e.column() + " of " + text.length(), e);
        }
    }

    /** A compiler's output that the verifier rejects is a compiler bug. */
    static void verifies(Program p, String what) {
        try {
            Verifier.verify(p);
        } catch (VerifyException e) {
            throw new IllegalStateException(what + " produced a program the verifier rejects: " + e.getMessage(), e);
        }
    }
}
