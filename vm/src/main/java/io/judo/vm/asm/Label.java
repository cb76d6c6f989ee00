package io.judo.vm.asm;

/** A jump target inside a {@link ProgramBuilder}; bound to an instruction index once. */
public final class Label {
    final String name;
    int pc = -1;
    /** Some instruction jumps here (so {@link ProgramBuilder#referenced} needs no search). */
    boolean referenced;

    Label(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public boolean bound() {
        return pc >= 0;
    }
}
