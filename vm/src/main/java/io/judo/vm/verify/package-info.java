/**
 * Load-time verification: {@link io.judo.vm.verify.Verifier} turns a {@link io.judo.vm.Program} into a
 * {@link io.judo.vm.verify.VerifiedProgram} or rejects it with the instruction and the reason.
 */
package io.judo.vm.verify;
