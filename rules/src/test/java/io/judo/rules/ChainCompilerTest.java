package io.judo.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.ir.Content;
import io.judo.rules.ir.Inspect;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.Variables;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the chain compiler decides statically: which items it retries, and rules too big for the VM. */
class ChainCompilerTest {
    private static CompiledRuleSet compile(String rules) {
        RuleLoader l = new RuleLoader(Variables.defaults(), null, false).load(rules, "t.rules");
        assertEquals(0, l.errors().size(), () -> l.errors().toString());
        return RuleSetCompiler.compile(l.rules());
    }

    @Test
    void aChainLongerThanTheScratchMemoryLoadsButIsReportedAsNeverMatching() {
        StringBuilder options = new StringBuilder("content:\"a0\";");
        for (int i = 1; i < 40; i++) {
            options.append(" content:\"a").append(i).append("\"; distance:0;");
        }
        CompiledRuleSet set = compile("alert udp any any -> any any (msg:\"long\"; " + options + " sid:7;)\n"
                + "alert udp any any -> any any (msg:\"short\"; content:\"x\"; sid:8;)\n");
        assertEquals(1, set.unrunnable().size(), set.unrunnable().toString());
        assertTrue(set.unrunnable().get(0).startsWith("1:7:0: the chain needs more than the VM's 64 scratch slots"),
                set.unrunnable().get(0));
    }

    @Test
    void aPacketChainRetriesOnlyItemsWhoseCursorSomethingReads() {
        Content a = content("a", false);
        Content b = content("b", false);
        Content bRelative = new Content("b".getBytes(), false, false, Inspect.UNSET, Inspect.UNSET, 0, Inspect.UNSET,
                false, false, false, null, null);
        List<Inspect> chain = List.of(a, b, bRelative);
        assertFalse(ChainCompiler.readsCursor(chain, 0), "b is absolute: another a cannot change it");
        assertTrue(ChainCompiler.readsCursor(chain, 1), "the next b is measured from this one");
        assertFalse(ChainCompiler.readsCursor(chain, 2), "nothing follows");
    }

    private static Content content(String text, boolean negated) {
        return new Content(text.getBytes(), negated, false, Inspect.UNSET, Inspect.UNSET, Inspect.UNSET,
                Inspect.UNSET, false, false, false, null, null);
    }

    @Test
    void theListingNamesEveryKeywordOfTheChain() {
        String listing = compile("alert tcp any any -> any 80 (msg:\"m\"; content:\"GET\"; depth:3; "
                + "byte_test:1,>,5,0,relative; pcre:\"/x+/R\"; sid:9;)\n").listing();
        assertTrue(listing.contains("    ; content:\"GET\"; depth:3\n"), listing);
        assertTrue(listing.contains("    ; byte_test:1,>,5,0,relative\n"), listing);
        assertTrue(listing.contains("    ; pcre:\"/x+/R\"\n"), listing);
        assertTrue(listing.contains("call regex"), listing);
        assertTrue(listing.contains("call byte_read"), listing);
        assertTrue(listing.contains("jloop"), listing);
    }
}
