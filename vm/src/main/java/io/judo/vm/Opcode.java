package io.judo.vm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One row of the instruction table. The table ({@link #all()}) is the single definition of the instruction set:
 * the assembler looks mnemonics up in it, the disassembler prints from it and the verifier accepts only its codes.
 * {@code OpcodeTableTest} fails for a row without an interpreter case or a golden example.
 *
 * <p>Code layout: ALU64 imm {@code 0x10+op}, reg {@code 0x20+op}; ALU32 imm {@code 0x30+op}, reg {@code 0x40+op};
 * unary {@code 0x50-0x54}; {@code ja 0x5a}, {@code jal 0x5b}, {@code jloop 0x5c}; JMP64 imm {@code 0x60+op}, reg {@code 0x70+op}; JMP32 imm
 * {@code 0x80+op}, reg {@code 0x90+op}; loads {@code 0xa0+size} (size 0..3 for 1, 2, 4, 8 bytes), indexed
 * {@code 0xa4+size}; metadata {@code 0xb0-0xb2}; scratch memory {@code 0xb4-0xb5}; set jumps {@code 0xc0-0xc1};
 * {@code call 0xd0}; {@code ret 0xe0}, {@code retr 0xe1}.
 */
public final class Opcode {
    public static final int ALU64_IMM = 0x10;
    public static final int ALU64_REG = 0x20;
    public static final int ALU32_IMM = 0x30;
    public static final int ALU32_REG = 0x40;
    public static final int NEG = 0x50;
    public static final int NEG32 = 0x51;
    public static final int BSWAP16 = 0x52;
    public static final int BSWAP32 = 0x53;
    public static final int BSWAP64 = 0x54;
    public static final int JA = 0x5a;
    /** {@code jal}: unconditional jump with a 32-bit offset in imm (eBPF's gotol), for targets beyond 32,767. */
    public static final int JAL = 0x5b;
    /**
     * {@code jloop}: an unconditional backward jump ({@code off < 0}) that spends one unit of the run's fuel; with no
     * fuel left it fails like a load at that pc (docs/ISA.md, "Bounded loops"). The only backward jump.
     */
    public static final int JLOOP = 0x5c;
    public static final int JMP64_IMM = 0x60;
    public static final int JMP64_REG = 0x70;
    public static final int JMP32_IMM = 0x80;
    public static final int JMP32_REG = 0x90;
    public static final int LD = 0xa0;
    public static final int LDX = 0xa4;
    public static final int LDM = 0xb0;
    public static final int STM = 0xb1;
    public static final int STM_IMM = 0xb2;
    public static final int LDMEM = 0xb4;
    public static final int STMEM = 0xb5;
    public static final int JIN = 0xc0;
    public static final int JADDR = 0xc1;
    public static final int CALL = 0xd0;
    public static final int RET = 0xe0;
    public static final int RETR = 0xe1;

    /** Registers r0..r15. */
    public static final int REGISTERS = 16;
    /** Scratch memory slots M[0]..M[63]. */
    public static final int MEMORY_SLOTS = 64;
    /** Load sizes by size code. */
    static final int[] SIZES = {1, 2, 4, 8};
    private static final String[] SIZE_SUFFIX = {"b", "h", "w", "d"};

    private static final Opcode[] BY_CODE = new Opcode[256];
    private static final List<Opcode> ALL;

    static {
        List<Opcode> rows = new ArrayList<>();
        for (AluOp op : AluOp.values()) {
            int i = op.ordinal();
            rows.add(new Opcode(ALU64_IMM + i, op.mnemonic(), Format.REG_IMM, Kind.ALU64));
            rows.add(new Opcode(ALU64_REG + i, op.mnemonic(), Format.REG_REG, Kind.ALU64));
            rows.add(new Opcode(ALU32_IMM + i, op.mnemonic() + "32", Format.REG_IMM, Kind.ALU32));
            rows.add(new Opcode(ALU32_REG + i, op.mnemonic() + "32", Format.REG_REG, Kind.ALU32));
        }
        rows.add(new Opcode(NEG, "neg", Format.REG, Kind.UNARY));
        rows.add(new Opcode(NEG32, "neg32", Format.REG, Kind.UNARY));
        rows.add(new Opcode(BSWAP16, "bswap16", Format.REG, Kind.UNARY));
        rows.add(new Opcode(BSWAP32, "bswap32", Format.REG, Kind.UNARY));
        rows.add(new Opcode(BSWAP64, "bswap64", Format.REG, Kind.UNARY));
        rows.add(new Opcode(JA, "ja", Format.JUMP, Kind.JUMP));
        rows.add(new Opcode(JAL, "jal", Format.JUMP_LONG, Kind.JUMP));
        rows.add(new Opcode(JLOOP, "jloop", Format.JUMP, Kind.JUMP));
        for (JumpOp op : JumpOp.values()) {
            int i = op.ordinal();
            rows.add(new Opcode(JMP64_IMM + i, op.mnemonic(), Format.JUMP_IMM, Kind.JUMP64));
            rows.add(new Opcode(JMP64_REG + i, op.mnemonic(), Format.JUMP_REG, Kind.JUMP64));
            rows.add(new Opcode(JMP32_IMM + i, op.mnemonic() + "32", Format.JUMP_IMM, Kind.JUMP32));
            rows.add(new Opcode(JMP32_REG + i, op.mnemonic() + "32", Format.JUMP_REG, Kind.JUMP32));
        }
        for (int size = 0; size < 4; size++) {
            rows.add(new Opcode(LD + size, "ld" + SIZE_SUFFIX[size], Format.LOAD, Kind.LOAD));
            rows.add(new Opcode(LDX + size, "ld" + SIZE_SUFFIX[size], Format.LOAD_INDEXED, Kind.LOAD));
        }
        rows.add(new Opcode(LDM, "ldm", Format.META_LOAD, Kind.META_LOAD));
        rows.add(new Opcode(STM, "stm", Format.META_STORE_REG, Kind.META_STORE));
        rows.add(new Opcode(STM_IMM, "stm", Format.META_STORE_IMM, Kind.META_STORE));
        rows.add(new Opcode(LDMEM, "ldmem", Format.MEM_LOAD, Kind.MEM_LOAD));
        rows.add(new Opcode(STMEM, "stmem", Format.MEM_STORE, Kind.MEM_STORE));
        rows.add(new Opcode(JIN, "jin", Format.JUMP_SET, Kind.JUMP_SET));
        rows.add(new Opcode(JADDR, "jaddr", Format.JUMP_ADDR, Kind.JUMP_ADDR));
        rows.add(new Opcode(CALL, "call", Format.CALL, Kind.CALL));
        rows.add(new Opcode(RET, "ret", Format.RET, Kind.EXIT));
        rows.add(new Opcode(RETR, "retr", Format.RET_REG, Kind.EXIT));
        for (Opcode o : rows) {
            if (BY_CODE[o.code] != null) {
                throw new ExceptionInInitializerError("duplicate opcode 0x" + Integer.toHexString(o.code));
            }
            BY_CODE[o.code] = o;
        }
        ALL = Collections.unmodifiableList(rows);
    }

    private final int code;
    private final String mnemonic;
    private final Format format;
    private final Kind kind;

    private Opcode(int code, String mnemonic, Format format, Kind kind) {
        this.code = code;
        this.mnemonic = mnemonic;
        this.format = format;
        this.kind = kind;
    }

    /** Every row of the table, in code order of definition. */
    public static List<Opcode> all() {
        return ALL;
    }

    /** The row for a code, or null when the code is not an instruction. */
    public static Opcode of(int code) {
        return code >= 0 && code < 256 ? BY_CODE[code] : null;
    }

    public int code() {
        return code;
    }

    public String mnemonic() {
        return mnemonic;
    }

    public Format format() {
        return format;
    }

    public Kind kind() {
        return kind;
    }

    /** Bytes a load reads (loads only). */
    public int loadSize() {
        return SIZES[code & 3];
    }

    /**
     * True for the unconditional forward jumps ({@code ja}, {@code jal}): control never falls through. Not
     * {@code jloop}, which never falls through either but may fail ({@link #isLoop}).
     */
    public static boolean isGoto(int code) {
        return code == JA || code == JAL;
    }

    /** True for {@code jloop}, the bounded backward jump. */
    public static boolean isLoop(int code) {
        return code == JLOOP;
    }

    /** The offset of a jump instruction: off, or imm for {@code jal}. Its target is {@code pc + 1 + offset}. */
    public static int jumpOffset(long insn) {
        return Insn.op(insn) == JAL ? Insn.imm(insn) : Insn.off(insn);
    }

    /** True for any instruction that may transfer control to {@code pc + 1 + offset} ({@link #jumpOffset}). */
    public boolean branches() {
        return kind == Kind.JUMP || kind == Kind.JUMP64 || kind == Kind.JUMP32 || kind == Kind.JUMP_SET
                || kind == Kind.JUMP_ADDR;
    }

    /** The jump target of {@code insn} at {@code pc}, or -1 when it does not branch. */
    public static int jumpTarget(long insn, int pc) {
        Opcode o = of(Insn.op(insn));
        return o != null && o.branches() ? pc + 1 + jumpOffset(insn) : -1;
    }

    /**
     * The registers (bit i for ri) an instruction with these fields reads: what liveness and the JIT's register
     * traffic are computed from. A {@code mov} reads only its source; a call reads its arguments r1-r5.
     */
    public static int registersRead(int op, int dst, int src) {
        int d = 1 << dst;
        int s = 1 << src;
        int group = op & 0xf0;
        boolean mov = (op & 0xf) == AluOp.MOV.ordinal();
        if (group == ALU64_IMM || group == ALU32_IMM) {
            return mov ? 0 : d;
        }
        if (group == ALU64_REG || group == ALU32_REG) {
            return mov && group == ALU64_REG ? s : d | s;
        }
        if (op >= NEG && op <= BSWAP64 || group == JMP64_IMM || group == JMP32_IMM || op == JIN || op == RETR) {
            return d;
        }
        if (group == JMP64_REG || group == JMP32_REG) {
            return d | s;
        }
        if (op >= LDX && op < LDX + 4 || op == STM || op == STMEM) {
            return s;
        }
        return op == CALL ? 0b111110 : 0;
    }

    /** The registers an instruction writes; a call writes r0 and leaves r1-r5 undefined, so it counts as all six. */
    public static int registersWritten(int op, int dst) {
        if (op == CALL) {
            return 0b111111;
        }
        return op >= ALU64_IMM && op < JA || (op & 0xf8) == LD || op == LDM || op == LDMEM ? 1 << dst : 0;
    }

    @Override
    public String toString() {
        return mnemonic + "/" + format + "(0x" + Integer.toHexString(code) + ")";
    }
}
