package io.judo.bench;

import io.judo.matcher.confirm.BoundedRegex;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.rules.ir.Inspect;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.CompiledRuleSet.HookCode;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.SuricataRule;
import io.judo.rules.suricata.Variables;
import io.judo.vm.RuleRegion;
import io.judo.vm.interp.BufferOps;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.interp.ProgramRunner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * Issue 16's performance check: one ET-style rule's payload chain (five contents with depth, distance, within and
 * nocase) checked against one packet's payload by (a) the pre-issue-16 Java evaluator ({@link LegacyPayloadInspector}),
 * (b) the rule's region of the compiled rule set in the {@link Interpreter}, (c) the same region JIT-compiled. The VM
 * forms run the whole region ({@code runRegion}): the header test (tcp), the {@code buffer} selection and the chain,
 * on a {@link PacketContext} bound to the decoded packet; (a) gets the payload bytes. Set-up checks that all three
 * agree on each payload.
 *
 * <p>Payloads ({@link #payload}): {@code match}, an HTTP request that satisfies the chain; {@code lateFail}, the same
 * request cut before the blank line, so the last content fails and every earlier one is retried at its next
 * occurrences before giving up; {@code retries}, a request with many {@code /admin} and {@code User-Agent: }
 * occurrences none followed closely by {@code curl}, so the retries multiply (occurrences of content 2 times those of
 * content 3) and the check fails.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xss16m"})
public class ChainBench {
    /**
     * The rule: an ET-style five-content chain. {@code tcp-pkt} puts it in the packet hook (a plain {@code tcp} rule
     * with a chain is stream-inspected, in the stream hook), so its region runs on the decoded packet's payload.
     */
    static final String RULE = "alert tcp-pkt any any -> any any (msg:\"ET-style admin fetch by curl\"; "
            + "content:\"GET \"; depth:4; content:\"/admin\"; distance:0; content:\"User-Agent|3a| \"; distance:0; "
            + "content:\"curl\"; within:20; nocase; content:\"|0d 0a 0d 0a|\"; distance:0; sid:1000001; rev:1;)";

    @Param({"match", "lateFail", "retries"})
    public String payload;

    private byte[] bytes;
    private List<Inspect> chain;
    private final LegacyPayloadInspector legacy = new LegacyPayloadInspector();
    private PacketContext ctx;
    private RuleRegion region;
    private ProgramRunner interpreter;
    private ProgramRunner jit;
    /** Alerts raised by the VM forms (the {@code alert} helper). */
    private long alerts;

    static String payloadText(String name) {
        String head = "GET /admin/config.php?x=1 HTTP/1.1\r\nHost: intranet.example.com\r\n"
                + "User-Agent: curl/7.88.1\r\nAccept: */*\r\n";
        return switch (name) {
            case "match" -> head + "Connection: close\r\n\r\n";
            case "lateFail" -> head + "Cookie: session=" + "a".repeat(600) + "\r\nX-Request-Id: 4f1c2b\r\n";
            case "retries" -> {
                StringBuilder s = new StringBuilder("GET /admin/panel?next=");
                for (int i = 0; i < 12; i++) {
                    s.append("/admin/p").append(i);
                }
                s.append(" HTTP/1.1\r\nHost: intranet.example.com\r\n");
                for (int i = 0; i < 24; i++) {
                    s.append("User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/").append(20100101 + i).append("\r\n");
                }
                yield s.append("Accept: */*\r\n\r\n").toString();
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The {@code regex} helper as the engine binds it (its RegexHelper is package-private): a copy of its lines. */
    static HelperTable helpers(HookCode code, long[] alertCount) {
        BoundedRegex[] table = code.regexes();
        return BufferOps.bind(new HelperTable(), code.program().program())
                .bind(Helpers.REGEX, (c, r1, r2, r3, r4, r5) -> {
                    BoundedRegex re = r1 >= 0 && r1 < table.length ? table[(int) r1] : null;
                    byte[] b = c.selectedBytes();
                    if (re == null || b == null) {
                        return Helpers.REGEX_NO_MATCH;
                    }
                    long limit = Math.min(r4, c.selectedLength());
                    if (r2 < 0 || r2 > limit) {
                        return Helpers.REGEX_NO_MATCH;
                    }
                    long r = re.find(b, c.selectedOffset(), (int) r2, (int) limit, r3 != 0, 1_000_000);
                    if (r == BoundedRegex.EXHAUSTED) {
                        return Helpers.REGEX_EXHAUSTED;
                    }
                    return r == BoundedRegex.NO_MATCH ? Helpers.REGEX_NO_MATCH : r;
                })
                .bind(Helpers.ALERT, (c, r1, r2, r3, r4, r5) -> {
                    alertCount[0]++;
                    return 0;
                });
    }

    private final long[] alertCount = new long[1];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        bytes = payloadText(payload).getBytes(StandardCharsets.ISO_8859_1);
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false).load(RULE, "chain.rules");
        List<SuricataRule> rules = loader.rules();
        if (rules.size() != 1) {
            throw new IllegalStateException("rule did not load: " + loader.skips());
        }
        chain = rules.get(0).chain();
        CompiledRuleSet set = RuleSetCompiler.compile(rules);
        HookCode code = set.hook(CompiledRuleSet.Hook.PACKET);
        if (!code.unsupported().isEmpty()) {
            throw new IllegalStateException("chain not compiled: " + code.unsupported());
        }
        region = code.region(0);
        HelperTable helpers = helpers(code, alertCount);
        interpreter = new Interpreter(code.program(), helpers);
        JitCompiler.Result r = JitCompiler.compile(code.program(), helpers);
        if (!r.compiled()) {
            System.out.println("JIT fell back to the interpreter: " + r.fallbackReason());
        }
        jit = r.runner();

        byte[] frame = PacketBuilder.ethernet().ipv4("10.1.2.3", "192.168.7.9").tcp(40000, 80).flags(0x18)
                .payload(bytes).build();
        ByteBuffer buf = ByteBuffer.allocateDirect(frame.length);
        buf.put(frame);
        PacketView view = new PacketDecoder().decode(buf, 0, frame.length, frame.length, LinkType.ETHERNET,
                new PacketView());
        if (view.payloadLength() != bytes.length) {
            throw new IllegalStateException("payload " + view.payloadLength() + " bytes, expected " + bytes.length);
        }
        ctx = new PacketContext().bind(view);
        ctx.flow(0, 2, 0);

        boolean expected = legacy.matches(chain, bytes, bytes.length, 0, 0);
        boolean want = payload.equals("match");
        if (expected != want) {
            throw new IllegalStateException(payload + ": legacy evaluator says " + expected);
        }
        for (ProgramRunner run : new ProgramRunner[] {interpreter, jit}) {
            long before = alertCount[0];
            run.runRegion(ctx, region);
            boolean got = alertCount[0] > before;
            if (got != expected) {
                throw new IllegalStateException(payload + ": " + run.getClass().getSimpleName() + " says " + got
                        + ", the legacy evaluator " + expected);
            }
        }
        // One more interpreted run with the find helper counted: how much of a check is search.
        long[] finds = new long[1];
        HelperTable counted = helpers(code, new long[1]);
        io.judo.vm.interp.Helper find = (c, r1, r2, r3, r4, r5) -> {
            finds[0]++;
            return BufferOps.find(c, code.program().program().strings().get((int) r1), r2, r3,
                    (r4 & Helpers.FIND_NOCASE) != 0);
        };
        Interpreter probe = new Interpreter(code.program(), counted.bind(Helpers.FIND, find));
        probe.runRegion(ctx, region);
        System.out.printf("%n%s: %d payload bytes, region %d instructions (of %d), one check executes %d of them "
                + "and %d find calls (%d jloop fuel), legacy budget exceeded %d, fuel exhausted %d, JIT %s%n",
                payload, bytes.length, region.end() - region.start(), code.program().program().length(),
                probe.executed(), finds[0], ctx.fuelLimit() - ctx.fuel(), legacy.budgetExceeded(),
                ctx.fuelExhausted(), r.compiled() ? "compiled" : "fell back");
    }

    /** (a) the pre-issue-16 evaluator on the payload bytes. */
    @Benchmark
    public boolean legacy() {
        return legacy.matches(chain, bytes, bytes.length, 0, 0);
    }

    /** (b) the rule's region in the interpreter. */
    @Benchmark
    public long interpreter() {
        interpreter.runRegion(ctx, region);
        return alertCount[0];
    }

    /** (c) the same region JIT-compiled. */
    @Benchmark
    public long jit() {
        jit.runRegion(ctx, region);
        return alertCount[0];
    }
}
