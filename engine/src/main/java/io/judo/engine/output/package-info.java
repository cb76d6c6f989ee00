/**
 * Where a partition's results go: Suricata EVE JSON lines ({@link io.judo.engine.output.EveWriter}), the Chronicle
 * Queue journal ({@link io.judo.engine.output.JournalOutput}), and packets as the rules leave them, into a capture or
 * onto a link ({@link io.judo.engine.output.RewriteOutput} over a {@link io.judo.engine.output.FrameSink}); with
 * several workers, {@link io.judo.engine.worker.OrderedFrames} puts the written packets back in input order. The
 * {@code judo} command only parses options and picks these.
 */
package io.judo.engine.output;
