/**
 * The optimizer: small passes over a verified program, each reporting whether it changed anything, run to a fixed
 * point with a cap ({@link io.judo.vm.opt.Optimizer}). Every pass keeps the program's observable behaviour (verdict,
 * rule, metadata, helper calls, failed-load paths); {@code OptimizerProperties} checks that on random programs.
 */
package io.judo.vm.opt;
