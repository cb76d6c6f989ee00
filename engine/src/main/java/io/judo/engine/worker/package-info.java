/**
 * Flow-sharded workers. Each worker owns one {@link io.judo.engine.Partition} (and its outputs) on a thread of its own,
 * and a symmetric hash of a packet's address pair ({@link io.judo.engine.worker.FlowHash}) says which worker owns it,
 * so nothing on the packet path is shared or locked. Capture files are read by every worker, each taking its own
 * packets ({@link io.judo.engine.CaptureScanner#shard}, threads run by {@link io.judo.engine.worker.Threads});
 * standard input and ordered outputs go through one reader that hands frames over bounded single-producer rings
 * ({@link io.judo.engine.worker.Workers}, {@link io.judo.engine.worker.FrameRing}), the written frames put back in
 * input order by {@link io.judo.engine.worker.OrderedFrames}.
 */
package io.judo.engine.worker;
