package io.judo.vm.opt;

/** Deletes jumps to the next live instruction: taken or not, control goes there (jumps have no side effects). */
final class JumpToNext implements Pass {
    @Override
    public String name() {
        return "jump-to-next";
    }

    @Override
    public boolean apply(Code c) {
        boolean changed = false;
        for (int pc = 0; pc < c.n; pc++) {
            if (!c.deleted[pc] && c.target[pc] >= 0 && c.live(c.target[pc]) == c.live(pc + 1)
                    && c.op[pc] != io.judo.vm.Opcode.JADDR) { // jaddr can fail, like a load: keep it
                c.deleted[pc] = true;
                changed = true;
            }
        }
        return changed;
    }
}
