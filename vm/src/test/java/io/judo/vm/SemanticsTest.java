package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.vm.asm.Assembler;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.verify.Verifier;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every case of golden/semantics.txt (hand-computed expectations) in the interpreter. */
class SemanticsTest {
    static final byte[] FRAME = PacketBuilder.ethernet().ipv4("192.0.2.1", "198.51.100.7").ttl(63).tcp(40000, 80)
            .flags(PacketBuilder.TcpFlags.PSH | PacketBuilder.TcpFlags.ACK).payload("hello judo").build();

    static List<GoldenCases.Case> cases() throws Exception {
        return GoldenCases.read("semantics.txt");
    }

    static PacketView view() {
        return new PacketDecoder().decode(ByteBuffer.wrap(FRAME), 0, FRAME.length, FRAME.length, LinkType.ETHERNET,
                new PacketView());
    }

    static HelperTable helpers() {
        return new HelperTable().bind(Helpers.REPLACE, (ctx, a, b, c, d, e) -> a + b + c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void behavesAsHandComputed(GoldenCases.Case c) throws Exception {
        Program p = Assembler.assemble(c.program(), c.name());
        Interpreter interp = new Interpreter(Verifier.verify(p), helpers());
        PacketContext ctx = new PacketContext().bind(view());
        interp.run(ctx);
        for (String part : c.expectation().split(",")) {
            String[] kv = part.trim().split("\\s*=\\s*");
            String key = kv[0];
            String value = kv[1];
            switch (key) {
                case "verdict": assertEquals(value, Verdict.name(ctx.verdict()), c.name()); break;
                case "rule": assertEquals(Long.parseLong(value), ctx.ruleId(), c.name()); break;
                case "tag": assertEquals(Long.parseLong(value), ctx.tag(), c.name()); break;
                case "exhausted": assertEquals(Long.parseLong(value), ctx.fuelExhausted(), c.name()); break;
                default:
                    long expected = new BigInteger(value).longValue();
                    assertEquals(expected, interp.register(Integer.parseInt(key.substring(1))), c.name() + ": " + key);
            }
        }
    }
}
