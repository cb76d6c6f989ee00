package io.judo.vm;

/**
 * The instruction word: {@code op:8 dst:4 src:4 off:16 imm:32}, least significant first, in one {@code long}
 * (eBPF's proven layout). Static helpers only; instructions live in {@code long[]}.
 */
public final class Insn {
    private Insn() {
    }

    public static long encode(int op, int dst, int src, int off, int imm) {
        return (op & 0xffL) | ((dst & 0xfL) << 8) | ((src & 0xfL) << 12) | ((off & 0xffffL) << 16)
                | ((long) imm << 32);
    }

    public static int op(long insn) {
        return (int) (insn & 0xff);
    }

    public static int dst(long insn) {
        return (int) (insn >>> 8) & 0xf;
    }

    public static int src(long insn) {
        return (int) (insn >>> 12) & 0xf;
    }

    /** Signed 16-bit offset. */
    public static int off(long insn) {
        return (short) (insn >>> 16);
    }

    /** Signed 32-bit immediate. */
    public static int imm(long insn) {
        return (int) (insn >>> 32);
    }
}
