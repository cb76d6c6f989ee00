/**
 * tcpdump's filter language (pcap-filter(7)) compiled to Judo programs with libpcap's semantics: the same packets are
 * selected as by {@code tcpdump -r FILE EXPRESSION}, which the differential tests check.
 */
package io.judo.rules.pcap;
