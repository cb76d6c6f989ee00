/**
 * The Judo virtual machine: its instruction set ({@link io.judo.vm.Opcode}, one table from which the assembler,
 * disassembler and verifier derive), programs with constant pools and rule regions ({@link io.judo.vm.Program}),
 * packet metadata ({@link io.judo.vm.MetaField}), the buffer table programs inspect ({@link io.judo.vm.Buffer}) and
 * the transforms a rule applies to a buffer ({@link io.judo.vm.Transform}). See docs/ISA.md for the reference.
 * {@link io.judo.vm.Background} runs a large rule set's independent compile-time work on the other cores.
 */
package io.judo.vm;
