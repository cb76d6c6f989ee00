/**
 * Rule front ends: each turns its language into one verified VM program. Today: tcpdump's filter language
 * ({@link io.judo.rules.pcap.FilterCompiler}) and classic BPF as {@code tcpdump -ddd} prints it
 * ({@link io.judo.rules.cbpf.CbpfImporter}). Errors are {@link io.judo.rules.SyntaxError}s with a column and a caret.
 */
package io.judo.rules;
