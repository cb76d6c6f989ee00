package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.matcher.confirm.BoundedRegex;
import io.judo.packet.decode.LinkType;
import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.rules.suricata.CompiledRuleSet.DerivedBuffer;
import io.judo.rules.suricata.CompiledRuleSet.HookCode;
import io.judo.vm.Buffer;
import io.judo.vm.Transform;
import io.judo.vm.interp.BufferOps;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.PacketContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a rule set's HTTP hook on one transaction in the interpreter, as the engine will: the header tests see a TCP
 * packet of the flow in the run's direction, and the {@code buffer} helper is bound here (a test-only stand-in for
 * the engine's transaction buffers) to the buffers the test gives, derived buffers computed with their transforms.
 * The selected buffer is handed to the VM's own helpers through the stream slot of the {@link PacketContext}, which
 * they read the same way.
 */
final class HttpHookRunner {
    private static final byte[] FRAME = PacketBuilder.ethernet().ipv4("192.0.2.1", "198.51.100.7").tcp(40000, 80)
            .flags(PacketBuilder.TcpFlags.ACK).payload("x").build();

    private final CompiledRuleSet set;
    private final HookCode code;
    private final Interpreter interpreter;
    private final List<Long> alerts = new ArrayList<>();
    private Map<Integer, byte[]> buffers = Map.of();
    private int appProto = Helpers.APP_PROTO_HTTP;
    private java.util.Set<String> events = java.util.Set.of();

    HttpHookRunner(String rules) {
        RuleLoader l = new RuleLoader(Variables.defaults(), null, false).load(rules, "http.rules");
        assertEquals(List.of(), l.errors());
        assertEquals(Map.of(), l.skips(), "every rule loads");
        set = RuleSetCompiler.compile(l.rules());
        code = set.hook(CompiledRuleSet.Hook.HTTP);
        BoundedRegex[] regexes = code.regexes();
        HelperTable table = BufferOps.bind(new HelperTable(), code.program().program())
                .bind(Helpers.BUFFER, (c, r1, r2, r3, r4, r5) -> select(c, (int) r1))
                .bind(Helpers.REGEX, (c, r1, r2, r3, r4, r5) -> {
                    long limit = Math.min(r4, c.selectedLength());
                    if (r2 < 0 || r2 > limit) {
                        return Helpers.REGEX_NO_MATCH;
                    }
                    return regexes[(int) r1].find(c.selectedBytes(), c.selectedOffset(), (int) r2, (int) limit,
                            r3 != 0, 1_000_000);
                })
                .bind(Helpers.ALERT, (c, r1, r2, r3, r4, r5) -> {
                    alerts.add(set.rules().get((int) r1).sid());
                    return 0;
                })
                .bind(Helpers.APP_PROTO, (c, r1, r2, r3, r4, r5) -> r1 == appProto ? 1 : 0)
                .bind(Helpers.APP_EVENT, (c, r1, r2, r3, r4, r5) -> events.contains(new String(
                        code.program().program().strings().get((int) r1), StandardCharsets.US_ASCII)) ? 1 : 0);
        interpreter = new Interpreter(code.program(), table);
    }

    CompiledRuleSet set() {
        return set;
    }

    /** The events the transaction raised, by name. */
    HttpHookRunner events(String... names) {
        events = java.util.Set.of(names);
        return this;
    }

    HttpHookRunner appProto(int id) {
        appProto = id;
        return this;
    }

    private long select(PacketContext c, int id) {
        byte[] bytes = bytes(id);
        c.select(-2); // an id no run has: clears the selection, so the stream slot below is read afresh
        if (bytes == null) {
            return -1;
        }
        c.stream(bytes, bytes.length, 0, 0);
        c.select(Buffer.STREAM.id());
        return bytes.length;
    }

    private byte[] bytes(int id) {
        byte[] direct = buffers.get(id);
        if (direct != null || id < Buffer.values().length) {
            return direct;
        }
        for (DerivedBuffer d : set.derivedBuffers()) {
            if (d.id() == id) {
                byte[] in = buffers.get(d.base().id());
                if (in == null) {
                    return null;
                }
                for (Transform t : d.transforms()) {
                    byte[] out = new byte[t.maxOutput(in.length)];
                    in = java.util.Arrays.copyOf(out, t.apply(in, 0, in.length, out));
                }
                return in;
            }
        }
        throw new IllegalArgumentException("no buffer " + id);
    }

    /**
     * The sids that alert for a transaction with these buffers (text as Latin-1; {@link Buffer#STREAM} is the stream
     * window) in direction {@code direction} (0 to the server).
     */
    List<Long> run(int direction, Map<Buffer, String> tx) {
        Map<Integer, byte[]> b = new HashMap<>();
        tx.forEach((k, v) -> b.put(k.id(), v.getBytes(StandardCharsets.ISO_8859_1)));
        buffers = b;
        alerts.clear();
        PacketView view = new PacketDecoder().decode(ByteBuffer.wrap(FRAME), 0, FRAME.length, FRAME.length,
                LinkType.ETHERNET, new PacketView());
        PacketContext ctx = new PacketContext().bind(view).flow(direction, 1, 0);
        interpreter.run(ctx);
        return List.copyOf(alerts);
    }
}
