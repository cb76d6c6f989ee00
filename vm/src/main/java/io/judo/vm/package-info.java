/**
 * The Judo virtual machine: its instruction set ({@link io.judo.vm.Opcode}, one table from which the assembler,
 * disassembler and verifier derive), programs with constant pools and rule regions ({@link io.judo.vm.Program}),
 * and packet metadata ({@link io.judo.vm.MetaField}). See docs/ISA.md for the reference.
 */
package io.judo.vm;
