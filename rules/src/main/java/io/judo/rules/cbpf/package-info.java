/**
 * Classic BPF import: programs as {@code tcpdump -ddd} prints them, translated instruction by instruction into Judo
 * programs with the same result on every packet.
 */
package io.judo.rules.cbpf;
