/**
 * Running programs: the {@link io.judo.vm.interp.Interpreter}, the per-packet {@link io.judo.vm.interp.PacketContext},
 * and the helper SPI ({@link io.judo.vm.interp.Helper}, typed {@link io.judo.vm.interp.HelperPrototype}s in
 * {@link io.judo.vm.interp.Helpers}) through which the engine binds matching, rewriting and logging without the VM
 * depending on those modules.
 */
package io.judo.vm.interp;
