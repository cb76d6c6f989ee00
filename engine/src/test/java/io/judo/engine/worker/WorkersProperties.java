package io.judo.engine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.judo.engine.CaptureScanner;
import io.judo.engine.Partition;
import io.judo.engine.PartitionFixture;
import io.judo.engine.Programs;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Flow sharding must not change what any flow sees: random traffic (the seeded generator's mix of TCP both ways,
 * IPv4/IPv6, VLANs, UDP fragments, ICMP) through one partition and through N workers gives every flow the same alerts
 * and policy log lines in the same order.
 */
class WorkersProperties {
    private static Programs programs;

    @BeforeContainer
    static void compile() {
        programs = PartitionFixture.programs(true, true);
    }

    @AfterContainer
    static void release() {
        programs.close();
    }

    @Property(tries = 12)
    void everyFlowSeesTheSameWithAnyNumberOfWorkers(@ForAll long seed, @ForAll @IntRange(min = 50, max = 3000) int packets,
            @ForAll @IntRange(min = 2, max = 5) int workers) {
        byte[] capture = PartitionFixture.traffic(seed, packets);
        PartitionFixture.Outputs one = run(capture, 1);
        PartitionFixture.Outputs many = run(capture, workers);
        assertFalse(one.byFlow.isEmpty(), "the mix has flows");
        assertEquals(one.byFlow, many.byFlow, "seed " + seed + ", " + packets + " packets, " + workers + " workers");
    }

    /** Runs {@code capture} through {@code n} workers (1: the partition on this thread), every flow's outputs. */
    static PartitionFixture.Outputs run(byte[] capture, int n) {
        List<PartitionFixture.Outputs> outs = new ArrayList<>();
        List<Partition> partitions = new ArrayList<>();
        List<CaptureScanner.PacketListener> lanes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PartitionFixture.Outputs o = new PartitionFixture.Outputs();
            Partition p = PartitionFixture.partition(programs, o);
            outs.add(o);
            partitions.add(p);
            lanes.add(p::packet);
        }
        if (n == 1) {
            PartitionFixture.replay(capture, lanes.get(0));
        } else {
            Workers w = new Workers(lanes, "test-worker");
            PartitionFixture.replay(capture, w);
            w.finish();
        }
        PartitionFixture.Outputs all = new PartitionFixture.Outputs();
        for (int i = 0; i < n; i++) {
            partitions.get(i).finish();
            partitions.get(i).close();
            all.addAll(outs.get(i));
        }
        return all;
    }
}
