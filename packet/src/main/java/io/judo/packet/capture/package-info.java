/**
 * Capture files: pcap and pcapng readers that stream a file of any size through one reusable buffer, and a pcap
 * writer.
 *
 * <p>A reader hands out {@link io.judo.packet.capture.PacketRecord}s that point into its buffer (zero copy); a
 * record stays valid until the next call to {@code next}. A cut-short or corrupt record is reported as a
 * {@link io.judo.packet.capture.ReadStatus} with its byte offset, never thrown past the reader. Only a file that is
 * not a capture at all (bad magic, bad section header) raises {@link io.judo.packet.capture.CaptureFormatException}.
 */
package io.judo.packet.capture;
