package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Flow bits checked but never set: one warning per bit, and the rules that can never fire counted. */
class FlowbitUseTest {
    private static FlowbitUse of(String rules) {
        return new RuleLoader(Variables.defaults(), null, false).load(rules, "t.rules").flowbitUse();
    }

    @Test
    void aBitOnlyASkippedRuleSetsIsReportedOncePerBit() {
        FlowbitUse u = of("""
                alert smb any any -> any any (msg:"setter, skipped"; flowbits:set,ET.x; sid:1;)
                alert tcp any any -> any any (msg:"a"; flowbits:isset,ET.x; sid:2;)
                alert tcp any any -> any any (msg:"b"; content:"q"; flowbits:isset,ET.x; sid:3;)
                alert tcp any any -> any any (msg:"c"; flowbits:set,ok; sid:4;)
                alert tcp any any -> any any (msg:"d"; flowbits:isset,ok; flowbits:isnotset,never; sid:5;)
                alert tcp any any -> any any (msg:"e"; flowbits:toggle,t; sid:6;)
                alert tcp any any -> any any (msg:"f"; flowbits:isset,t; sid:7;)
                """);
        assertEquals(List.of("flowbit 'ET.x' is checked but not set (checked in 1:2 and 1 other rules)"),
                u.warnings());
        assertEquals(2, u.neverFire());
    }

    @Test
    void anyOfNeedsOneBitSetAndAllOfNeedsEvery() {
        FlowbitUse u = of("""
                alert tcp any any -> any any (msg:"set a"; flowbits:set,a; sid:1;)
                alert tcp any any -> any any (msg:"a or b"; flowbits:isset,a|b; sid:2;)
                alert tcp any any -> any any (msg:"a and c"; flowbits:isset,a&c; sid:3;)
                """);
        assertEquals(List.of("flowbit 'b' is checked but not set (checked in 1:2)",
                "flowbit 'c' is checked but not set (checked in 1:3)"), u.warnings());
        assertEquals(1, u.neverFire());
    }
}
