package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.confirm.BoundedRegex;
import io.judo.rules.ChainCompiler;
import io.judo.rules.ir.Inspect;
import io.judo.vm.Program;
import io.judo.vm.Verdict;
import io.judo.vm.interp.BufferOps;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.interp.ProgramRunner;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One inspection chain compiled with the stream semantics (one rule, index 0) and run over a stream cut into chunks,
 * each inspected in a window of the last {@code keep} bytes inspected before and the new ones, as the detector's
 * stream hook does; the {@code progress} and {@code searched} helpers are bound to a state of the harness's own. A
 * runner either remembers where the leading contents were searched ({@code searched} helpers bound) or does not
 * (they return 0 and record nothing: every window searched from its first byte).
 */
final class StreamChainHarness {
    private static final ByteBuffer NO_FRAME = ByteBuffer.allocate(0);

    /** One runner's flow-direction state and context. */
    private static final class Run {
        final PacketContext ctx = new PacketContext();
        final boolean remember;
        long reportedEnd;
        long searched;
        ProgramRunner runner;

        Run(boolean remember) {
            this.remember = remember;
        }

        HelperTable helpers(Program p, BoundedRegex[] regexes) {
            return BufferOps.bind(new HelperTable(), p).bind(Helpers.REGEX, new RegexHelper(regexes))
                    .bind(Helpers.PROGRESS, (c, r1, r2, r3, r4, r5) -> Math.max(0, reportedEnd - c.selectedBase()))
                    .bind(Helpers.PROGRESS_SET, (c, r1, r2, r3, r4, r5) -> {
                        reportedEnd = c.selectedBase() + Math.max(0, r2);
                        return 0;
                    })
                    .bind(Helpers.SEARCHED, (c, r1, r2, r3, r4, r5) -> remember
                            ? Math.max(0, searched - c.selectedBase()) : 0)
                    .bind(Helpers.SEARCHED_SET, (c, r1, r2, r3, r4, r5) -> {
                        if (remember) {
                            searched = c.selectedBase() + Math.max(0, r2);
                        }
                        return 0;
                    });
        }
    }

    private final Run remembering = new Run(true);
    private final Run rememberingJit = new Run(true);
    private final Run forgetting = new Run(false);

    StreamChainHarness(List<Inspect> chain) throws Exception {
        ChainCompiler.Strings strings = new ChainCompiler.Strings();
        Program p = ChainHarness.program(chain, true, strings);
        VerifiedProgram v = Verifier.verify(p);
        BoundedRegex[] regexes = strings.regexTable(p.strings().size());
        remembering.runner = new Interpreter(v, remembering.helpers(p, regexes));
        forgetting.runner = new Interpreter(v, forgetting.helpers(p, regexes));
        JitCompiler.Result r = JitCompiler.compile(v, rememberingJit.helpers(p, regexes));
        assertTrue(r.compiled(), () -> "the JIT fell back: " + r.fallbackReason());
        rememberingJit.runner = r.runner();
    }

    /**
     * Runs the stream, cut after each of {@code cuts} (increasing offsets inside it), with windows keeping
     * {@code keep} old bytes: per chunk, the stream offset where the reported match ended, or -1 for none. Index 0 is
     * the remembering interpreter's, 1 the remembering JIT's, 2 the forgetting interpreter's.
     */
    List<List<Long>> reports(byte[] stream, int[] cuts, int keep) {
        List<List<Long>> all = new ArrayList<>();
        for (Run run : new Run[] {remembering, rememberingJit, forgetting}) {
            run.reportedEnd = 0;
            run.searched = 0;
            List<Long> reports = new ArrayList<>();
            int from = 0;
            for (int k = 0; k <= cuts.length; k++) {
                int to = k < cuts.length ? cuts[k] : stream.length;
                int kept = Math.min(keep, from);
                byte[] window = Arrays.copyOfRange(stream, from - kept, to);
                run.ctx.bind(NO_FRAME, 0, 0, 0).stream(window, window.length, from - kept, kept);
                reports.add(run.runner.run(run.ctx) == Verdict.PASS ? run.reportedEnd : -1L);
                from = to;
            }
            all.add(reports);
        }
        return all;
    }

    /** Where runner {@code index} (as in {@link #reports}) recorded that the leading contents need no search. */
    long searched(int index) {
        return new Run[] {remembering, rememberingJit, forgetting}[index].searched;
    }

    /** Checks of runner {@code index} (as in {@link #reports}) stopped by the fuel budget so far. */
    long fuelExhausted(int index) {
        return new Run[] {remembering, rememberingJit, forgetting}[index].ctx.fuelExhausted();
    }
}
