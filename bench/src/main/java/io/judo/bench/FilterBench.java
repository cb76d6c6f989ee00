package io.judo.bench;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.rules.pcap.FilterCompiler;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.ProgramRunner;
import io.judo.vm.interp.PacketContext;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per packet of the VM interpreter: a 10-term tcpdump filter, and pf-style rule lists of N rules compiled
 * to one program against the data-driven evaluator walking the same list. Packets are pre-decoded (4096 IPv4 TCP/UDP
 * packets to random 10/8 hosts and common ports) so only rule evaluation is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class FilterBench {
    static final String TEN_TERMS = "tcp and (port 80 or port 443 or port 8080) and not host 10.1.2.3 "
            + "and net 10.0.0.0/8 and tcp[tcpflags] & tcp-rst = 0 and len > 60 and ip[8] > 1 and dst portrange 1-9000";
    private static final int PACKETS = 4096;

    @Param({"10", "100", "1000", "10000"})
    int rules;

    private final PacketView[] views = new PacketView[PACKETS];
    private final PacketContext[] raw = new PacketContext[PACKETS];
    private final PacketContext[] decoded = new PacketContext[PACKETS];
    private Interpreter tcpdumpFilter;
    private Interpreter ruleProgram;
    private Interpreter partitioned;
    private ProgramRunner tcpdumpJit;
    private ProgramRunner rulesJit;
    private ProgramRunner partitionedJit;
    private Interpreter tcpdumpOptimized;
    private ProgramRunner tcpdumpOptimizedJit;
    private Interpreter rulesOptimized;
    private ProgramRunner rulesOptimizedJit;
    private HeaderRules list;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        int[] ports = {22, 53, 80, 443, 8080, 3306, 12345};
        PacketDecoder decoder = new PacketDecoder();
        for (int i = 0; i < PACKETS; i++) {
            String src = "10." + r.nextInt(4) + "." + r.nextInt(256) + "." + r.nextInt(256);
            String dst = "10." + r.nextInt(4) + "." + r.nextInt(256) + "." + r.nextInt(256);
            int port = ports[r.nextInt(ports.length)];
            PacketBuilder b = PacketBuilder.ethernet().ipv4(src, dst);
            byte[] f = (r.nextInt(4) == 0 ? b.udp(40000, port) : b.tcp(40000, port).flags(0x18))
                    .payload(new byte[r.nextInt(200)]).build();
            ByteBuffer buf = ByteBuffer.allocateDirect(f.length);
            buf.put(f);
            views[i] = decoder.decode(buf, 0, f.length, f.length, LinkType.ETHERNET, new PacketView());
            raw[i] = new PacketContext().bind(buf, 0, f.length, f.length);
            decoded[i] = new PacketContext().bind(views[i]);
        }
        tcpdumpFilter = new Interpreter(Verifier.verify(FilterCompiler.compile(TEN_TERMS, LinkType.ETHERNET)),
                new HelperTable());
        list = new HeaderRules(rules, 11);
        ruleProgram = new Interpreter(Verifier.verify(list.compile()), new HelperTable());
        partitioned = new Interpreter(Verifier.verify(list.compilePartitioned()), new HelperTable());
        tcpdumpJit = jit(FilterCompiler.compile(TEN_TERMS, LinkType.ETHERNET), "tcpdump");
        rulesJit = jit(list.compile(), "rules");
        partitionedJit = jit(list.compilePartitioned(), "partitioned");
        io.judo.vm.Program tcpdumpOpt = io.judo.vm.opt.Optimizer.optimize(FilterCompiler.compile(TEN_TERMS,
                LinkType.ETHERNET));
        tcpdumpOptimized = new Interpreter(Verifier.verify(tcpdumpOpt), new HelperTable());
        tcpdumpOptimizedJit = jit(tcpdumpOpt, "tcpdump optimized");
        io.judo.vm.Program rulesOpt = io.judo.vm.opt.Optimizer.optimize(list.compile());
        System.out.println("rules=" + rules + ": plain program " + list.compile().length() + " instructions, optimized "
                + rulesOpt.length() + "; tcpdump " + FilterCompiler.compile(TEN_TERMS, LinkType.ETHERNET).length()
                + " -> " + tcpdumpOpt.length());
        rulesOptimized = new Interpreter(Verifier.verify(rulesOpt), new HelperTable());
        rulesOptimizedJit = jit(rulesOpt, "rules optimized");
        int matched = 0;
        for (int i = 0; i < PACKETS; i++) {
            int expected = list.evaluate(views[i]);
            if (ruleProgram.run(decoded[i]) != expected || partitioned.run(decoded[i]) != expected
                    || rulesJit.run(decoded[i]) != expected || partitionedJit.run(decoded[i]) != expected
                    || rulesOptimized.run(decoded[i]) != expected || rulesOptimizedJit.run(decoded[i]) != expected
                    || tcpdumpOptimized.run(raw[i]) != tcpdumpFilter.run(raw[i])
                    || tcpdumpOptimizedJit.run(raw[i]) != tcpdumpFilter.run(raw[i])) {
                throw new IllegalStateException("compiled rules disagree with the data-driven evaluator at packet " + i);
            }
            matched += expected == io.judo.vm.Verdict.DROP ? 1 : 0;
        }
        System.out.println("rules=" + rules + ": " + matched + " of " + PACKETS + " packets blocked");
    }

    private static ProgramRunner jit(io.judo.vm.Program p, String what) throws Exception {
        JitCompiler.Result r = JitCompiler.compile(Verifier.verify(p), new HelperTable());
        if (!r.compiled()) {
            System.out.println(what + ": JIT fell back to the interpreter: " + r.fallbackReason());
        }
        return r.runner();
    }

    private int nextPacket() {
        int i = next;
        next = (i + 1) & (PACKETS - 1);
        return i;
    }

    /** The 10-term tcpdump expression after the optimizer, interpreted. */
    @Benchmark
    public int tcpdumpTenTermsOptimized() {
        return tcpdumpOptimized.run(raw[nextPacket()]);
    }

    @Benchmark
    public int tcpdumpTenTermsOptimizedJit() {
        return tcpdumpOptimizedJit.run(raw[nextPacket()]);
    }

    /** The plain rule list after the optimizer, interpreted: the row (c). */
    @Benchmark
    public int rulesOptimizedInterpreted() {
        return rulesOptimized.run(decoded[nextPacket()]);
    }

    /** The plain rule list after the optimizer, JIT-compiled: the row (d). */
    @Benchmark
    public int rulesOptimizedJit() {
        return rulesOptimizedJit.run(decoded[nextPacket()]);
    }

    /** The 10-term tcpdump expression (the rules parameter does not apply). */
    @Benchmark
    public int tcpdumpTenTerms() {
        return tcpdumpFilter.run(raw[nextPacket()]);
    }

    @Benchmark
    public int rulesInterpreted() {
        return ruleProgram.run(decoded[nextPacket()]);
    }

    @Benchmark
    public int rulesPartitioned() {
        return partitioned.run(decoded[nextPacket()]);
    }

    @Benchmark
    public int tcpdumpTenTermsJit() {
        return tcpdumpJit.run(raw[nextPacket()]);
    }

    @Benchmark
    public int rulesJit() {
        return rulesJit.run(decoded[nextPacket()]);
    }

    @Benchmark
    public int rulesPartitionedJit() {
        return partitionedJit.run(decoded[nextPacket()]);
    }

    @Benchmark
    public int rulesDataDriven() {
        return list.evaluate(views[nextPacket()]);
    }
}
