package io.judo.vm.interp;

import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;

/**
 * The registers, scratch slots and tables of a program whose chunks span several generated classes: the holders'
 * static chunk methods read and write these fields as a single-class program's methods read its own. A plain class
 * (not hidden) because hidden classes cannot name one another; field access to it costs what it costs on a hidden one.
 */
final class JitState implements JitCompiler.Body {
    long r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15;
    long m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15;
    long m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31;
    long m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47;
    long m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60, m61, m62, m63;
    final IntRangeSet[] intSets;
    final CidrSet[] cidrSets;
    final HelperTable helpers;
    private final int[] chunkOf;
    private final int[] holderOf;
    private final JitHolder[] holders;

    JitState(IntRangeSet[] intSets, CidrSet[] cidrSets, HelperTable helpers, int[] chunkOf, int[] holderOf,
            JitHolder[] holders) {
        this.intSets = intSets;
        this.cidrSets = cidrSets;
        this.helpers = helpers;
        this.chunkOf = chunkOf;
        this.holderOf = holderOf;
        this.holders = holders;
    }

    @Override
    public int runFrom(PacketContext ctx, int start, int stop) {
        int pc = start;
        while (true) {
            int chunk = chunkOf[pc];
            int r = holders[holderOf[chunk]].run(this, ctx, pc, stop, chunk);
            if (r < JitCompiler.CONTINUE) {
                return r;
            }
            pc = r - JitCompiler.CONTINUE;
        }
    }
}
