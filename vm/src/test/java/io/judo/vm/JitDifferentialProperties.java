package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.vm.asm.Assembler;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.JitTestAccess;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.interp.ProgramRunner;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JIT is exactly the interpreter: on every golden program and on thousands of random verified programs, over
 * random and malformed packets (decoded and raw), whole runs and single regions give the same verdict, rule, metadata
 * and helper calls (each call's id and arguments, in order).
 */
class JitDifferentialProperties {
    /** Helpers that record every call and return something that depends on it, so later code diverges if they do. */
    static HelperTable recording(List<String> log) {
        HelperTable t = new HelperTable();
        for (int id = 1; id <= Helpers.all().size(); id++) {
            int helper = id;
            t.bind(helper, (ctx, a, b, c, d, e) -> {
                log.add(helper + ":" + a + "," + b + "," + c + "," + d + "," + e);
                return a * 31 + b + helper;
            });
        }
        return t;
    }

    private record Outcome(int result, int verdict, long rule, long tag, long queue, long mark, long prio,
            List<String> calls, long fuelExhausted) {
    }

    private static Outcome once(ProgramRunner runner, PacketContext ctx, List<String> log, RuleRegion region) {
        log.clear();
        int result = region == null ? runner.run(ctx) : runner.runRegion(ctx, region);
        return new Outcome(result, region == null ? ctx.verdict() : result, region == null ? ctx.ruleId() : 0,
                ctx.tag(), ctx.queue(), ctx.mark(), ctx.prio(), List.copyOf(log), ctx.fuelExhausted());
    }

    /** Runs both on the same packets; returns false when the JIT fell back (not expected here). */
    private static void compare(VerifiedProgram v, Random r, String what) {
        compare(v, r, what, 0);
    }

    /** @param chunk instructions per JVM method (0: the default), small to cross method boundaries often */
    private static void compare(VerifiedProgram v, Random r, String what, int chunk) {
        List<String> interpLog = new ArrayList<>();
        List<String> jitLog = new ArrayList<>();
        Interpreter interp = new Interpreter(v, recording(interpLog));
        JitCompiler.Result jit = chunk == 0 ? JitCompiler.compile(v, recording(jitLog))
                : JitTestAccess.compile(v, recording(jitLog), chunk);
        assertTrue(jit.compiled(), what + ": JIT fell back: " + jit.fallbackReason());
        sameBehaviour(interp, interpLog, v, jit.runner(), jitLog, v, r, what);
    }

    /**
     * The fuel for packet {@code i}: the default for every third, else a small budget (0-49 back edges), so that
     * programs with loops run out of fuel often and both sides must stop at the same place.
     */
    static long fuel(int i) {
        return i % 3 == 0 ? PacketContext.DEFAULT_FUEL : i * 7 % 50;
    }

    /**
     * Runs {@code a} (program {@code pa}) and {@code b} (program {@code pb}, the same rules: regions pair up by
     * index) on the same random packets, whole and per region, and asserts the same outcome (including how often a
     * {@code jloop} ran out of fuel).
     */
    static void sameBehaviour(ProgramRunner a, List<String> aLog, VerifiedProgram pa, ProgramRunner b,
            List<String> bLog, VerifiedProgram pb, Random r, String what) {
        PacketDecoder decoder = new PacketDecoder();
        PacketView view = new PacketView();
        for (int i = 0; i < 12; i++) {
            byte[] pkt = RandomProgramProperties.packet(r);
            for (int k = -1; k < pa.program().regions().size(); k++) {
                RuleRegion ra = k < 0 ? null : pa.program().regions().get(k);
                RuleRegion rb = k < 0 ? null : pb.program().regions().get(k);
                PacketContext ca = bind(new PacketContext().fuelLimit(fuel(i)), pkt, i, decoder, view);
                Outcome expected = once(a, ca, aLog, ra);
                PacketContext cb = bind(new PacketContext().fuelLimit(fuel(i)), pkt, i, decoder, view);
                Outcome actual = once(b, cb, bLog, rb);
                assertEquals(expected, actual, what + " packet " + i + (ra == null ? "" : " region " + ra));
            }
        }
    }

    private static PacketContext bind(PacketContext ctx, byte[] pkt, int i, PacketDecoder decoder, PacketView view) {
        if (i % 2 == 0) {
            decoder.decode(ByteBuffer.wrap(pkt), 0, pkt.length, pkt.length, LinkType.ETHERNET, view);
            return ctx.bind(view);
        }
        return ctx.bind(ByteBuffer.wrap(pkt), 0, pkt.length, pkt.length);
    }

    static List<GoldenCases.Case> goldenCases() throws Exception {
        List<GoldenCases.Case> all = new ArrayList<>(GoldenCases.read("semantics.txt"));
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void goldenProgramsRunTheSame(GoldenCases.Case c) throws Exception {
        VerifiedProgram v = Verifier.verify(Assembler.assemble(c.program(), c.name()));
        compare(v, new Random(c.name().hashCode()), c.name());
        compare(v, new Random(c.name().hashCode()), c.name() + " in chunks of 2", 2);
    }

    @Property(tries = 1500)
    void randomVerifiedProgramsRunTheSame(@ForAll long seed) {
        Random r = new Random(seed);
        compareIfVerified(RandomProgramProperties.tableProgram(r), r, "seed " + seed, seed);
    }

    @Property(tries = 1000)
    void randomLoopProgramsRunTheSame(@ForAll long seed) {
        Random r = new Random(seed);
        compareIfVerified(RandomProgramProperties.loopProgram(r), r, "loop seed " + seed, seed);
    }

    /** Whole and in small chunks, when the verifier accepts the program (counted either way). */
    private static void compareIfVerified(io.judo.vm.Program p, Random r, String name, long seed) {
        VerifiedProgram v;
        try {
            v = Verifier.verify(p);
        } catch (VerifyException e) {
            Statistics.collect("rejected");
            return;
        }
        Statistics.collect("compared");
        compare(v, r, name);
        compare(v, r, name + " in small chunks", 1 + Math.floorMod(seed, 4));
    }
}
