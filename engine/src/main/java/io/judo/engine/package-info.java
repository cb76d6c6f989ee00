/**
 * The pipeline and its embedding API. Today: {@link io.judo.engine.CaptureScanner} runs captures through decoding and
 * flow accounting and reports per-file outcomes; later issues add flows, reassembly, the VM and its helpers here.
 *
 * <p>No static mutable state: everything is configured through constructors, so several scanners (one per worker,
 * or one per partition inside a stream processor) can run side by side.
 */
package io.judo.engine;
