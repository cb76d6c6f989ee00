package io.judo.vm.opt;

import io.judo.vm.Program;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the passes in order, repeatedly, until none changes anything or {@link #MAX_ROUNDS} rounds have run. Each pass
 * sees the program as the previous one left it (renumbered), so passes stay simple.
 */
public final class Optimizer {
    public static final int MAX_ROUNDS = 10;

    /** Known-value threading first: it needs the compilers' jumps, which jump-to-next would turn into fall-through. */
    private static final List<Pass> PASSES = List.of(new ThreadKnownTests(), new ConstantFolding(), new ThreadJumps(),
            new JumpToNext(), new Unreachable(), new EqualitySets(), new MergeTails());

    /** What the optimizer did: the program and the passes that changed it, round by round. */
    public record Result(Program program, List<String> applied) {
    }

    private Optimizer() {
    }

    public static Program optimize(Program p) {
        return run(p).program();
    }

    public static Result run(Program p) {
        List<String> applied = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean any = false;
            for (Pass pass : PASSES) {
                Code c = new Code(p);
                if (pass.apply(c)) {
                    p = c.build();
                    applied.add(pass.name());
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        Code last = new Code(p); // the cap may stop mid-way: never leave unreachable code for the verifier
        if (new Unreachable().apply(last)) {
            p = last.build();
            applied.add("unreachable");
        }
        return new Result(Code.pruneAddedSets(p), applied);
    }
}
