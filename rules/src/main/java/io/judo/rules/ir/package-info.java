/**
 * The rule IR, neutral between front ends: inspection chains over named buffers (contents, regexes, byte keywords
 * with their absolute and relative constraints), flow-bit operations and numeric tests. The Suricata and judo front
 * ends parse into these types; the rule compilers lower them to VM code. Compile-time only: nothing here runs per
 * packet.
 */
package io.judo.rules.ir;
