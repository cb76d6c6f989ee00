/**
 * The match journal: every alert, verdict, rewrite, remap and stream anomaly as one binary, versioned record
 * ({@link io.judo.journal.JournalEvent}) in a Chronicle Queue directory, written by one
 * {@link io.judo.journal.JournalWriter} per pipeline thread without allocation per event, read back by
 * {@link io.judo.journal.JournalReader} for {@code judo journal stats/query/tail}. The directory is the only state.
 */
package io.judo.journal;
