package io.judo.vm.interp;

import io.judo.packet.decode.PacketView;
import io.judo.vm.AluOp;
import io.judo.vm.JumpOp;
import io.judo.vm.MetaField;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import io.judo.vm.verify.VerifiedProgram;
import java.nio.ByteBuffer;

/**
 * Runs a verified program over one packet at a time. Not thread-safe (registers are fields); one per worker. Allocates
 * nothing per packet. An opcode the verifier let through without an interpreter case is a bug
 * ({@link IllegalStateException}).
 */
public final class Interpreter implements ProgramRunner {
    private static final AluOp[] ALU = AluOp.values();
    private static final JumpOp[] JUMP = JumpOp.values();
    /** Metadata fields by code (the JIT's code reads it too). */
    static final MetaField[] META = MetaField.values();

    private final long[] code;
    private final int[] fail;
    private final int defaultVerdict;
    private final IntRangeSet[] intSets;
    private final CidrSet[] cidrSets;
    private final HelperTable helpers;
    private final long[] r = new long[Opcode.REGISTERS];
    private final long[] mem = new long[Opcode.MEMORY_SLOTS];
    private long executed;

    public Interpreter(VerifiedProgram verified, HelperTable helpers) {
        Program p = verified.program();
        this.code = p.code();
        this.fail = new int[code.length];
        for (int pc = 0; pc < code.length; pc++) {
            fail[pc] = p.failTarget(pc);
        }
        this.defaultVerdict = p.defaultVerdict();
        this.intSets = p.intSets().values().toArray(new IntRangeSet[0]);
        this.cidrSets = p.cidrSets().values().toArray(new CidrSet[0]);
        this.helpers = helpers;
    }

    /** Instructions executed so far (all runs). */
    public long executed() {
        return executed;
    }

    /** Register {@code i} after the last run (tests, debugging). */
    public long register(int i) {
        return r[i];
    }

    /**
     * Runs the program on the packet bound to {@code ctx}.
     *
     * @return the verdict (also in {@link PacketContext#verdict()}, with the rule id)
     */
    @Override
    public int run(PacketContext ctx) {
        return execute(ctx, 0, -1);
    }

    /**
     * Runs only the instructions of one rule region, from its first instruction: what a prefilter-driven engine does
     * for each candidate rule, instead of walking every region. The rule compilers that use this make each region
     * self-contained (every register written inside it before it is read).
     *
     * @return the verdict of a {@code ret} inside the region, or -1 when control left the region without one
     */
    @Override
    public int runRegion(PacketContext ctx, io.judo.vm.RuleRegion region) {
        return execute(ctx, region.start(), region.end());
    }

    private int execute(PacketContext ctx, int start, int stop) {
        final long[] code = this.code;
        final long[] r = this.r;
        final ByteBuffer buf = ctx.buffer;
        int pc = start;
        long steps = 0;
        ctx.refuel();
        while (true) {
            if (pc == stop) {
                executed += steps;
                return -1;
            }
            steps++;
            long insn = code[pc];
            int op = (int) (insn & 0xff);
            int dst = (int) (insn >>> 8) & 0xf;
            int src = (int) (insn >>> 12) & 0xf;
            int off = (short) (insn >>> 16);
            int imm = (int) (insn >>> 32);
            switch (op >>> 4) {
                case 0x1:
                    r[dst] = alu64(op & 0xf, r[dst], imm);
                    pc++;
                    continue;
                case 0x2:
                    r[dst] = alu64(op & 0xf, r[dst], r[src]);
                    pc++;
                    continue;
                case 0x3:
                    r[dst] = alu32(op & 0xf, (int) r[dst], imm);
                    pc++;
                    continue;
                case 0x4:
                    r[dst] = alu32(op & 0xf, (int) r[dst], (int) r[src]);
                    pc++;
                    continue;
                case 0x5:
                    if (op == 0x5a) {
                        pc += 1 + off;
                        continue;
                    }
                    if (op == 0x5b) { // jal: the offset is in imm
                        pc += 1 + imm;
                        continue;
                    }
                    if (op == 0x5c) { // jloop: backward, one unit of fuel; with none left it fails like a load
                        if (PacketContext.spendFuel(ctx)) {
                            pc += 1 + off;
                            continue;
                        }
                        pc = fail[pc];
                        if (pc < 0) {
                            executed += steps;
                            return exit(ctx, defaultVerdict, 0);
                        }
                        continue;
                    }
                    r[dst] = unary(op, r[dst]);
                    pc++;
                    continue;
                case 0x6:
                    pc += jump64(op & 0xf, r[dst], imm) ? 1 + off : 1;
                    continue;
                case 0x7:
                    pc += jump64(op & 0xf, r[dst], r[src]) ? 1 + off : 1;
                    continue;
                case 0x8:
                    pc += jump32(op & 0xf, (int) r[dst], imm) ? 1 + off : 1;
                    continue;
                case 0x9:
                    pc += jump32(op & 0xf, (int) r[dst], (int) r[src]) ? 1 + off : 1;
                    continue;
                case 0xa: {
                    int base = imm == 0 ? ctx.start : imm == 1 ? ctx.l3 : imm == 2 ? ctx.l4 : ctx.payload;
                    int size = 1 << (op & 3);
                    long at = (long) base + off + ((op & 4) != 0 ? r[src] : 0);
                    if (base < 0 || at < ctx.start || at + size > ctx.end) {
                        pc = fail[pc];
                        if (pc < 0) {
                            executed += steps;
                            return exit(ctx, defaultVerdict, 0);
                        }
                        continue;
                    }
                    int i = (int) at;
                    switch (size) {
                        case 1: r[dst] = buf.get(i) & 0xffL; break;
                        case 2: r[dst] = buf.getShort(i) & 0xffffL; break;
                        case 4: r[dst] = buf.getInt(i) & 0xffffffffL; break;
                        default: r[dst] = buf.getLong(i); break;
                    }
                    pc++;
                    continue;
                }
                case 0xb:
                    switch (op) {
                        case 0xb0: r[dst] = ctx.load(META[imm]); break;
                        case 0xb1: ctx.store(META[imm], r[src]); break;
                        case 0xb2: ctx.store(META[off], imm); break;
                        case 0xb4: r[dst] = mem[off]; break;
                        case 0xb5: mem[off] = r[src]; break;
                        default: throw unknown(op, pc);
                    }
                    pc++;
                    continue;
                case 0xc:
                    if (op == 0xc0) {
                        pc += intSets[imm].contains(r[dst]) ? 1 + off : 1;
                        continue;
                    }
                    if (op == 0xc1) {
                        int in = addressIn(ctx, cidrSets[imm], src);
                        if (in < 0) {
                            pc = fail[pc];
                            if (pc < 0) {
                                executed += steps;
                                return exit(ctx, defaultVerdict, 0);
                            }
                            continue;
                        }
                        pc += in == 1 ? 1 + off : 1;
                        continue;
                    }
                    throw unknown(op, pc);
                case 0xd:
                    if (op != 0xd0) {
                        throw unknown(op, pc);
                    }
                    r[0] = helpers.call(imm, ctx, r[1], r[2], r[3], r[4], r[5]);
                    pc++;
                    continue;
                case 0xe:
                    executed += steps;
                    if (op == 0xe0) {
                        return exit(ctx, off, imm);
                    }
                    if (op == 0xe1) {
                        return exitRegister(ctx, r[dst], defaultVerdict);
                    }
                    throw unknown(op, pc);
                default:
                    throw unknown(op, pc);
            }
        }
    }

    static int exit(PacketContext ctx, int verdict, long rule) {
        ctx.verdict = verdict;
        ctx.ruleId = rule;
        return verdict;
    }

    /** {@code retr}: the verdict in the low byte, the rule above; an invalid verdict exits with the default. */
    static int exitRegister(PacketContext ctx, long v, int defaultVerdict) {
        int verdict = (int) (v & 0xff);
        return verdict >= 1 && verdict <= 3 ? exit(ctx, verdict, v >>> 8) : exit(ctx, defaultVerdict, 0);
    }

    /**
     * {@code jaddr}: 1 when the packet's source ({@code which} 0) or destination address is in {@code set}, 0 when
     * not, -1 when the packet has no IP layer (the instruction fails like a load).
     */
    static int addressIn(PacketContext ctx, CidrSet set, int which) {
        PacketView v = ctx.view();
        if (v == null || v.ipVersion() == 0) {
            return -1;
        }
        int addr = which == 0 ? v.srcAddressOffset() : v.dstAddressOffset();
        return set.contains(ctx.buffer, addr, v.addressLength()) ? 1 : 0;
    }

    private static IllegalStateException unknown(int op, int pc) {
        return new IllegalStateException(String.format("opcode 0x%02x at %d passed the verifier but has no "
                + "interpreter case", op, pc));
    }

    /** The VM's 64-bit arithmetic (shared by the interpreter, the JIT and the optimizer's constant folding). */
    public static long alu64(int op, long a, long b) {
        switch (op) {
            case 0: return b;
            case 1: return a + b;
            case 2: return a - b;
            case 3: return a * b;
            case 4: return b == 0 ? 0 : Long.divideUnsigned(a, b);
            case 5: return b == 0 ? a : Long.remainderUnsigned(a, b);
            case 6: return a & b;
            case 7: return a | b;
            case 8: return a ^ b;
            case 9: return Long.compareUnsigned(b, 64) >= 0 ? 0 : a << b;
            case 10: return Long.compareUnsigned(b, 64) >= 0 ? 0 : a >>> b;
            case 11: return a >> (Long.compareUnsigned(b, 64) >= 0 ? 63 : b);
            default: throw new IllegalStateException("ALU op " + op + " (" + (op < ALU.length ? ALU[op] : "?") + ")");
        }
    }

    /** The VM's 32-bit arithmetic, result zero-extended. */
    public static long alu32(int op, int a, int b) {
        int v;
        switch (op) {
            case 0: v = b; break;
            case 1: v = a + b; break;
            case 2: v = a - b; break;
            case 3: v = a * b; break;
            case 4: v = b == 0 ? 0 : Integer.divideUnsigned(a, b); break;
            case 5: v = b == 0 ? a : Integer.remainderUnsigned(a, b); break;
            case 6: v = a & b; break;
            case 7: v = a | b; break;
            case 8: v = a ^ b; break;
            case 9: v = Integer.compareUnsigned(b, 32) >= 0 ? 0 : a << b; break;
            case 10: v = Integer.compareUnsigned(b, 32) >= 0 ? 0 : a >>> b; break;
            case 11: v = a >> (Integer.compareUnsigned(b, 32) >= 0 ? 31 : b); break;
            default: throw new IllegalStateException("ALU32 op " + op);
        }
        return v & 0xffffffffL;
    }

    static long unary(int op, long a) {
        switch (op) {
            case 0x50: return -a;
            case 0x51: return -(int) a & 0xffffffffL;
            case 0x52: return Short.reverseBytes((short) a) & 0xffffL;
            case 0x53: return Integer.reverseBytes((int) a) & 0xffffffffL;
            case 0x54: return Long.reverseBytes(a);
            default: throw new IllegalStateException(String.format("unary opcode 0x%02x", op));
        }
    }

    /** The VM's 64-bit comparisons. */
    public static boolean jump64(int op, long a, long b) {
        switch (op) {
            case 0: return a == b;
            case 1: return a != b;
            case 2: return Long.compareUnsigned(a, b) > 0;
            case 3: return Long.compareUnsigned(a, b) >= 0;
            case 4: return Long.compareUnsigned(a, b) < 0;
            case 5: return Long.compareUnsigned(a, b) <= 0;
            case 6: return a > b;
            case 7: return a >= b;
            case 8: return a < b;
            case 9: return a <= b;
            case 10: return (a & b) != 0;
            default: throw new IllegalStateException("jump op " + op + " (" + (op < JUMP.length ? JUMP[op] : "?") + ")");
        }
    }

    /** The VM's 32-bit comparisons. */
    public static boolean jump32(int op, int a, int b) {
        switch (op) {
            case 0: return a == b;
            case 1: return a != b;
            case 2: return Integer.compareUnsigned(a, b) > 0;
            case 3: return Integer.compareUnsigned(a, b) >= 0;
            case 4: return Integer.compareUnsigned(a, b) < 0;
            case 5: return Integer.compareUnsigned(a, b) <= 0;
            case 6: return a > b;
            case 7: return a >= b;
            case 8: return a < b;
            case 9: return a <= b;
            case 10: return (a & b) != 0;
            default: throw new IllegalStateException("jump32 op " + op);
        }
    }
}
