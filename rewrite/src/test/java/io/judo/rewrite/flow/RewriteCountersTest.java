package io.judo.rewrite.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RewriteCountersTest {
    @Test
    void workersCountsSumPerCounter() {
        RewriteCounters a = new RewriteCounters();
        RewriteCounters b = new RewriteCounters();
        a.increment(RewriteCounter.HOLDS);
        a.add(RewriteCounter.REWRITES_APPLIED, 3);
        b.add(RewriteCounter.REWRITES_APPLIED, 4);
        b.increment(RewriteCounter.REMAPS_REFUSED);
        RewriteCounters total = new RewriteCounters().add(a).add(b);
        assertEquals(7, total.get(RewriteCounter.REWRITES_APPLIED));
        assertEquals(1, total.get(RewriteCounter.HOLDS));
        assertEquals(1, total.get(RewriteCounter.REMAPS_REFUSED));
        assertEquals(0, total.get(RewriteCounter.SPLIT_DROPPED));
        assertEquals(3, a.get(RewriteCounter.REWRITES_APPLIED), "adding leaves the added set alone");
    }
}
