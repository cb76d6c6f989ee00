/**
 * Constant pools a program refers to by index: integer range sets (ports, protocol numbers), CIDR sets (IPv4 and
 * IPv6), byte strings and pattern-database declarations. All immutable once built and shared by every thread.
 */
package io.judo.vm.pool;
