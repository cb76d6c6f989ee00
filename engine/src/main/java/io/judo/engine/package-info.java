/**
 * The pipeline and its embedding API. {@link io.judo.engine.Partition} is the unit: one flow path (defragmentation,
 * flow table, TCP reassembly) and the rule stages over it, giving one {@link io.judo.engine.Decision} per packet;
 * {@link io.judo.engine.Programs} holds what every partition of a run shares (compiled rules, prefilter databases,
 * JIT-compiled classes); {@link io.judo.engine.Pipeline} runs a run's partitions with their outputs, on one thread or
 * on flow-sharded workers ({@code engine.worker}); {@link io.judo.engine.CaptureScanner} reads and counts captures
 * (whole, or as one shard of several); {@link io.judo.engine.StreamTap} gives the reassembled streams to commands that
 * want them rather than verdicts. See engine/DESIGN.md.
 *
 * <p>No static mutable state: everything is configured through constructors, so several partitions (one per worker,
 * or one per subtask inside a stream processor) run side by side.
 */
package io.judo.engine;
