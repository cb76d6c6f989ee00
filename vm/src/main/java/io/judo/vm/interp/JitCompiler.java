package io.judo.vm.interp;

import io.judo.vm.Insn;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.RuleRegion;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import io.judo.vm.verify.VerifiedProgram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Compiles a verified program to JVM bytecode: one hidden class per program, the VM's registers and scratch slots as
 * local variables, each jump a {@code goto} (a {@code jloop} after the interpreter's fuel step, a backward one), loads
 * bounds-checked as the interpreter checks them, ALU operations and conditional jumps as JVM arithmetic and compares,
 * small integer and IPv4 address sets as compares; division, modulo, register shifts, large sets and exits through the
 * interpreter's own static operations, helpers as direct calls. So the compiled program is the interpreter's
 * semantics without its dispatch loop. Always optional: any failure (a method over the JVM's 64 KB limit, an
 * unexpected opcode) returns the interpreter with the reason.
 */
public final class JitCompiler {
    /** The runner and, when the interpreter was used instead, why. */
    public record Result(ProgramRunner runner, String fallbackReason) {
        public boolean compiled() {
            return fallbackReason == null;
        }
    }

    /** What a compiled program implements (package-private: the hidden class lives in this package). */
    interface Body {
        int runFrom(PacketContext ctx, int start, int stop);
    }

    private static final String CTX = Type.getInternalName(PacketContext.class);
    private static final String INTERP = Type.getInternalName(Interpreter.class);
    private static final String BUF = Type.getInternalName(ByteBuffer.class);
    private static final int THIS = 0;
    private static final int CTX_SLOT = 1;
    private static final int START = 2;
    private static final int STOP = 3;
    private static final int BUF_SLOT = 4;
    private static final int BASE = 5;
    private static final int AT = 6;
    private static final int REG = 8;
    private static final int MEM = REG + 2 * Opcode.REGISTERS;
    /** A local for the decoded view in an address test. */
    private static final int VIEW = MEM + 2 * Opcode.MEMORY_SLOTS;
    /** Registers and scratch slots, numbered as the chunks' masks number them: r0-r15, then M[0]-M[63]. */
    private static final int VALUES = Opcode.REGISTERS + Opcode.MEMORY_SLOTS;
    /** Integer sets (and IPv4 address sets) of at most this many ranges are tested by compares in the chunk. */
    static final int INLINE_RANGES = 8;
    /** Most VM instructions per JVM method. */
    static final int CHUNK = 1024;
    /**
     * Estimated bytecode bytes per JVM method: HotSpot compiles no method over 8,000 bytes (it stays interpreted), so
     * a chunk closes before its estimate passes this. Larger chunks mean fewer crossings between methods, each of
     * which costs a return to the dispatcher and register traffic through fields (100 header rules: 127 ns with
     * 2,000, 115 with 4,000, 107 with 7,000; 1,000 rules 1,237 / 890 / 706 ns).
     */
    static final int CHUNK_BYTES = 7_000;
    /** A chunk's "continue at pc" result is this plus the pc (verdicts are 1-3, a region's stop -1). */
    static final int CONTINUE = 16;
    private static int counter;

    private JitCompiler() {
    }

    /** Compiles {@code verified}; falls back to an {@link Interpreter} on any failure. */
    public static Result compile(VerifiedProgram verified, HelperTable helpers) {
        return compile(verified, helpers, CHUNK);
    }

    /** As {@link #compile(VerifiedProgram, HelperTable)} with {@code chunk} instructions per method (tests). */
    static Result compile(VerifiedProgram verified, HelperTable helpers, int chunk) {
        return template(verified, helpers, chunk).runner(helpers);
    }

    /**
     * A program compiled once to a JVM class, instantiated per helper table: each partition of a run binds its own
     * helpers (its flow state, its alert sink) to one class, so HotSpot compiles and profiles the program's methods
     * once for every worker instead of once per worker. The tables must bind the same {@link BufferOps} builtins
     * ({@link BufferOps#bind} of the same program does), which the class calls statically.
     */
    public static final class Template {
        private final VerifiedProgram verified;
        private final java.lang.invoke.MethodHandle constructor;
        private final int[] chunkOf;
        private final String fallbackReason;
        /** For a program split over several classes: each chunk's holder, and the holders (else null). */
        private final int[] holderOf;
        private final JitHolder[] holders;

        private Template(VerifiedProgram verified, java.lang.invoke.MethodHandle constructor, int[] chunkOf,
                String fallbackReason, int[] holderOf, JitHolder[] holders) {
            this.verified = verified;
            this.constructor = constructor;
            this.chunkOf = chunkOf;
            this.fallbackReason = fallbackReason;
            this.holderOf = holderOf;
            this.holders = holders;
        }

        /** How many generated classes hold the program's chunks (0 when the interpreter runs it). */
        int classes() {
            return holders != null ? holders.length : constructor != null ? 1 : 0;
        }

        /** The program over {@code helpers}: the compiled class's new instance, or an interpreter if it declined. */
        public Result runner(HelperTable helpers) {
            if (holders != null) {
                return new Result(new Compiled(new JitState(
                        verified.program().intSets().values().toArray(new IntRangeSet[0]),
                        verified.program().cidrSets().values().toArray(new CidrSet[0]), helpers, chunkOf, holderOf,
                        holders)), null);
            }
            if (constructor == null) {
                return new Result(new Interpreter(verified, helpers), fallbackReason);
            }
            try {
                Object body = constructor.invoke(verified.program().intSets().values().toArray(new IntRangeSet[0]),
                        verified.program().cidrSets().values().toArray(new CidrSet[0]), helpers, chunkOf);
                return new Result(new Compiled((Body) body), null);
            } catch (Throwable t) { // the interpreter is always right
                return new Result(new Interpreter(verified, helpers), t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            }
        }
    }

    /**
     * Compiles {@code verified} once for many helper tables; {@code builtins} says which helpers are the VM's own
     * (a table {@link BufferOps#bind} filled for this program).
     */
    public static Template template(VerifiedProgram verified, HelperTable builtins) {
        return template(verified, builtins, CHUNK);
    }

    static Template template(VerifiedProgram verified, HelperTable builtins, int chunk) {
        return template(verified, builtins, chunk, CLASS_ENTRIES);
    }

    /**
     * As {@link #template(VerifiedProgram, HelperTable)} with at most about {@code entries} constant-pool entries per
     * class: a program estimated under that is one class, a larger one is split over holder classes. An estimate
     * that proves short (ASM's ClassTooLargeException) halves the budget and tries again.
     */
    static Template template(VerifiedProgram verified, HelperTable builtins, int chunk, int entries) {
        try {
            Program p = verified.program();
            int[] chunkOf = chunkOf(p, chunk);
            for (int budget = entries; ; budget /= 2) {
                int[] holderOf = JitChunks.classes(p, chunkOf, budget);
                try {
                    if (holderOf[holderOf.length - 1] == 0) {
                        byte[] bytes = generate(p, chunkOf, builtins);
                        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
                        return new Template(verified, lookup.findConstructor(lookup.lookupClass(),
                                MethodType.methodType(void.class, IntRangeSet[].class, CidrSet[].class,
                                        HelperTable.class, int[].class)), chunkOf, null, null, null);
                    }
                    return new Template(verified, null, chunkOf, null, holderOf,
                            holders(p, chunkOf, holderOf, builtins));
                } catch (org.objectweb.asm.ClassTooLargeException e) {
                    if (budget < 1_000) {
                        throw e;
                    }
                }
            }
        } catch (Throwable t) {
            return new Template(verified, null, null, t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage()), null, null);
        }
    }

    /** Estimated constant-pool entries per generated class: the JVM's limit is 65,535, the rest is margin. */
    static final int CLASS_ENTRIES = 40_000;

    /** Generates and defines one holder class per group of chunks with the same {@code holderOf}. */
    private static JitHolder[] holders(Program p, int[] chunkOf, int[] holderOf, HelperTable builtins)
            throws Throwable {
        int count = holderOf[holderOf.length - 1] + 1;
        JitHolder[] holders = new JitHolder[count];
        java.util.BitSet entries = entries(p, chunkOf);
        java.util.BitSet regionEnds = regionEnds(p);
        int pc = 0;
        int chunk = 0;
        for (int h = 0; h < count; h++) {
            String name = Type.getInternalName(JitCompiler.class).replace("JitCompiler", "JitHolder" + next());
            ClassWriter cw = newClass();
            cw.visit(CLASS_VERSION, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, name, null, "java/lang/Object",
                    new String[] {Type.getInternalName(JitHolder.class)});
            MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
            init.visitCode();
            init.visitVarInsn(Opcodes.ALOAD, 0);
            init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            init.visitInsn(Opcodes.RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();
            int first = chunk;
            while (chunk < holderOf.length && holderOf[chunk] == h) {
                int lo = pc;
                while (pc < p.length() && chunkOf[pc] == chunk) {
                    pc++;
                }
                new Emitter(cw, p, STATE, chunk, lo, pc, entries, regionEnds, builtins, true).emit();
                chunk++;
            }
            holderSwitch(cw, name, first, chunk);
            cw.visitEnd();
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true);
            holders[h] = (JitHolder) lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class))
                    .invoke();
        }
        return holders;
    }

    private static final String STATE = Type.getInternalName(JitState.class);

    /**
     * Generated classes are Java 5 class files: those carry no stack map frames, so ASM need not compute them. For all
     * of ET Open (1.6 M VM instructions) ASM's frame merging was over a fifth of start-up's samples, and generating
     * and defining the classes took 3.9-4.9 s of CPU with frames against 3.2-3.3 s without (2026-12-07): the JVM's
     * verifier infers an old class file's types itself, faster. Nothing emitted needs a newer class file (no invokedynamic, no
     * interface static calls, no dynamic constants).
     */
    static final int CLASS_VERSION = Opcodes.V1_5;

    private static ClassWriter newClass() {
        return new ClassWriter(ClassWriter.COMPUTE_MAXS);
    }

    /** A holder's {@code run(state, ctx, start, stop, chunk)}: a switch over its chunks [first, end). */
    private static void holderSwitch(ClassWriter cw, String owner, int first, int end) {
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, "run", "(L" + STATE + ";L" + CTX + ";III)I", null,
                null);
        m.visitCode();
        Label[] cases = new Label[end - first];
        for (int k = 0; k < cases.length; k++) {
            cases[k] = new Label();
        }
        m.visitVarInsn(Opcodes.ILOAD, 5);
        m.visitTableSwitchInsn(first, end - 1, cases[cases.length - 1], cases);
        for (int k = first; k < end; k++) {
            m.visitLabel(cases[k - first]);
            m.visitVarInsn(Opcodes.ALOAD, 1);
            m.visitVarInsn(Opcodes.ALOAD, 2);
            m.visitVarInsn(Opcodes.ILOAD, 3);
            m.visitVarInsn(Opcodes.ILOAD, 4);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, owner, "chunk" + k, "(L" + STATE + ";L" + CTX + ";II)I", false);
            m.visitInsn(Opcodes.IRETURN);
        }
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    /** A compiled program as a {@link ProgramRunner}. */
    private record Compiled(Body body) implements ProgramRunner {
        @Override
        public int run(PacketContext ctx) {
            ctx.refuel();
            return body.runFrom(ctx, 0, -1);
        }

        @Override
        public int runRegion(PacketContext ctx, RuleRegion region) {
            ctx.refuel();
            return body.runFrom(ctx, region.start(), region.end());
        }
    }

    private static synchronized int next() {
        return ++counter;
    }

    /** The chunk index of every instruction of {@code p}, at most {@code most} instructions each (see JitChunks). */
    static int[] chunkOf(Program p, int most) {
        return JitChunks.split(p, most, CHUNK_BYTES);
    }

    static byte[] generate(Program p, int[] chunkOf) {
        return generate(p, chunkOf, null);
    }

    /** As {@link #generate(Program, int[])}; helpers bound to {@link BufferOps} in {@code helpers} become static calls. */
    static byte[] generate(Program p, int[] chunkOf, HelperTable helpers) {
        String name = Type.getInternalName(JitCompiler.class).replace("JitCompiler", "JitProgram" + next());
        ClassWriter cw = newClass();
        cw.visit(CLASS_VERSION, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, name, null, "java/lang/Object",
                new String[] {Type.getInternalName(Body.class)});
        String sets = Type.getDescriptor(IntRangeSet[].class);
        String cidrs = Type.getDescriptor(CidrSet[].class);
        String table = Type.getDescriptor(HelperTable.class);
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "chunkOf", "[I", null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "intSets", sets, null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "cidrSets", cidrs, null, null).visitEnd();
        cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "helpers", table, null, null).visitEnd();
        MethodVisitor init = cw.visitMethod(0, "<init>", "(" + sets + cidrs + table + "[I)V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        String[] fields = {"intSets", "cidrSets", "helpers", "chunkOf"};
        String[] descs = {sets, cidrs, table, "[I"};
        for (int i = 0; i < 4; i++) {
            init.visitVarInsn(Opcodes.ALOAD, 0);
            init.visitVarInsn(Opcodes.ALOAD, i + 1);
            init.visitFieldInsn(Opcodes.PUTFIELD, name, fields[i], descs[i]);
        }
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        for (int i = 0; i < Opcode.REGISTERS; i++) {
            cw.visitField(Opcodes.ACC_PRIVATE, "r" + i, "J", null, null).visitEnd();
        }
        for (int i = 0; i < Opcode.MEMORY_SLOTS; i++) {
            cw.visitField(Opcodes.ACC_PRIVATE, "m" + i, "J", null, null).visitEnd();
        }
        int chunks = chunkOf[chunkOf.length - 1] + 1;
        dispatcher(cw, name, chunks);
        java.util.BitSet entries = entries(p, chunkOf);
        java.util.BitSet regionEnds = regionEnds(p);
        int lo = 0;
        for (int k = 0; k < chunks; k++) {
            int hi = lo;
            while (hi < p.length() && chunkOf[hi] == k) {
                hi++;
            }
            new Emitter(cw, p, name, k, lo, hi, entries, regionEnds, helpers, false).emit();
            lo = hi;
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * The instructions control can enter a chunk at: each chunk's first, every region's start ({@code runRegion}), and
     * every target of a jump or a failed load from another chunk (a {@code jloop}'s target too when the loop spans
     * chunks: its back edge returns to the dispatcher). A chunk's entry switch lists only these, so inside a
     * chunk the JVM sees the program's own control flow rather than a join at every instruction.
     */
    /**
     * The instructions that end a rule region, computed once per program: every chunk's emitter asked a set of all of
     * them, and building that set per chunk made compiling ET Open's 22,000-region program quadratic (11 s).
     */
    private static java.util.BitSet regionEnds(Program p) {
        java.util.BitSet ends = new java.util.BitSet(p.length() + 1);
        for (RuleRegion r : p.regions()) {
            ends.set(r.end());
        }
        return ends;
    }

    private static java.util.BitSet entries(Program p, int[] chunkOf) {
        java.util.BitSet entries = new java.util.BitSet(p.length());
        entries.set(0);
        for (int pc = 1; pc < p.length(); pc++) {
            if (chunkOf[pc] != chunkOf[pc - 1]) {
                entries.set(pc);
            }
        }
        for (RuleRegion r : p.regions()) {
            if (r.start() < p.length()) {
                entries.set(r.start());
            }
        }
        for (int pc = 0; pc < p.length(); pc++) {
            int jump = Opcode.jumpTarget(p.insn(pc), pc);
            int fail = p.failTarget(pc);
            if (jump >= 0 && jump < p.length() && chunkOf[jump] != chunkOf[pc]) {
                entries.set(jump);
            }
            if (fail >= 0 && chunkOf[fail] != chunkOf[pc]) {
                entries.set(fail);
            }
        }
        return entries;
    }

    /** Chunks per group method of the dispatcher: its switch stays far below HotSpot's 8,000-byte compile limit. */
    static final int GROUP = 256;

    /**
     * {@code runFrom}: the loop that runs chunk after chunk until one returns a result rather than "continue at pc"
     * ({@link #CONTINUE} + pc), finding each pc's chunk in the {@code chunkOf} table. It dispatches in two levels — a
     * switch over groups of {@link #GROUP} chunks, then a switch in the group's method — because HotSpot does not
     * compile a method of more than 8,000 bytecode bytes: a single switch over 2,000 chunks (a 10,000-rule program) would leave every dispatch
     * interpreted, slower than the VM's own interpreter.
     */
    private static void dispatcher(ClassWriter cw, String owner, int chunks) {
        int groups = (chunks + GROUP - 1) / GROUP;
        for (int g = 0; g < groups; g++) {
            group(cw, owner, g, Math.min(chunks, (g + 1) * GROUP));
        }
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC, "runFrom", "(L" + CTX + ";II)I", null, null);
        m.visitCode();
        Label loop = new Label();
        Label[] cases = new Label[groups];
        for (int g = 0; g < groups; g++) {
            cases[g] = new Label();
        }
        Label result = new Label();
        m.visitLabel(loop);
        m.visitVarInsn(Opcodes.ALOAD, THIS);
        m.visitFieldInsn(Opcodes.GETFIELD, owner, "chunkOf", "[I");
        m.visitVarInsn(Opcodes.ILOAD, START);
        m.visitInsn(Opcodes.IALOAD);
        m.visitVarInsn(Opcodes.ISTORE, BUF_SLOT); // the chunk's index
        m.visitVarInsn(Opcodes.ILOAD, BUF_SLOT);
        m.visitLdcInsn(GROUP);
        m.visitInsn(Opcodes.IDIV);
        m.visitTableSwitchInsn(0, groups - 1, cases[groups - 1], cases);
        for (int g = 0; g < groups; g++) {
            m.visitLabel(cases[g]);
            m.visitVarInsn(Opcodes.ALOAD, THIS);
            m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
            m.visitVarInsn(Opcodes.ILOAD, START);
            m.visitVarInsn(Opcodes.ILOAD, STOP);
            m.visitVarInsn(Opcodes.ILOAD, BUF_SLOT);
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "group" + g, "(L" + CTX + ";III)I", false);
            m.visitJumpInsn(Opcodes.GOTO, result);
        }
        m.visitLabel(result);
        m.visitInsn(Opcodes.DUP);
        m.visitLdcInsn(CONTINUE);
        Label done = new Label();
        m.visitJumpInsn(Opcodes.IF_ICMPLT, done);
        m.visitLdcInsn(CONTINUE);
        m.visitInsn(Opcodes.ISUB);
        m.visitVarInsn(Opcodes.ISTORE, START);
        m.visitJumpInsn(Opcodes.GOTO, loop);
        m.visitLabel(done);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    /** {@code groupG(ctx, start, stop, chunk)}: runs chunk {@code chunk} of group {@code g}, from {@code start}. */
    private static void group(ClassWriter cw, String owner, int g, int end) {
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PRIVATE, "group" + g, "(L" + CTX + ";III)I", null, null);
        m.visitCode();
        int first = g * GROUP;
        Label[] cases = new Label[end - first];
        for (int k = 0; k < cases.length; k++) {
            cases[k] = new Label();
        }
        m.visitVarInsn(Opcodes.ILOAD, BUF_SLOT); // the chunk's index (the fourth argument)
        m.visitTableSwitchInsn(first, end - 1, cases[cases.length - 1], cases);
        for (int k = first; k < end; k++) {
            m.visitLabel(cases[k - first]);
            m.visitVarInsn(Opcodes.ALOAD, THIS);
            m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
            m.visitVarInsn(Opcodes.ILOAD, START);
            m.visitVarInsn(Opcodes.ILOAD, STOP);
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "chunk" + k, "(L" + CTX + ";II)I", false);
            m.visitInsn(Opcodes.IRETURN);
        }
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    /**
     * Emits one chunk, {@code chunkK(ctx, entry, stop)} for the instructions [lo, hi): registers and slots move between
     * the object's fields and locals at the chunk's edges (only those it uses), an entry switch starts at the
     * instructions entered from elsewhere, and a
     * jump or fall-through past {@code hi} returns {@link #CONTINUE} + the target.
     */
    private static final class Emitter {
        /** The table the program is compiled for (null: every helper through the table). */
        private final HelperTable helpers;
        private final Program p;
        private final String owner;
        private final MethodVisitor m;
        private final int lo;
        private final int hi;
        private final Label[] at;
        private final Label defaultExit = new Label();
        /** The program's region ends ({@link #regionEnds(Program)}), shared by all its chunks. */
        private final java.util.BitSet regionEnds;
        private final java.util.TreeMap<Integer, Label> outside = new java.util.TreeMap<>();
        private final java.util.BitSet entries;
        /**
         * Registers (bit i of {@code usedRegs}) and scratch slots (bit k of {@code usedMem}) the chunk reads or writes,
         * and those it writes.
         */
        private final int usedRegs;
        private final long usedMem;
        private final int writtenRegs;
        private final long writtenMem;

        Emitter(ClassWriter cw, Program p, String owner, int index, int lo, int hi, java.util.BitSet entries,
                java.util.BitSet regionEnds, HelperTable helpers, boolean holder) {
            this.regionEnds = regionEnds;
            this.helpers = helpers;
            this.p = p;
            this.owner = owner;
            this.lo = lo;
            this.hi = hi;
            this.entries = entries;
            int u = 0;
            int w = 0;
            long um = 0;
            long wm = 0;
            for (int pc = lo; pc < hi; pc++) {
                long insn = p.insn(pc);
                int op = Insn.op(insn);
                u |= Opcode.registersRead(op, Insn.dst(insn), Insn.src(insn));
                w |= Opcode.registersWritten(op, Insn.dst(insn));
                if (op == Opcode.LDMEM) {
                    um |= 1L << Insn.off(insn);
                } else if (op == Opcode.STMEM) {
                    wm |= 1L << Insn.off(insn);
                }
            }
            this.usedRegs = u | w;
            this.usedMem = um | wm;
            this.writtenRegs = w;
            this.writtenMem = wm;
            // in a holder the state is the first argument of a static method, so locals are numbered alike
            this.m = holder
                    ? cw.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "chunk" + index,
                            "(L" + owner + ";L" + CTX + ";II)I", null, null)
                    : cw.visitMethod(Opcodes.ACC_PUBLIC, "chunk" + index, "(L" + CTX + ";II)I", null, null);
            this.at = new Label[hi - lo];
            for (int i = 0; i < at.length; i++) {
                at[i] = new Label();
            }
        }

        /** The label of instruction {@code pc}: in this chunk, or a stub that continues in a later one. */
        private Label label(int pc) {
            if (pc >= lo && pc < hi) {
                return at[pc - lo];
            }
            return outside.computeIfAbsent(pc, k -> new Label());
        }

        /**
         * Stores what this chunk wrote back to the object's fields; registers it only read are unchanged there. (A
         * register written on one path but not another was loaded at entry, so storing it is right on both.)
         */
        private void spill() {
            for (int i = 0; i < VALUES; i++) {
                if (has(writtenRegs, writtenMem, i)) {
                    m.visitVarInsn(Opcodes.ALOAD, THIS);
                    m.visitVarInsn(Opcodes.LLOAD, local(i));
                    m.visitFieldInsn(Opcodes.PUTFIELD, owner, field(i), "J");
                }
            }
        }

        /** Whether value {@code i} (register i, or scratch slot i - 16) is in the masks. */
        private static boolean has(int regs, long mem, int i) {
            return i < Opcode.REGISTERS ? (regs & 1 << i) != 0 : (mem & 1L << i - Opcode.REGISTERS) != 0;
        }

        /** The local of register {@code i} (0-15) or scratch slot {@code i - 16}. */
        private static int local(int i) {
            return i < Opcode.REGISTERS ? REG + 2 * i : MEM + 2 * (i - Opcode.REGISTERS);
        }

        private static String field(int i) {
            return i < Opcode.REGISTERS ? "r" + i : "m" + (i - Opcode.REGISTERS);
        }

        void emit() {
            m.visitCode();
            m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
            m.visitFieldInsn(Opcodes.GETFIELD, CTX, "buffer", "L" + BUF + ";");
            m.visitVarInsn(Opcodes.ASTORE, BUF_SLOT);
            for (int i = 0; i < VALUES; i++) {
                if (has(usedRegs, usedMem, i)) {
                    m.visitVarInsn(Opcodes.ALOAD, THIS);
                    m.visitFieldInsn(Opcodes.GETFIELD, owner, field(i), "J");
                } else if (i < Opcode.REGISTERS) {
                    m.visitInsn(Opcodes.LCONST_0); // never read here: keeps the verifier's frames simple
                } else {
                    continue; // a scratch slot the chunk never touches: its local is never used
                }
                m.visitVarInsn(Opcodes.LSTORE, local(i));
            }
            m.visitInsn(Opcodes.ICONST_0);
            m.visitVarInsn(Opcodes.ISTORE, BASE);
            m.visitInsn(Opcodes.LCONST_0);
            m.visitVarInsn(Opcodes.LSTORE, AT);
            int[] keys = entries.get(lo, hi).stream().map(i -> i + lo).toArray();
            Label[] targets = new Label[keys.length];
            for (int i = 0; i < keys.length; i++) {
                targets[i] = at[keys[i] - lo];
            }
            m.visitVarInsn(Opcodes.ILOAD, START);
            m.visitLookupSwitchInsn(at[0], keys, targets);
            for (int pc = lo; pc < hi; pc++) {
                m.visitLabel(at[pc - lo]);
                if (regionEnds.get(pc)) { // runRegion's stop: control left the region
                    Label go = new Label();
                    m.visitVarInsn(Opcodes.ILOAD, STOP);
                    push(pc);
                    m.visitJumpInsn(Opcodes.IF_ICMPNE, go);
                    m.visitInsn(Opcodes.ICONST_M1);
                    m.visitInsn(Opcodes.IRETURN);
                    m.visitLabel(go);
                }
                insn(pc, p.insn(pc));
            }
            if (hi < p.length()) { // falling off this chunk continues in the next
                m.visitJumpInsn(Opcodes.GOTO, label(hi));
            }
            for (java.util.Map.Entry<Integer, Label> x : outside.entrySet()) {
                m.visitLabel(x.getValue());
                spill();
                push(CONTINUE + x.getKey());
                m.visitInsn(Opcodes.IRETURN);
            }
            m.visitLabel(defaultExit);
            exit(p.defaultVerdict(), 0);
            m.visitMaxs(0, 0);
            m.visitEnd();
        }

        private void push(int v) {
            m.visitLdcInsn(v);
        }

        private void pushLong(long v) {
            m.visitLdcInsn(v);
        }

        /**
         * A helper bound to the VM's own code ({@link BufferOps}) is called directly, a static method HotSpot can
         * inline, instead of through the table; leaves r0 on the stack. False for any other helper.
         */
        private boolean builtinCall(int id) {
            if (helpers == null || !helpers.builtin(id)) {
                return false;
            }
            String ops = Type.getInternalName(BufferOps.class);
            switch (id) {
                case Helpers.BUFFER -> {
                    m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                    reg(1);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, ops, "buffer", "(L" + CTX + ";J)J", false);
                }
                case Helpers.FIND -> {
                    m.visitVarInsn(Opcodes.ALOAD, THIS);
                    m.visitFieldInsn(Opcodes.GETFIELD, owner, "helpers", Type.getDescriptor(HelperTable.class));
                    m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                    for (int r = 1; r <= 4; r++) {
                        reg(r);
                    }
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, ops, "find", "(" + Type.getDescriptor(HelperTable.class)
                            + "L" + CTX + ";JJJJ)J", false);
                }
                case Helpers.BYTE_READ -> {
                    m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                    for (int r = 1; r <= 3; r++) {
                        reg(r);
                    }
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, ops, "byteRead", "(L" + CTX + ";JJJ)J", false);
                }
                case Helpers.BASE64_DECODE -> {
                    m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                    reg(1);
                    reg(2);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, ops, "base64Decode", "(L" + CTX + ";JJ)J", false);
                }
                case Helpers.BASE64_RESTORE -> {
                    m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, ops, "base64Restore", "(L" + CTX + ";)J", false);
                }
                case Helpers.FLOWBIT -> {
                    m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                    reg(1);
                    reg(2);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, ops, "flowbit", "(L" + CTX + ";JJ)J", false);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private void reg(int r) {
            m.visitVarInsn(Opcodes.LLOAD, REG + 2 * r);
        }

        private void setReg(int r) {
            m.visitVarInsn(Opcodes.LSTORE, REG + 2 * r);
        }

        private void exit(int verdict, long rule) {
            m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
            push(verdict);
            pushLong(rule);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, INTERP, "exit", "(L" + CTX + ";IJ)I", false);
            m.visitInsn(Opcodes.IRETURN);
        }

        /** Where a failed load or jaddr continues: its region's end, or the default exit. */
        private Label failLabel(int pc) {
            int target = p.failTarget(pc);
            return target < 0 ? defaultExit : label(target);
        }

        private void insn(int pc, long insn) {
            int op = (int) (insn & 0xff);
            int dst = (int) (insn >>> 8) & 0xf;
            int src = (int) (insn >>> 12) & 0xf;
            int off = (short) (insn >>> 16);
            int imm = (int) (insn >>> 32);
            switch (op >>> 4) {
                case 0x1, 0x2 -> alu((op & 0xf0) == 0x10, false, op & 0xf, dst, src, imm);
                case 0x3, 0x4 -> alu((op & 0xf0) == 0x30, true, op & 0xf, dst, src, imm);
                case 0x5 -> {
                    if (op == 0x5a) {
                        m.visitJumpInsn(Opcodes.GOTO, label(pc + 1 + off));
                    } else if (op == 0x5b) {
                        m.visitJumpInsn(Opcodes.GOTO, label(pc + 1 + imm));
                    } else if (op == 0x5c) {
                        // jloop: the interpreter's fuel step; a backward goto in this method, or a continuation
                        // stub when the target is in an earlier chunk (it has an entry: see entries)
                        m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                        m.visitMethodInsn(Opcodes.INVOKESTATIC, CTX, "spendFuel", "(L" + CTX + ";)Z", false);
                        m.visitJumpInsn(Opcodes.IFNE, label(pc + 1 + off));
                        m.visitJumpInsn(Opcodes.GOTO, failLabel(pc));
                    } else {
                        push(op);
                        reg(dst);
                        m.visitMethodInsn(Opcodes.INVOKESTATIC, INTERP, "unary", "(IJ)J", false);
                        setReg(dst);
                    }
                }
                case 0x6, 0x7 -> jump((op & 0xf0) == 0x60, false, op & 0xf, dst, src, imm, label(pc + 1 + off));
                case 0x8, 0x9 -> jump((op & 0xf0) == 0x80, true, op & 0xf, dst, src, imm, label(pc + 1 + off));
                case 0xa -> load(pc, op, dst, src, off, imm);
                case 0xb -> meta(op, dst, src, off, imm);
                case 0xc -> {
                    if (op == 0xc0) {
                        setTest(dst, p.intSets().values().get(imm), imm, label(pc + 1 + off));
                    } else if (op == 0xc1) {
                        addressTest(pc, src, imm, label(pc + 1 + off));
                    } else {
                        throw new IllegalStateException("opcode 0x" + Integer.toHexString(op) + " at " + pc);
                    }
                }
                case 0xd -> {
                    if (builtinCall(imm)) {
                        setReg(0);
                        break;
                    }
                    m.visitVarInsn(Opcodes.ALOAD, THIS);
                    m.visitFieldInsn(Opcodes.GETFIELD, owner, "helpers", Type.getDescriptor(HelperTable.class));
                    push(imm);
                    m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                    for (int r = 1; r <= 5; r++) {
                        reg(r);
                    }
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, Type.getInternalName(HelperTable.class), "call",
                            "(IL" + CTX + ";JJJJJ)J", false);
                    setReg(0);
                }
                case 0xe -> {
                    if (op == 0xe0) {
                        exit(off, imm);
                    } else {
                        m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                        reg(dst);
                        push(p.defaultVerdict());
                        m.visitMethodInsn(Opcodes.INVOKESTATIC, INTERP, "exitRegister", "(L" + CTX + ";JI)I", false);
                        m.visitInsn(Opcodes.IRETURN);
                    }
                }
                default -> throw new IllegalStateException("opcode 0x" + Integer.toHexString(op) + " at " + pc);
            }
        }

        /**
         * An ALU instruction as plain JVM arithmetic where its meaning is the JVM's (mov, add, sub, mul, and, or, xor,
         * shifts by a constant in range); division, modulo and shifts by a register call the interpreter's operation,
         * whose edge cases (division by zero, shifts past the width) are the VM's own. Plain bytecode matters: a chunk
         * calling a static operation per instruction exhausts HotSpot's inlining budget for the method after a few
         * dozen, and the calls left are not folded.
         */
        private void alu(boolean immediate, boolean narrow, int aluOp, int dst, int src, int imm) {
            int[] wide = {0, Opcodes.LADD, Opcodes.LSUB, Opcodes.LMUL, -1, -1, Opcodes.LAND, Opcodes.LOR, Opcodes.LXOR,
                Opcodes.LSHL, Opcodes.LUSHR, Opcodes.LSHR};
            int[] thin = {0, Opcodes.IADD, Opcodes.ISUB, Opcodes.IMUL, -1, -1, Opcodes.IAND, Opcodes.IOR, Opcodes.IXOR,
                Opcodes.ISHL, Opcodes.IUSHR, Opcodes.ISHR};
            int width = narrow ? 32 : 64;
            boolean shift = aluOp >= 9;
            boolean plain = aluOp < wide.length && (aluOp == 0 || wide[aluOp] > 0)
                    && (!shift || immediate && imm >= 0 && imm < width);
            if (!plain) {
                push(aluOp);
                value(dst, narrow);
                operand(immediate, narrow, src, imm);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, INTERP, narrow ? "alu32" : "alu64",
                        narrow ? "(III)J" : "(IJJ)J", false);
                setReg(dst);
                return;
            }
            if (aluOp != 0) {
                value(dst, narrow);
            }
            if (shift) {
                push(imm);
            } else {
                operand(immediate, narrow, src, imm);
            }
            if (aluOp != 0) {
                m.visitInsn(narrow ? thin[aluOp] : wide[aluOp]);
            }
            if (narrow) { // 32-bit results are zero-extended
                m.visitInsn(Opcodes.I2L);
                pushLong(0xffffffffL);
                m.visitInsn(Opcodes.LAND);
            }
            setReg(dst);
        }

        /**
         * A conditional jump as a JVM comparison and branch: unsigned orders compare with the sign bit flipped on both
         * sides (folded into an immediate at compile time), the bit test as an and against zero.
         */
        private void jump(boolean immediate, boolean narrow, int jumpOp, int dst, int src, int imm, Label to) {
            if (jumpOp > 10) {
                throw new IllegalStateException("jump op " + jumpOp);
            }
            boolean unsigned = jumpOp >= 2 && jumpOp <= 5;
            value(dst, narrow);
            if (unsigned) {
                flipSign(narrow);
            }
            if (immediate && narrow) {
                push(unsigned ? imm ^ Integer.MIN_VALUE : imm);
            } else if (immediate) {
                pushLong(unsigned ? imm ^ Long.MIN_VALUE : imm);
            } else {
                value(src, narrow);
                if (unsigned) {
                    flipSign(narrow);
                }
            }
            if (jumpOp == 10) { // jset
                m.visitInsn(narrow ? Opcodes.IAND : Opcodes.LAND);
                if (!narrow) {
                    m.visitInsn(Opcodes.LCONST_0);
                    m.visitInsn(Opcodes.LCMP);
                }
                m.visitJumpInsn(Opcodes.IFNE, to);
                return;
            }
            // jeq jne jgt jge jlt jle, then the signed four: the same orders
            int[] ints = {Opcodes.IF_ICMPEQ, Opcodes.IF_ICMPNE, Opcodes.IF_ICMPGT, Opcodes.IF_ICMPGE, Opcodes.IF_ICMPLT,
                Opcodes.IF_ICMPLE, Opcodes.IF_ICMPGT, Opcodes.IF_ICMPGE, Opcodes.IF_ICMPLT, Opcodes.IF_ICMPLE};
            int[] longs = {Opcodes.IFEQ, Opcodes.IFNE, Opcodes.IFGT, Opcodes.IFGE, Opcodes.IFLT, Opcodes.IFLE,
                Opcodes.IFGT, Opcodes.IFGE, Opcodes.IFLT, Opcodes.IFLE};
            if (narrow) {
                m.visitJumpInsn(ints[jumpOp], to);
            } else {
                m.visitInsn(Opcodes.LCMP);
                m.visitJumpInsn(longs[jumpOp], to);
            }
        }

        /** Register {@code r}, as an int for a 32-bit operation. */
        private void value(int r, boolean narrow) {
            reg(r);
            if (narrow) {
                m.visitInsn(Opcodes.L2I);
            }
        }

        /** The second operand: the immediate (an int for 32-bit, sign-extended for 64) or register {@code src}. */
        private void operand(boolean immediate, boolean narrow, int src, int imm) {
            if (!immediate) {
                value(src, narrow);
            } else if (narrow) {
                push(imm);
            } else {
                pushLong(imm);
            }
        }

        private void flipSign(boolean narrow) {
            if (narrow) {
                push(Integer.MIN_VALUE);
                m.visitInsn(Opcodes.IXOR);
            } else {
                pushLong(Long.MIN_VALUE);
                m.visitInsn(Opcodes.LXOR);
            }
        }

        /**
         * {@code jin}: a set of up to {@link #INLINE_RANGES} ranges as compares in the chunk, a larger one by its
         * binary search. (A call per test is not inlined into a chunk: the call site runs at most once per chunk
         * run, so HotSpot inlines only callees under 35 bytes there, and the search is 73.)
         */
        private void setTest(int dst, IntRangeSet set, int index, Label to) {
            if (set.ranges() > INLINE_RANGES) {
                m.visitVarInsn(Opcodes.ALOAD, THIS);
                m.visitFieldInsn(Opcodes.GETFIELD, owner, "intSets", Type.getDescriptor(IntRangeSet[].class));
                push(index);
                m.visitInsn(Opcodes.AALOAD);
                reg(dst);
                m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, Type.getInternalName(IntRangeSet.class), "contains", "(J)Z",
                        false);
                m.visitJumpInsn(Opcodes.IFNE, to);
                return;
            }
            inRanges(REG + 2 * dst, set.ranges(), set::low, set::high, to);
        }

        /** Jumps to {@code to} when the long in local {@code local} lies in one of {@code count} ranges. */
        private void inRanges(int local, int count, java.util.function.IntToLongFunction low,
                java.util.function.IntToLongFunction high, Label to) {
            for (int i = 0; i < count; i++) {
                m.visitVarInsn(Opcodes.LLOAD, local);
                pushLong(low.applyAsLong(i));
                m.visitInsn(Opcodes.LCMP);
                if (low.applyAsLong(i) == high.applyAsLong(i)) {
                    m.visitJumpInsn(Opcodes.IFEQ, to);
                    continue;
                }
                Label below = new Label();
                m.visitJumpInsn(Opcodes.IFLT, below);
                m.visitVarInsn(Opcodes.LLOAD, local);
                pushLong(high.applyAsLong(i));
                m.visitInsn(Opcodes.LCMP);
                m.visitJumpInsn(Opcodes.IFLE, to);
                m.visitLabel(below);
            }
        }

        /**
         * {@code jaddr}: for an IPv4 packet and a set of up to {@link #INLINE_RANGES} IPv4 ranges (a home network, its
         * complement), compares against the address read once; otherwise the interpreter's {@code addressIn}, a call
         * (no IP header: the failure edge). The call is what an address test costs in a chunk: HotSpot does not
         * inline it there, and on the ET Open headers it was two thirds of the JIT's time.
         */
        private void addressTest(int pc, int which, int index, Label to) {
            CidrSet set = p.cidrSets().values().get(index);
            Label call = new Label();
            Label done = new Label();
            if (set.v4Ranges() <= INLINE_RANGES) {
                String view = Type.getInternalName(io.judo.packet.decode.PacketView.class);
                m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CTX, "view", "()L" + view + ";", false);
                m.visitInsn(Opcodes.DUP);
                m.visitVarInsn(Opcodes.ASTORE, VIEW);
                m.visitJumpInsn(Opcodes.IFNULL, call);
                m.visitVarInsn(Opcodes.ALOAD, VIEW);
                m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, view, "addressLength", "()I", false);
                m.visitInsn(Opcodes.ICONST_4);
                m.visitJumpInsn(Opcodes.IF_ICMPNE, call);
                m.visitVarInsn(Opcodes.ALOAD, VIEW);
                m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, view, which == 0 ? "srcIpv4" : "dstIpv4", "()I", false);
                m.visitInsn(Opcodes.I2L);
                pushLong(0xffffffffL);
                m.visitInsn(Opcodes.LAND);
                m.visitVarInsn(Opcodes.LSTORE, AT);
                inRanges(AT, set.v4Ranges(), set::v4Low, set::v4High, to);
                m.visitJumpInsn(Opcodes.GOTO, done);
            }
            m.visitLabel(call);
            m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
            m.visitVarInsn(Opcodes.ALOAD, THIS);
            m.visitFieldInsn(Opcodes.GETFIELD, owner, "cidrSets", Type.getDescriptor(CidrSet[].class));
            push(index);
            m.visitInsn(Opcodes.AALOAD);
            push(which);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, INTERP, "addressIn",
                    "(L" + CTX + ";" + Type.getDescriptor(CidrSet.class) + "I)I", false);
            m.visitInsn(Opcodes.DUP);
            Label ok = new Label();
            m.visitJumpInsn(Opcodes.IFGE, ok);
            m.visitInsn(Opcodes.POP);
            m.visitJumpInsn(Opcodes.GOTO, failLabel(pc));
            m.visitLabel(ok);
            m.visitJumpInsn(Opcodes.IFNE, to);
            m.visitLabel(done);
        }

        /** Bounds-checked big-endian load, as the interpreter does it; a failure goes to the fail target. */
        private void load(int pc, int op, int dst, int src, int off, int imm) {
            String baseField = imm == 0 ? "start" : imm == 1 ? "l3" : imm == 2 ? "l4" : "payload";
            int size = 1 << (op & 3);
            Label fail = failLabel(pc);
            m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
            m.visitFieldInsn(Opcodes.GETFIELD, CTX, baseField, "I");
            m.visitVarInsn(Opcodes.ISTORE, BASE);
            m.visitVarInsn(Opcodes.ILOAD, BASE);
            m.visitJumpInsn(Opcodes.IFLT, fail);
            m.visitVarInsn(Opcodes.ILOAD, BASE);
            m.visitInsn(Opcodes.I2L);
            pushLong(off);
            m.visitInsn(Opcodes.LADD);
            if ((op & 4) != 0) {
                reg(src);
                m.visitInsn(Opcodes.LADD);
            }
            m.visitVarInsn(Opcodes.LSTORE, AT);
            m.visitVarInsn(Opcodes.LLOAD, AT); // at < ctx.start
            m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
            m.visitFieldInsn(Opcodes.GETFIELD, CTX, "start", "I");
            m.visitInsn(Opcodes.I2L);
            m.visitInsn(Opcodes.LCMP);
            m.visitJumpInsn(Opcodes.IFLT, fail);
            m.visitVarInsn(Opcodes.LLOAD, AT); // at + size > ctx.end
            pushLong(size);
            m.visitInsn(Opcodes.LADD);
            m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
            m.visitFieldInsn(Opcodes.GETFIELD, CTX, "end", "I");
            m.visitInsn(Opcodes.I2L);
            m.visitInsn(Opcodes.LCMP);
            m.visitJumpInsn(Opcodes.IFGT, fail);
            m.visitVarInsn(Opcodes.ALOAD, BUF_SLOT);
            m.visitVarInsn(Opcodes.LLOAD, AT);
            m.visitInsn(Opcodes.L2I);
            switch (size) {
                case 1 -> {
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUF, "get", "(I)B", false);
                    m.visitInsn(Opcodes.I2L);
                    pushLong(0xffL);
                    m.visitInsn(Opcodes.LAND);
                }
                case 2 -> {
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUF, "getShort", "(I)S", false);
                    m.visitInsn(Opcodes.I2L);
                    pushLong(0xffffL);
                    m.visitInsn(Opcodes.LAND);
                }
                case 4 -> {
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUF, "getInt", "(I)I", false);
                    m.visitInsn(Opcodes.I2L);
                    pushLong(0xffffffffL);
                    m.visitInsn(Opcodes.LAND);
                }
                default -> m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, BUF, "getLong", "(I)J", false);
            }
            setReg(dst);
        }

        private void meta(int op, int dst, int src, int off, int imm) {
            String field = Type.getDescriptor(io.judo.vm.MetaField.class);
            String fieldArray = Type.getDescriptor(io.judo.vm.MetaField[].class);
            switch (op) {
                case 0xb0 -> {
                    m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                    m.visitFieldInsn(Opcodes.GETSTATIC, INTERP, "META", fieldArray);
                    push(imm);
                    m.visitInsn(Opcodes.AALOAD);
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CTX, "load", "(" + field + ")J", false);
                    setReg(dst);
                }
                case 0xb1, 0xb2 -> {
                    m.visitVarInsn(Opcodes.ALOAD, CTX_SLOT);
                    m.visitFieldInsn(Opcodes.GETSTATIC, INTERP, "META", fieldArray);
                    push(op == 0xb1 ? imm : off);
                    m.visitInsn(Opcodes.AALOAD);
                    if (op == 0xb1) {
                        reg(src);
                    } else {
                        pushLong(imm);
                    }
                    m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CTX, "store", "(" + field + "J)V", false);
                }
                case 0xb4 -> {
                    m.visitVarInsn(Opcodes.LLOAD, MEM + 2 * off);
                    setReg(dst);
                }
                case 0xb5 -> {
                    reg(src);
                    m.visitVarInsn(Opcodes.LSTORE, MEM + 2 * off);
                }
                default -> throw new IllegalStateException("opcode 0x" + Integer.toHexString(op));
            }
        }
    }
}
