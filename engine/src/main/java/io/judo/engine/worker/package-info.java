/**
 * Flow-sharded workers: a reader thread hands each decoded packet, by a symmetric hash of its addresses
 * ({@link io.judo.engine.worker.FlowHash}), over a bounded single-producer ring ({@link io.judo.engine.worker.FrameRing})
 * to the worker that owns its flows ({@link io.judo.engine.worker.Workers}); each worker runs its own pipeline (a
 * {@link io.judo.engine.Partition} and its outputs) on its own thread, so nothing on the packet path is shared or
 * locked.
 */
package io.judo.engine.worker;
