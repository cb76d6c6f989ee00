package io.judo.vm.verify;

import io.judo.vm.Program;

/** A program that passed the {@link Verifier}; only these can be run. */
public final class VerifiedProgram {
    private final Program program;

    VerifiedProgram(Program program) {
        this.program = program;
    }

    public Program program() {
        return program;
    }
}
