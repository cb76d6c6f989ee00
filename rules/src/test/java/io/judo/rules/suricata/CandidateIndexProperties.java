package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The candidate indexes never lose a rule: for random rule address and port lists and random packets, the rules an
 * index returns for an address (or port) are exactly those whose list holds it (IPv4, ports), or a superset of them
 * (IPv6, keyed by the first 64 bits).
 */
class CandidateIndexProperties {
    @Property(tries = 200)
    void addressIndexFindsExactlyTheRulesHoldingAnIpv4Address(@ForAll long seed) {
        Random random = new Random(seed);
        List<CidrSet> sets = new ArrayList<>();
        AddressIndex.Builder b = new AddressIndex.Builder();
        for (int rule = 0; rule < 1 + random.nextInt(20); rule++) {
            List<CidrSet.Entry> entries = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                // Addresses drawn from a small space so that lists overlap and nest.
                int a = 0x0a000000 | random.nextInt(1 << 12) << 4;
                entries.add(new CidrSet.Entry(ByteBuffer.allocate(4).putInt(a).array(), 20 + random.nextInt(13),
                        false));
            }
            CidrSet set = CidrSet.of(entries);
            sets.add(set);
            b.add(rule, set);
        }
        AddressIndex index = b.build();
        for (int probe = 0; probe < 200; probe++) {
            int a = 0x0a000000 | random.nextInt(1 << 16);
            byte[] address = ByteBuffer.allocate(4).putInt(a).array();
            int[] expected = java.util.stream.IntStream.range(0, sets.size()).filter(r -> sets.get(r).contains(address))
                    .toArray();
            assertArrayEquals(expected, index.rulesForV4(a & 0xffffffffL), "seed " + seed + " address " + a);
        }
    }

    @Property(tries = 100)
    void addressIndexNeverLosesAnIpv6Rule(@ForAll long seed) {
        Random random = new Random(seed);
        List<CidrSet> sets = new ArrayList<>();
        AddressIndex.Builder b = new AddressIndex.Builder();
        for (int rule = 0; rule < 1 + random.nextInt(10); rule++) {
            byte[] address = new byte[16];
            address[0] = 0x20;
            address[1] = 0x01;
            address[7] = (byte) random.nextInt(4);
            address[15] = (byte) random.nextInt(4);
            CidrSet set = CidrSet.of(List.of(new CidrSet.Entry(address, 48 + random.nextInt(81), false)));
            sets.add(set);
            b.add(rule, set);
        }
        AddressIndex index = b.build();
        for (int probe = 0; probe < 100; probe++) {
            byte[] address = new byte[16];
            address[0] = 0x20;
            address[1] = 0x01;
            address[7] = (byte) random.nextInt(4);
            address[15] = (byte) random.nextInt(4);
            int[] found = index.rulesForV6(ByteBuffer.wrap(address).getLong());
            for (int r = 0; r < sets.size(); r++) {
                int rule = r;
                assertTrue(!sets.get(r).contains(address) || Arrays.stream(found).anyMatch(x -> x == rule),
                        "seed " + seed + " lost rule " + r);
            }
        }
    }

    @Property(tries = 100)
    void portIndexFindsExactlyTheRulesHoldingAPort(@ForAll long seed) {
        Random random = new Random(seed);
        List<IntRangeSet> sets = new ArrayList<>();
        PortIndex.Builder b = new PortIndex.Builder();
        for (int rule = 0; rule < 1 + random.nextInt(10); rule++) {
            long low = random.nextInt(200);
            IntRangeSet set = IntRangeSet.of(List.of(new long[] {low, low + random.nextInt(20)}));
            sets.add(set);
            b.add(rule, 6, set);
        }
        PortIndex index = b.build();
        for (int port = 0; port < 250; port++) {
            int p = port;
            int[] expected = java.util.stream.IntStream.range(0, sets.size()).filter(r -> sets.get(r).contains(p))
                    .toArray();
            assertArrayEquals(expected, index.rulesFor(6, port), "seed " + seed + " port " + port);
            assertArrayEquals(new int[0], index.rulesFor(17, port));
        }
    }
}
