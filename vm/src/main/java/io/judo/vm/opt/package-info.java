/**
 * The optimizer: small passes over a verified program, each reporting whether it changed anything, run to a fixed
 * point with a cap ({@link io.judo.vm.opt.Optimizer}), after one specialization of rule lists on a tested value
 * ({@code ValueDispatch}). Every pass keeps the program's observable behaviour (verdict, rule, metadata, helper calls,
 * failed-load paths); {@code OptimizerProperties} and {@code ValueDispatchProperties} check that on random programs
 * and random rule lists. Liveness is shared ({@code Liveness}).
 */
package io.judo.vm.opt;
