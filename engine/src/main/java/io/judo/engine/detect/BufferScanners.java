package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.matcher.MatchSink;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.Scanner;
import io.judo.rules.suricata.CompiledRuleSet;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * One application layer's share of the transaction hook's prefilter: a scanner over the hook's shared database for
 * each prefilter buffer the layer fills, marking the candidates of the fast patterns found. The layer's inspection
 * says which buffers it takes and walks their elements; this holds the scanners, their sinks and the wrappers so
 * that scanning allocates nothing in steady state.
 */
final class BufferScanners implements AutoCloseable {
    private final int[] buffers;
    private final Scanner[] scanners;
    private final MatchSink[] sinks;
    private final BufferWrappers wrappers;
    private final Slice slice = new Slice();

    /**
     * @param code the transaction hook's code (its per-buffer prefilters)
     * @param dbs the hook's databases, parallel to {@code code.buffers()}
     * @param takes which prefilter buffer ids (rows or derived buffers) the layer fills
     * @param candidates the marks scanning sets
     */
    BufferScanners(CompiledRuleSet.HookCode code, PatternDatabase[] dbs, IntPredicate takes, Candidates candidates) {
        List<CompiledRuleSet.BufferPrefilter> prefilters = code.buffers();
        int n = 0;
        for (CompiledRuleSet.BufferPrefilter p : prefilters) {
            n += takes.test(p.buffer()) ? 1 : 0;
        }
        this.buffers = new int[n];
        this.scanners = new Scanner[n];
        this.sinks = new MatchSink[n];
        this.wrappers = new BufferWrappers(n);
        int k = 0;
        for (int i = 0; i < prefilters.size(); i++) {
            if (!takes.test(prefilters.get(i).buffer())) {
                continue;
            }
            int[][] rules = prefilters.get(i).rulesOfPattern();
            buffers[k] = prefilters.get(i).buffer();
            scanners[k] = dbs[i] == null ? null : dbs[i].scanner();
            sinks[k] = (id, start, end) -> candidates.mark(rules[id]);
            k++;
        }
    }

    /** The layer's prefilter buffers, numbered from 0. */
    int size() {
        return buffers.length;
    }

    /** The buffer id of prefilter buffer {@code i}. */
    int buffer(int i) {
        return buffers[i];
    }

    /** Scans {@code bytes[0, length)} (the stream window) as prefilter buffer {@code i}. */
    void scan(int i, byte[] bytes, int length) {
        if (scanners[i] != null && length > 0) {
            scanners[i].scan(wrappers.wrap(i, bytes), 0, length, sinks[i]);
        }
    }

    /** Scans elements 0 to {@code n - 1} of prefilter buffer {@code i} in {@code source}, leaving element 0 current. */
    void scanElements(int i, ElementBuffers source, int n) {
        if (scanners[i] == null) {
            return;
        }
        for (int k = 0; k < n; k++) {
            source.element(k);
            if (source.fill(buffers[i], slice) && slice.length > 0) {
                scanners[i].scan(wrappers.wrap(i, slice.array), slice.offset, slice.length, sinks[i]);
            }
        }
        source.element(0);
    }

    /** Per scanner, whether its buffer is the packet data (the stream chunk); made on the first use. */
    private boolean[] chunk;

    /**
     * For layers with one element per buffer (SSH, FTP): scans each buffer {@code source} fills, and {@code window}
     * (the stream chunk: null for none) with the scanners of the packet data's fast patterns.
     */
    void scanOneEachAndChunk(ElementBuffers source, byte[] window, int windowLength) {
        if (chunk == null) {
            chunk = new boolean[buffers.length];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = source.baseOf(buffers[i]) == io.judo.vm.Buffer.STREAM;
            }
        }
        for (int i = 0; i < chunk.length; i++) {
            if (!chunk[i]) {
                scanElements(i, source, 1);
            } else if (window != null) {
                scan(i, window, windowLength);
            }
        }
    }

    @Override
    public void close() {
        for (Scanner s : scanners) {
            if (s != null) {
                s.close();
            }
        }
    }
}
