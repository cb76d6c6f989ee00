package io.judo.vm.opt;

import io.judo.vm.Program;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the passes in order, repeatedly, until none changes anything or {@link #MAX_ROUNDS} rounds have run. Each pass
 * sees the program as the previous one left it (renumbered), so passes stay simple.
 *
 * <p>Programs with loops are not optimized: every pass (and {@link Code}, {@link Liveness}) assumes forward-only code,
 * so a program containing {@code jloop} comes back unchanged, with nothing applied. Compilers optimize the loop-free
 * part before adding chain code.
 */
public final class Optimizer {
    public static final int MAX_ROUNDS = 10;

    /** Known-value threading first: it needs the compilers' jumps, which jump-to-next would turn into fall-through. */
    private static List<Pass> passes(boolean wholeRuns) {
        return List.of(new ThreadKnownTests(wholeRuns), new ConstantFolding(), new ThreadJumps(), new JumpToNext(),
                new Unreachable(wholeRuns), new EqualitySets(), new MergeTails(), new DeadStores(wholeRuns),
                new UselessTests(wholeRuns));
    }

    /** What the optimizer did: the program and the passes that changed it, round by round. */
    public record Result(Program program, List<String> applied) {
    }

    private Optimizer() {
    }

    /** Optimizes a program that may be run a rule region at a time. */
    public static Program optimize(Program p) {
        return run(p).program();
    }

    /**
     * As {@link #optimize(Program)}; {@code wholeRuns}: the program is only ever run whole, so known tests may be
     * skipped across rule regions (pf's skip steps).
     */
    public static Program optimize(Program p, boolean wholeRuns) {
        return run(p, wholeRuns).program();
    }

    public static Result run(Program p) {
        return run(p, false);
    }

    public static Result run(Program p, boolean wholeRuns) {
        if (p.hasLoops()) {
            return new Result(p, List.of());
        }
        List<Pass> pipeline = passes(wholeRuns);
        List<String> applied = new ArrayList<>();
        Program dispatched = ValueDispatch.apply(p);
        if (dispatched != p) {
            p = dispatched;
            applied.add("value-dispatch");
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean any = false;
            for (Pass pass : pipeline) {
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
        if (new Unreachable(wholeRuns).apply(last)) {
            p = last.build();
            applied.add("unreachable");
        }
        return new Result(Code.pruneAddedSets(p), applied);
    }
}
