/**
 * Detection: runs a compiled Suricata/Snort rule set over decoded packets and reassembled TCP streams. The
 * {@link io.judo.engine.detect.Detector} owns the flow table and reassembler for its partition, prefilters each buffer
 * with the rule set's pattern database, runs each candidate rule's VM region and binds the {@code inspect} and
 * {@code alert} helpers; {@link io.judo.engine.detect.Alert}s go to a sink.
 */
package io.judo.engine.detect;
