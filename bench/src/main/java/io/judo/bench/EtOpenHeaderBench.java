package io.judo.bench;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.vm.Program;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.interp.ProgramRunner;
import io.judo.vm.opt.Optimizer;
import io.judo.vm.verify.Verifier;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ET Open row: nanoseconds per packet to find how many of the loadable ET Open rules' headers a packet
 * matches — (a) the data-driven evaluator walking the rules, (b) the interpreter on the plain program, (c) the
 * interpreter on the optimized program, (d) the JIT on the optimized program. 4,096 pre-decoded IPv4 TCP/UDP packets
 * between home (10/8, 192.168/16) and outside addresses, to common and random ports.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xss16m"})
public class EtOpenHeaderBench {
    private static final int PACKETS = 4096;
    private final PacketView[] views = new PacketView[PACKETS];
    private final byte[][] src = new byte[PACKETS][];
    private final byte[][] dst = new byte[PACKETS][];
    private final PacketContext[] decoded = new PacketContext[PACKETS];
    private EtOpenHeaders rules;
    private ProgramRunner plain;
    private ProgramRunner optimized;
    private ProgramRunner optimizedJit;
    private ProgramRunner plainJit;
    private int next;

    private static String address(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0 -> "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            case 1 -> "192.168." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            default -> (1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        };
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        int[] ports = {80, 443, 53, 25, 445, 22, 21, 8080, 3389, 1433, 139, 110};
        PacketDecoder decoder = new PacketDecoder();
        for (int i = 0; i < PACKETS; i++) {
            int port = r.nextInt(4) == 0 ? 1024 + r.nextInt(64000) : ports[r.nextInt(ports.length)];
            PacketBuilder b = PacketBuilder.ethernet().ipv4(address(r), address(r));
            byte[] f = (r.nextInt(4) == 0 ? b.udp(1024 + r.nextInt(64000), port)
                    : b.tcp(1024 + r.nextInt(64000), port).flags(0x18)).payload(new byte[r.nextInt(200)]).build();
            ByteBuffer buf = ByteBuffer.allocateDirect(f.length);
            buf.put(f);
            views[i] = decoder.decode(buf, 0, f.length, f.length, LinkType.ETHERNET, new PacketView());
            src[i] = java.util.Arrays.copyOfRange(f, 26, 30);
            dst[i] = java.util.Arrays.copyOfRange(f, 30, 34);
            decoded[i] = new PacketContext().bind(views[i]);
        }
        rules = new EtOpenHeaders(MatcherBench.rulesDir());
        Program p = rules.compile();
        long t0 = System.nanoTime();
        Optimizer.Result result = Optimizer.run(p, true);
        Program o = result.program();
        long t1 = System.nanoTime();
        System.out.printf("%n%,d rule headers: plain program %,d instructions, optimized %,d in %.1f s (%s)%n",
                rules.rules.size(), p.length(), o.length(), (t1 - t0) / 1e9, String.join(" ", result.applied()));
        plain = new Interpreter(Verifier.verify(p), new HelperTable());
        optimized = new Interpreter(Verifier.verify(o), new HelperTable());
        JitCompiler.Result jit = JitCompiler.compile(Verifier.verify(o), new HelperTable());
        if (!jit.compiled()) {
            System.out.println("JIT fell back: " + jit.fallbackReason());
        }
        optimizedJit = jit.runner();
        plainJit = JitCompiler.compile(Verifier.verify(p), new HelperTable()).runner();
        long total = 0;
        for (int i = 0; i < PACKETS; i++) {
            int expected = rules.evaluate(views[i], src[i], dst[i]);
            for (ProgramRunner run : new ProgramRunner[] {plain, optimized, optimizedJit, plainJit}) {
                run.run(decoded[i]);
                if (decoded[i].tag() != expected) {
                    throw new IllegalStateException("packet " + i + ": program counts " + decoded[i].tag()
                            + " rules, the evaluator " + expected);
                }
            }
            total += expected;
        }
        System.out.printf("%.1f rule headers matched per packet%n", total / (double) PACKETS);
    }

    private int nextPacket() {
        int i = next;
        next = (i + 1) & (PACKETS - 1);
        return i;
    }

    /** (a) */
    @Benchmark
    public int dataDriven() {
        int i = nextPacket();
        return rules.evaluate(views[i], src[i], dst[i]);
    }

    /** (b) */
    @Benchmark
    public int interpreted() {
        return plain.run(decoded[nextPacket()]);
    }

    /** (c) */
    @Benchmark
    public int optimizedInterpreted() {
        return optimized.run(decoded[nextPacket()]);
    }

    /** The JIT on the plain program. */
    @Benchmark
    public int jit() {
        return plainJit.run(decoded[nextPacket()]);
    }

    /** (d) */
    @Benchmark
    public int optimizedJit() {
        return optimizedJit.run(decoded[nextPacket()]);
    }
}
