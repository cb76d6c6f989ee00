/**
 * Transmit queueing for {@code judo inline}: the queues a judo policy declares ({@code queue NAME rate R prio P}),
 * each a bounded FIFO behind a token bucket, served in strict priority order per interface.
 */
package io.judo.engine.queue;
