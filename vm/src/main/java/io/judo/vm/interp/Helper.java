package io.judo.vm.interp;

/** An implementation of one helper. Called on the packet path: must not allocate per call. */
@FunctionalInterface
public interface Helper {
    /** @return the value for r0 */
    long call(PacketContext ctx, long r1, long r2, long r3, long r4, long r5);
}
