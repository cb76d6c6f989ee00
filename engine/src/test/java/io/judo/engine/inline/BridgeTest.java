package io.judo.engine.inline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a bridge can be tested for without root; the bridging itself is cli's namespace tests'. */
class BridgeTest {
    /** Fanout group ids: distinct for a bridge's two interfaces, from 256 up, within 16 bits. */
    @Test
    void fanoutGroupIdsDifferPerInterfaceAndStayAboveSuricatasDefaults() {
        for (long pid : new long[] {1, 254, 255, 4_194_304, 123_456}) {
            for (int ifindex : new int[] {1, 2, 255, 256, 70_000}) {
                int g = Bridge.fanoutGroup(pid, ifindex);
                assertTrue(g >= 256 && g <= 0xffff, pid + "/" + ifindex + ": " + g);
                assertTrue(g != Bridge.fanoutGroup(pid, ifindex + 1), pid + "/" + ifindex);
            }
        }
        assertTrue(Bridge.fanoutGroup(100, 5) != Bridge.fanoutGroup(101, 5));
    }
}
