package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import io.judo.rules.ir.UintTest;
import io.judo.rules.suricata.SuricataRule.StreamSize;
import io.judo.rules.suricata.SuricataRule.StreamSize.Side;
import org.junit.jupiter.api.Test;

/** {@code stream_size} as Suricata writes it: a side, an operator and a number, each form read as Suricata does. */
class StreamSizeRuleParserTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static SuricataRule parse(String proto, String options) {
        return PARSER.parse("alert " + proto + " any any -> any any (" + options + " sid:1;)", "t.rules", 1);
    }

    @Test
    void everySideAndOperator() {
        assertEquals(new StreamSize(Side.SERVER, new UintTest(UintTest.Op.LT, 5, 0)),
                parse("tcp", "stream_size:server,<,5;").streamSize());
        assertEquals(new StreamSize(Side.CLIENT, new UintTest(UintTest.Op.GT, 1800, 0)),
                parse("tcp-pkt", "stream_size: client , > , 1800 ;").streamSize());
        assertEquals(new StreamSize(Side.BOTH, new UintTest(UintTest.Op.EQ, 1, 0)),
                parse("tcp", "stream_size:both,=,1;").streamSize());
        assertEquals(new StreamSize(Side.EITHER, new UintTest(UintTest.Op.NE, 10, 0)),
                parse("ip", "stream_size:either,!=,10;").streamSize());
        assertEquals(UintTest.Op.LE, parse("tcp", "stream_size:server,<=,7;").streamSize().test().op());
        assertEquals(UintTest.Op.GE, parse("tcp", "stream_size:server,>=,7;").streamSize().test().op());
        assertEquals(null, parse("tcp", "content:\"x\";").streamSize());
        assertEquals(new UintTest(UintTest.Op.GT, 4294967295L, 0),
                parse("tcp", "stream_size:client,>,4294967295;").streamSize().test());
    }

    @Test
    void aContentRuleWithStreamSizeStaysOnTheStream() {
        SuricataRule r = parse("tcp", "flow:established,to_server; stream_size:client,<,10000; content:\"${\";");
        assertEquals(CompiledRuleSet.Hook.STREAM, RuleSetCompiler.hookOf(r));
    }

    @Test
    void badFormsAreClearErrors() {
        for (String bad : new String[] {"server,<", "server,<,x", "server,<<,5", "sever,<,5", "server,<,-1",
                "server,<,4294967296", "server,5", "server,<,1-5"}) {
            RuleError e = assertThrows(RuleError.class, () -> parse("tcp", "stream_size:" + bad + ";"), bad);
            assertTrue(e.getMessage().contains("stream_size"), e.getMessage());
        }
        RuleError udp = assertThrows(RuleError.class, () -> parse("udp", "stream_size:client,<,5;"));
        assertTrue(udp.getMessage().contains("needs protocol tcp"), udp.getMessage());
    }
}
