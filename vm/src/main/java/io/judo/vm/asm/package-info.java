/**
 * Building programs: {@link io.judo.vm.asm.ProgramBuilder} (labels, pools, rule regions; what compilers use), the text
 * {@link io.judo.vm.asm.Assembler} and {@link io.judo.vm.asm.Disassembler} (whose output the assembler reads back to
 * the same program), and {@link io.judo.vm.asm.ProgramCodec}, the binary file form.
 */
package io.judo.vm.asm;
