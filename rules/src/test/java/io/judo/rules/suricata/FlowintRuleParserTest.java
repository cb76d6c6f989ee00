package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import io.judo.rules.ir.Flowint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code flowint} in every form Suricata reads, and the order setters run in. */
class FlowintRuleParserTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static SuricataRule parse(String options, int sid) {
        return PARSER.parse("alert tcp any any -> any any (" + options + " sid:" + sid + ";)", "t.rules", 1);
    }

    @Test
    void everyOperator() {
        assertEquals(List.of(new Flowint("ET.infostealer.dll.download", "+", 1, null)),
                parse("flowint: ET.infostealer.dll.download, +, 1;", 1).flowints());
        for (String op : new String[] {"=", "-", "==", "!=", "<", ">", "<=", ">="}) {
            assertEquals(new Flowint("n", op, 4294967295L, null), parse("flowint:n," + op + ",4294967295;", 1)
                    .flowints().get(0), op);
        }
        assertEquals(new Flowint("n", ">", 0, "limit"), parse("flowint:n,>,limit;", 1).flowints().get(0));
        assertEquals(new Flowint("n", "isset", 0, null), parse("flowint:n,isset;", 1).flowints().get(0));
        assertEquals(new Flowint("n", "notset", 0, null), parse("flowint:n, isnotset;", 1).flowints().get(0));
        assertEquals(new Flowint("n", "notset", 0, null), parse("flowint:n,notset;", 1).flowints().get(0));
    }

    @Test
    void badFormsAreClearErrors() {
        for (String bad : new String[] {"n", "n,+", "n,+,", "n,*,1", "n,isset,1", "n,=,4294967296", "n,=,1x",
                ",=,1", "n,=,a b"}) {
            RuleError e = assertThrows(RuleError.class, () -> parse("flowint:" + bad + ";", 1), bad);
            assertTrue(e.getMessage().contains("flowint"), e.getMessage());
        }
    }

    @Test
    void changersRunFirstAndNamesAreNumberedOnce() {
        SuricataRule reader = parse("content:\"b\"; flowint:n,>,m;", 1);
        SuricataRule writer = parse("content:\"a\"; flowint:n,+,1;", 2);
        Flowints f = new Flowints(List.of(reader, writer));
        assertEquals(2, f.size());
        assertEquals(f.testsOf(0).get(0).var(), f.changesOf(1).get(0).var());
        assertEquals(2, RuleSetCompiler.compile(List.of(reader, writer)).rules().get(0).sid());
    }
}
