package io.judo.rules;

import io.judo.matcher.confirm.BoundedRegex;
import io.judo.rules.ir.Base64Decode;
import io.judo.rules.ir.Bsize;
import io.judo.rules.ir.ByteExtract;
import io.judo.rules.ir.ByteJump;
import io.judo.rules.ir.ByteMath;
import io.judo.rules.ir.ByteRead;
import io.judo.rules.ir.ByteTest;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.DataAt;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Pcre;
import io.judo.rules.ir.UintTest;
import io.judo.rules.ir.Value;
import io.judo.vm.AluOp;
import io.judo.vm.JumpOp;
import io.judo.vm.MetaField;
import io.judo.vm.Opcode;
import io.judo.vm.asm.Label;
import io.judo.vm.asm.ProgramBuilder;
import io.judo.vm.interp.Helpers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers an inspection chain to VM code over the selected buffer, with Suricata's semantics: items in rule order;
 * relative items measured from the cursor (the end of the previous positive match, moved by {@code byte_jump} and
 * {@code byte_extract}); {@code depth} counted from {@code offset}, {@code within} from the cursor plus
 * {@code distance}; negated items constrain without moving the cursor. When a later item fails, the previous positive
 * content or pcre is searched again from its next occurrence (Suricata's recursive content inspection). Each such
 * retry is a {@code jloop} back to that item's search, so the verifier proves termination and the run's fuel bounds
 * the retries (a check that runs out fails the rule and is counted).
 *
 * <p>Code shape: each positive item saves in scratch memory where its next search starts, its window end and the
 * largest match end before it; its retry stub, placed after the chain's success path, jumps back to its search.
 * Registers: r6 cursor, r7 the buffer length (the limit searches stop at), r8 the largest end of the positive matches
 * so far (-1 before any), r13-r15 scratch; r9-r12 in a stream (below). Calls clobber r0-r5 only.
 *
 * <p>In a stream ({@link #stream}), the buffer is a window whose first byte is at stream offset {@code base} (r9),
 * with bytes from index {@code newFrom} (r10) not inspected before, and offsets and depths stay stream offsets. A
 * match is reported once, at the chunk that completes it, as Suricata's raw stream inspection does: it counts only
 * when one of its positive items ends after {@code newFrom}; the chain's first positive item (its anchor) starts no
 * earlier than the end of the rule's last reported match in this direction (r11, from the {@code progress} helper);
 * and an anchor occurrence whose chain was already complete within the old bytes is skipped, with every anchor inside
 * that match. That last check runs the rest of the chain with the limit cut to {@code newFrom} (r12 = 1, "old
 * mode"): its success skips the occurrence, its failure runs the rest again over the whole window.
 *
 * <p>A stream chain that opens with its <em>leading contents</em> ({@link #leadOf}: a plain content, then contents
 * relative to it within a bounded reach) also remembers, per flow direction and rule, where its anchor search need
 * not look again (the {@code searched} helpers): a stream position at which the leading contents cannot be matched
 * from the bytes of a window is one where they never can, since those bytes do not change, so the next window's
 * anchor search starts past every such position found before (the kept old bytes are searched only near their end).
 * The chain records the first anchor position of the window whose leading contents matched, or, when none did, the
 * last position whose reach lay wholly in the window; positions it skipped inside an old-mode match are not past
 * the first one. Nothing else changes: an anchor occurrence whose leading contents fail leaves no trace in the run.
 */
public final class ChainCompiler {
    /** The longest string {@code byte_read} reads. */
    private static final int STRING_CHARS = io.judo.vm.interp.BufferOps.MAX_STRING_BYTES;

    /** Scratch memory slots a chain may use (the VM has {@link Opcode#MEMORY_SLOTS}). */
    static final int SLOTS = Opcode.MEMORY_SLOTS;

    private static final int CURSOR = 6;
    private static final int LIMIT = 7;
    private static final int MAX_END = 8;
    private static final int BASE = 9;
    private static final int NEW_FROM = 10;
    private static final int ANCHOR_FROM = 11;
    private static final int MODE = 12;
    private static final int LO = 13;
    private static final int HI = 14;
    private static final int T = 15;

    /** Strings of one program: literals and regex texts, each once; regexes by string index for the engine. */
    public static final class Strings {
        private final Map<String, Integer> byKey = new HashMap<>();
        private final Map<Integer, BoundedRegex> regexes = new HashMap<>();

        /** The string pool index of {@code bytes}, added once. */
        public int literal(ProgramBuilder b, byte[] bytes) {
            String key = "s:" + java.util.HexFormat.of().formatHex(bytes);
            return byKey.computeIfAbsent(key, k -> b.addString("lit" + byKey.size(), bytes));
        }

        int regex(ProgramBuilder b, Pcre p) {
            String text = "/" + p.expression() + "/" + p.flags();
            Integer i = byKey.get("r:" + text);
            if (i == null) {
                i = b.addString("re" + byKey.size(), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                byKey.put("r:" + text, i);
                regexes.put(i, p.regex());
            }
            return i;
        }

        /** Per string index, the compiled regex it names (null for literals): what the engine binds {@code regex} to. */
        public BoundedRegex[] regexTable(int strings) {
            BoundedRegex[] t = new BoundedRegex[strings];
            regexes.forEach((i, r) -> t[i] = r);
            return t;
        }
    }

    /** Where each content with {@code replace} kept its match start, by chain index, after the chain succeeded. */
    public record Compiled(Map<Integer, Integer> startSlots) {
    }

    /** A chain too long for the VM's scratch memory, or otherwise not expressible. */
    public static final class TooComplex extends Exception {
        private static final long serialVersionUID = 1L;

        TooComplex(String message) {
            super(message);
        }
    }

    private final ProgramBuilder b;
    private final Strings strings;
    private final boolean stream;
    private final int rule;
    private final Label fail;
    private int slots;
    /** Whether the positive item being emitted is retried when a later item fails. */
    private boolean retry;
    /** Byte variables' slots and names by index: shared with the chain of a {@code base64_data}, as in Suricata. */
    private final Map<Integer, Integer> varSlot;
    private final Map<Integer, String> varNames;
    private final Map<Integer, Integer> startSlots = new HashMap<>();
    /** Positive levels so far: their retry labels (innermost last). */
    private final List<Level> levels = new ArrayList<>();
    /** The stream chain's leading contents, or null (then nothing is remembered between windows). */
    private Lead lead;
    /** The slot that is 1 once this run recorded where its leading contents first matched. */
    private int leadSlot;
    /** Where the anchor's search goes when it finds no more occurrences (a chain with leading contents). */
    private Label leadExhausted;

    /**
     * A chain's leading contents: items {@code 0..end}, a positive content that is not relative (an offset and a
     * depth may place it), then positive contents each relative to the one before with a constant distance of at
     * least 0 and a {@code within}; none with startswith, endswith or byte variables. Whether they match from an
     * anchor occurrence at {@code p} depends only on the bytes {@code [p, p + reach)}, never on where the window
     * begins or ends once those bytes are in it, and their failure there fails the chain from that occurrence.
     *
     * @param end the index of the last leading content
     * @param reach how many bytes from the anchor occurrence's start they may read
     */
    public record Lead(int end, int reach) {
    }

    /** The largest reach a lead may have: longer ones stop earlier (a shorter lead is as exact). */
    private static final int MAX_REACH = 1 << 16;

    private static final class Level {
        final Label search;
        final Label retry;
        final int next;
        final int maxBefore;
        final int start;
        final int end;
        final boolean anchor;
        /** Where the anchor's rest of chain begins (old-mode restart point). */
        Label rest;

        Level(Label search, Label retry, int next, int maxBefore, int start, int end, boolean anchor) {
            this.search = search;
            this.retry = retry;
            this.next = next;
            this.maxBefore = maxBefore;
            this.start = start;
            this.end = end;
            this.anchor = anchor;
        }
    }

    private ChainCompiler(ProgramBuilder b, Strings strings, boolean stream, int rule, Label fail) {
        this(b, strings, stream, rule, fail, new HashMap<>(), new HashMap<>());
    }

    private ChainCompiler(ProgramBuilder b, Strings strings, boolean stream, int rule, Label fail,
            Map<Integer, Integer> varSlot, Map<Integer, String> varNames) {
        this.b = b;
        this.strings = strings;
        this.stream = stream;
        this.rule = rule;
        this.fail = fail;
        this.varSlot = varSlot;
        this.varNames = varNames;
    }

    /**
     * Emits the code of {@code chain} over the buffer the program selected: on success control falls through, on
     * failure it goes to {@code fail}. {@code stream} selects the stream-window semantics above; {@code rule} is the
     * rule index the {@code progress} helpers take.
     */
    public static Compiled emit(ProgramBuilder b, Strings strings, List<Inspect> chain, boolean stream, int rule,
            Label fail) throws TooComplex {
        return emit(b, strings, chain, stream, rule, 0, fail);
    }

    /**
     * Throws {@link TooComplex} when the chain cannot be emitted (before anything is, so that a caller can put other
     * code in its place): a dry run into a scratch builder.
     */
    public static void check(List<Inspect> chain, boolean stream, int firstSlot) throws TooComplex {
        ProgramBuilder scratch = new ProgramBuilder();
        emit(scratch, new Strings(), chain, stream, 0, firstSlot, scratch.newLabel());
    }

    /**
     * As {@link #emit(ProgramBuilder, Strings, List, boolean, int, Label)}, the chain's scratch slots starting at
     * {@code firstSlot} (the slots below are the program's own). The code writes registers r0-r15.
     */
    public static Compiled emit(ProgramBuilder b, Strings strings, List<Inspect> chain, boolean stream, int rule,
            int firstSlot, Label fail) throws TooComplex {
        ChainCompiler c = new ChainCompiler(b, strings, stream, rule, fail);
        c.slots = firstSlot;
        c.emitChain(chain);
        return new Compiled(Map.copyOf(c.startSlots));
    }

    private int slot() throws TooComplex {
        if (slots == SLOTS) {
            throw new TooComplex("the chain needs more than the VM's " + SLOTS + " scratch slots");
        }
        return slots++;
    }

    private Label back() {
        return levels.isEmpty() ? fail : levels.get(levels.size() - 1).retry;
    }

    /**
     * Whether anything up to the next positive content or pcre after item {@code i} (that one included) is measured
     * from the cursor item {@code i} leaves. When nothing is, another occurrence of item {@code i} cannot change
     * what follows, so a packet's chain does not retry it (Suricata retries a content only when a relative keyword
     * follows it); a stream's does, since which occurrence is chosen decides where the reported match ends.
     */
    static boolean readsCursor(List<Inspect> chain, int i) {
        for (int k = i + 1; k < chain.size(); k++) {
            Inspect item = chain.get(k);
            if (item instanceof Base64Decode) {
                // Suricata's content inspection searches a content again only for a relative content, pcre or
                // byte keyword after it, never for a base64_decode (its data failing does not retry the content)
                return false;
            }
            if (item.relative()) {
                return true;
            }
            if (item instanceof Content c && !c.negated() || item instanceof Pcre p && !p.negated()) {
                return false;
            }
        }
        return false;
    }

    /**
     * Whether content {@code k} not being found (at its first search or at a retry) fails the whole chain, so its
     * search jumps to the chain's failure instead of retrying the items before it. That holds outside a stream when
     * {@code k} is relative with a constant distance and no {@code within}, {@code startswith} or {@code endswith}
     * (its window runs from the cursor to the buffer's end) and nothing before it moves the cursor other than
     * contents or names a variable: then the cursor {@code k} searches from is smallest at the first try and every
     * retry of an earlier content only moves it later (each search's first occurrence can only move later), so when
     * {@code k}'s search comes up empty every occurrence a retry could reach has been tried already and what follows
     * {@code k} depends only on where {@code k} matched. Without this, a body with many occurrences of the first
     * contents and none of the last makes every check spend the retry budget (ET 2032486: 156 us a check).
     */
    private boolean exhaustsChain(List<Inspect> chain, int k) {
        Content c = (Content) chain.get(k);
        if (stream || c.negated() || c.distance() == Inspect.UNSET || c.within() != Inspect.UNSET || c.startsWith()
                || c.endsWith() || c.variables() != null && c.variables().any()) {
            return false;
        }
        for (int i = 0; i < k; i++) {
            Inspect item = chain.get(i);
            // no byte_extract or byte_math before k, so no variable can be set there either
            if (!(item instanceof Content || item instanceof DataAt || item instanceof ByteTest
                    || item instanceof Bsize)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether pcre {@code k} matching nowhere fails the whole chain, so its first search jumps to the chain's failure
     * instead of retrying the items before it. That holds for a positive pcre that is not relative and not the anchor
     * when no {@code base64_decode} before it changes the buffer: it then searches the same bytes, from the buffer's
     * start to its limit, whatever the earlier items chose, so another choice cannot make it match. In a stream that
     * is so only in normal mode (over the whole window): the old-bytes mode searches a shorter stretch, and the anchor
     * retries in normal mode after it. Without this, a window with many occurrences of the first contents and no match
     * of the pcre reruns the pcre over the whole window for each (ET 2012970: checks of up to 4.5 ms).
     */
    static boolean absentFailsChain(List<Inspect> chain, int k) {
        Pcre p = (Pcre) chain.get(k);
        if (p.relative() || p.negated() || k == anchorOf(chain)) {
            return false;
        }
        for (int i = 0; i < k; i++) {
            if (chain.get(i) instanceof Base64Decode) {
                return false;
            }
        }
        return true;
    }

    /** The chain's leading contents (see {@link Lead}), or null when it does not open with a plain content. */
    public static Lead leadOf(List<Inspect> chain) {
        if (chain.isEmpty() || !(chain.get(0) instanceof Content first) || first.negated() || first.relative()
                || !plain(first)) {
            return null;
        }
        int reach = first.bytes().length;
        int end = 0;
        for (int k = 1; k < chain.size(); k++) {
            if (!(chain.get(k) instanceof Content c) || c.negated() || c.within() == Inspect.UNSET || !plain(c)) {
                break;
            }
            int distance = c.distance() == Inspect.UNSET ? 0 : c.distance();
            if (distance < 0 || (long) reach + distance + c.within() > MAX_REACH) {
                break; // a negative distance reads before the anchor, where the window's start clamps it
            }
            reach += distance + c.within();
            end = k;
        }
        return new Lead(end, reach);
    }

    /** No startswith, endswith (which depend on the window's ends) and no byte variables. */
    private static boolean plain(Content c) {
        return !c.startsWith() && !c.endsWith() && (c.variables() == null || !c.variables().any());
    }

    private static int anchorOf(List<Inspect> chain) {
        for (int i = 0; i < chain.size(); i++) {
            Inspect item = chain.get(i);
            if (item instanceof Content c && !c.negated() || item instanceof Pcre p && !p.negated()) {
                return i;
            }
        }
        return -1;
    }

    private void emitChain(List<Inspect> chain) throws TooComplex {
        int anchor = stream ? anchorOf(chain) : -1;
        b.alu(AluOp.MOV, CURSOR, 0);
        b.loadMeta(LIMIT, MetaField.BUF_LEN);
        if (stream) {
            b.alu(AluOp.MOV, MAX_END, -1);
            b.loadMeta(BASE, MetaField.BUF_BASE);
            b.loadMeta(NEW_FROM, MetaField.BUF_NEW);
            b.alu(AluOp.MOV, MODE, 0);
            if (anchor >= 0) {
                b.alu(AluOp.MOV, 1, rule).call(Helpers.PROGRESS).aluReg(AluOp.MOV, ANCHOR_FROM, 0);
            }
            lead = leadOf(chain);
            if (lead != null) {
                // the anchor also starts past the positions earlier windows showed its leading contents fail at
                b.alu(AluOp.MOV, 1, rule).call(Helpers.SEARCHED);
                max(ANCHOR_FROM, 0);
                leadSlot = slot();
                b.alu(AluOp.MOV, T, 0).storeMem(leadSlot, T);
                leadExhausted = b.newLabel();
            }
        }
        for (int i = 0; i < chain.size(); i++) {
            Inspect item = chain.get(i);
            b.note(KeywordText.of(item, varNames));
            if (item instanceof Content c) {
                retry = stream || readsCursor(chain, i);
                content(c, i, i == anchor, exhaustsChain(chain, i));
            } else if (item instanceof Pcre p) {
                retry = stream || readsCursor(chain, i);
                pcre(p, i == anchor, absentFailsChain(chain, i));
            } else if (item instanceof DataAt d) {
                dataAt(d);
            } else if (item instanceof ByteTest t) {
                byteTest(t);
            } else if (item instanceof ByteJump j) {
                byteJump(j);
            } else if (item instanceof ByteExtract e) {
                byteExtract(e);
            } else if (item instanceof ByteMath m) {
                byteMath(m);
            } else if (item instanceof Base64Decode d) {
                base64(d);
            } else {
                bsize((Bsize) item);
            }
        }
        Label done = b.newLabel();
        if (stream) {
            Level a = anchor >= 0 ? levels.get(0) : null;
            Label normal = b.newLabel();
            if (a != null) {
                // Old mode reached the end: this anchor occurrence was complete within the old bytes. Skip it and
                // every anchor inside its match: the next search starts at max(its start + 1, the match's end).
                b.jump(JumpOp.JEQ, MODE, 0, normal);
                b.loadMem(T, a.next);
                max(T, MAX_END);
                b.storeMem(a.next, T);
                b.alu(AluOp.MOV, MODE, 0).loadMeta(LIMIT, MetaField.BUF_LEN);
                b.loop(a.search);
            }
            b.bind(normal);
            // Counts only when a positive item ends after the old bytes (or, without one, on a first chunk).
            Label none = b.newLabel();
            b.jump(JumpOp.JSLT, MAX_END, 0, none);
            b.jumpReg(JumpOp.JLE, MAX_END, NEW_FROM, back());
            if (anchor >= 0) {
                b.alu(AluOp.MOV, 1, rule).aluReg(AluOp.MOV, 2, MAX_END).call(Helpers.PROGRESS_SET);
            }
            b.ja(done);
            b.bind(none);
            b.jump(JumpOp.JNE, NEW_FROM, 0, back());
        }
        b.ja(done);
        // Retry stubs, innermost first in the chain of failures: each searches its item again, backwards.
        for (int k = levels.size() - 1; k >= 0; k--) {
            Level l = levels.get(k);
            if (!b.referenced(l.retry)) {
                continue; // nothing after this item can fail
            }
            b.bind(l.retry);
            if (l.anchor && stream) {
                Label normal = b.newLabel();
                b.jump(JumpOp.JEQ, MODE, 0, normal);
                // Old mode failed: the occurrence was not complete before; run the rest over the whole window.
                b.alu(AluOp.MOV, MODE, 0).loadMeta(LIMIT, MetaField.BUF_LEN);
                b.loadMem(CURSOR, l.end);
                b.loadMem(MAX_END, l.maxBefore);
                max(MAX_END, CURSOR);
                b.loop(l.rest);
                b.bind(normal);
            }
            b.loop(l.search);
        }
        if (leadExhausted != null) {
            // No more anchor occurrences: when none led anywhere, every position whose reach is in the window failed.
            b.bind(leadExhausted);
            b.loadMem(T, leadSlot).jump(JumpOp.JNE, T, 0, fail);
            stableEnd(2);
            b.alu(AluOp.MOV, 1, rule).call(Helpers.SEARCHED_SET).ja(fail);
        }
        b.bind(done);
    }

    /** r = the first index from which the leading contents may read past the window's end. */
    private void stableEnd(int r) {
        b.loadMeta(r, MetaField.BUF_LEN).alu(AluOp.SUB, r, lead.reach() - 1);
    }

    /**
     * The leading contents matched (in either mode): the first time in this run, record that no position before the
     * anchor's occurrence (and before the first whose reach passes the window's end) starts them.
     */
    private void leadMatched() {
        Label known = b.newLabel();
        b.loadMem(T, leadSlot).jump(JumpOp.JNE, T, 0, known);
        b.alu(AluOp.MOV, T, 1).storeMem(leadSlot, T);
        b.loadMem(2, levels.get(0).start);
        stableEnd(3);
        min(2, 3);
        b.alu(AluOp.MOV, 1, rule).call(Helpers.SEARCHED_SET);
        b.bind(known);
    }

    /** rd = max(rd, rs), signed. */
    private void max(int rd, int rs) {
        Label keep = b.newLabel();
        b.jumpReg(JumpOp.JSGE, rd, rs, keep).aluReg(AluOp.MOV, rd, rs).bind(keep);
    }

    /** rd = min(rd, rs), signed. */
    private void min(int rd, int rs) {
        Label keep = b.newLabel();
        b.jumpReg(JumpOp.JSLE, rd, rs, keep).aluReg(AluOp.MOV, rd, rs).bind(keep);
    }

    /** Loads a 64-bit constant. */
    private void constant(int rd, long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            b.alu(AluOp.MOV, rd, v);
        } else if (v >= 0 && v <= 0xffffffffL) {
            b.alu32(AluOp.MOV, rd, v);
        } else {
            int tmp = rd == 5 ? 4 : 5; // an argument register no caller of this method holds a value in
            b.alu32(AluOp.MOV, rd, v >>> 32).alu(AluOp.LSH, rd, 32);
            b.alu32(AluOp.MOV, tmp, v & 0xffffffffL).aluReg(AluOp.OR, rd, tmp);
        }
    }

    /** rd = a value: a constant or a byte variable. */
    private void value(int rd, Value v) throws TooComplex {
        if (v.isVariable()) {
            Integer s = varSlot.get(v.variable());
            if (s == null) {
                throw new TooComplex("variable " + v.variable() + " is used before a byte_extract or byte_math sets it");
            }
            b.loadMem(rd, s);
        } else {
            constant(rd, v.constant());
        }
    }

    /** rd += a value (rd must not be T when the value is a large constant). */
    private void addValue(int rd, Value v, int scratch) throws TooComplex {
        if (!v.isVariable() && v.constant() >= Integer.MIN_VALUE && v.constant() <= Integer.MAX_VALUE) {
            if (v.constant() != 0) {
                b.alu(AluOp.ADD, rd, v.constant());
            }
            return;
        }
        value(scratch, v);
        b.aluReg(AluOp.ADD, rd, scratch);
    }

    /** rd += a content modifier: its constant, or the byte variable it names ({@code var} >= 0). */
    private void addModifier(int rd, int constant, int var) throws TooComplex {
        if (var >= 0) {
            addValue(rd, Value.variable(var), T);
        } else if (constant != Inspect.UNSET && constant != 0) {
            b.alu(AluOp.ADD, rd, constant);
        }
    }

    /** The window [LO, HI) of a content; jumps to {@code impossible} when its required position left the window. */
    private void window(Content c, Label impossible) throws TooComplex {
        int n = c.bytes().length;
        io.judo.rules.ir.ContentVariables v = c.variables() == null ? io.judo.rules.ir.ContentVariables.NONE
                : c.variables();
        boolean hiIsLimit; // HI needs no clamp to the limit
        if (c.relative()) {
            b.aluReg(AluOp.MOV, LO, CURSOR);
            addModifier(LO, c.distance(), v.distance());
            hiIsLimit = c.within() == Inspect.UNSET && !c.startsWith();
            if (hiIsLimit) {
                b.aluReg(AluOp.MOV, HI, LIMIT);
            } else if (c.startsWith()) {
                b.aluReg(AluOp.MOV, HI, LO).alu(AluOp.ADD, HI, n);
            } else {
                b.aluReg(AluOp.MOV, HI, LO);
                addModifier(HI, c.within(), v.within());
            }
            // the cursor is never negative: only a negative or computed distance can take LO below 0
            if (v.distance() >= 0 || c.distance() != Inspect.UNSET && c.distance() < 0) {
                Label ok = b.newLabel();
                b.jump(JumpOp.JSGE, LO, 0, ok);
                if (c.startsWith()) {
                    b.ja(impossible);
                } else {
                    b.alu(AluOp.MOV, LO, 0);
                }
                b.bind(ok);
            }
        } else if (c.startsWith()) {
            hiIsLimit = false;
            b.alu(AluOp.MOV, LO, 0);
            if (stream) {
                b.aluReg(AluOp.SUB, LO, BASE);
                b.jump(JumpOp.JSLT, LO, 0, impossible);
            }
            b.aluReg(AluOp.MOV, HI, LO).alu(AluOp.ADD, HI, n);
        } else {
            boolean offset = c.offset() != Inspect.UNSET || v.offset() >= 0;
            hiIsLimit = c.depth() == Inspect.UNSET;
            b.alu(AluOp.MOV, LO, 0);
            addModifier(LO, c.offset(), v.offset());
            if (hiIsLimit) {
                b.aluReg(AluOp.MOV, HI, LIMIT);
            } else {
                b.aluReg(AluOp.MOV, HI, LO);
                addModifier(HI, c.depth(), v.depth());
                if (stream) {
                    b.aluReg(AluOp.SUB, HI, BASE);
                }
            }
            if (stream && offset) {
                // stream offsets: the offset lies before the window, nothing can be decided here
                b.aluReg(AluOp.SUB, LO, BASE);
                b.jump(JumpOp.JSLT, LO, 0, impossible);
            } // without an offset the window starts at its first byte (LO = max(0, -base) = 0)
        }
        if (!hiIsLimit) {
            min(HI, LIMIT);
        }
        if (c.endsWith()) {
            b.aluReg(AluOp.MOV, T, LIMIT).alu(AluOp.SUB, T, n);
            max(LO, T);
        }
    }

    private void find(int literal, boolean nocase) {
        b.alu(AluOp.MOV, 1, literal).aluReg(AluOp.MOV, 2, LO).aluReg(AluOp.MOV, 3, HI)
                .alu(AluOp.MOV, 4, nocase ? Helpers.FIND_NOCASE : 0).call(Helpers.FIND);
    }

    private void content(Content c, int index, boolean anchor, boolean exhausts) throws TooComplex {
        int literal = strings.literal(b, c.bytes());
        int n = c.bytes().length;
        if (c.negated()) {
            Label absent = b.newLabel();
            window(c, absent);
            find(literal, c.nocase());
            b.jump(JumpOp.JSGE, 0, 0, back());
            b.bind(absent);
            return;
        }
        Label impossible = back();
        window(c, impossible);
        if (!retry) {
            // searched once: no occurrence after the first can change what follows (packets only)
            find(literal, c.nocase());
            b.jump(JumpOp.JSLT, 0, 0, exhausts ? fail : back());
            if (c.replace() != null) {
                int start = slot();
                b.storeMem(start, 0);
                startSlots.put(index, start);
            }
            b.aluReg(AluOp.MOV, CURSOR, 0).alu(AluOp.ADD, CURSOR, n);
            return;
        }
        boolean keepsStart = anchor || c.replace() != null;
        Level l = new Level(b.newLabel(), b.newLabel(), slot(), stream ? slot() : -1, keepsStart ? slot() : -1,
                anchor ? slot() : -1, anchor);
        if (anchor) {
            max(LO, ANCHOR_FROM);
        }
        b.storeMem(l.next, LO);
        if (stream) {
            b.storeMem(l.maxBefore, MAX_END);
        }
        int hiSlot = slot();
        b.storeMem(hiSlot, HI);
        b.bind(l.search);
        b.alu(AluOp.MOV, 1, literal).loadMem(2, l.next).loadMem(3, hiSlot)
                .alu(AluOp.MOV, 4, c.nocase() ? Helpers.FIND_NOCASE : 0).call(Helpers.FIND);
        b.jump(JumpOp.JSLT, 0, 0, anchor && lead != null ? leadExhausted : exhausts ? fail : back());
        levels.add(l);
        b.aluReg(AluOp.MOV, CURSOR, 0).alu(AluOp.ADD, CURSOR, n);
        b.aluReg(AluOp.MOV, T, 0).alu(AluOp.ADD, T, 1).storeMem(l.next, T);
        if (keepsStart) {
            b.storeMem(l.start, 0);
        }
        if (c.replace() != null) {
            startSlots.put(index, l.start);
        }
        if (stream) {
            // only a stream's reporting needs the largest match end
            b.loadMem(MAX_END, l.maxBefore);
            max(MAX_END, CURSOR);
        }
        if (lead != null && index == lead.end()) {
            leadMatched();
        }
        if (anchor) {
            anchorCheck(l);
        }
    }

    /**
     * After the anchor matched ending at the cursor: an occurrence ending within the old bytes is first checked in
     * old mode (was the chain complete before?); {@code l.rest} is where the rest of the chain starts.
     */
    private void anchorCheck(Level l) {
        b.storeMem(l.end, CURSOR);
        l.rest = b.newLabel();
        b.jumpReg(JumpOp.JGT, CURSOR, NEW_FROM, l.rest);
        b.alu(AluOp.MOV, MODE, 1).aluReg(AluOp.MOV, LIMIT, NEW_FROM);
        b.bind(l.rest);
    }

    private void pcre(Pcre p, boolean anchor, boolean absentFails) throws TooComplex {
        int re = strings.regex(b, p);
        if (p.relative()) {
            b.aluReg(AluOp.MOV, LO, CURSOR);
            min(LO, LIMIT);
        } else {
            b.alu(AluOp.MOV, LO, 0);
        }
        if (p.negated()) {
            regex(re, LO, 1);
            b.jump(JumpOp.JEQ, 0, Helpers.REGEX_EXHAUSTED, fail);
            b.jump(JumpOp.JSGE, 0, 0, back());
            return;
        }
        if (!retry) {
            regex(re, LO, 1); // searched once, as a content that nothing after it measures from
            b.jump(JumpOp.JEQ, 0, Helpers.REGEX_EXHAUSTED, fail);
            b.jump(JumpOp.JSLT, 0, 0, absentFails ? fail : back()); // (not a stream: retry is always set there)
            b.aluReg(AluOp.MOV, CURSOR, 0).alu32(AluOp.MOV, T, 0xffffffffL).aluReg(AluOp.AND, CURSOR, T);
            return;
        }
        b.alu(AluOp.MOV, HI, 1); // the first search anchors ^ at the cursor
        if (anchor) {
            Label keep = b.newLabel();
            b.jumpReg(JumpOp.JSGE, LO, ANCHOR_FROM, keep);
            b.aluReg(AluOp.MOV, LO, ANCHOR_FROM).aluReg(AluOp.MOV, T, LIMIT).alu(AluOp.ADD, T, 1);
            min(LO, T);
            b.alu(AluOp.MOV, HI, 0); // past a previous occurrence, ^ no longer means "at the cursor"
            b.bind(keep);
        }
        Level l = new Level(b.newLabel(), b.newLabel(), slot(), stream ? slot() : -1, anchor ? slot() : -1,
                anchor ? slot() : -1, anchor);
        int firstSlot = slot();
        b.storeMem(l.next, LO).storeMem(firstSlot, HI);
        if (stream) {
            b.storeMem(l.maxBefore, MAX_END);
        }
        b.bind(l.search);
        b.loadMem(2, l.next);
        b.jumpReg(JumpOp.JSGT, 2, LIMIT, back());
        b.alu(AluOp.MOV, 1, re).loadMem(3, firstSlot).aluReg(AluOp.MOV, 4, LIMIT).call(Helpers.REGEX);
        b.jump(JumpOp.JEQ, 0, Helpers.REGEX_EXHAUSTED, fail);
        if (absentFails) {
            Label found = b.newLabel();
            b.jump(JumpOp.JSGE, 0, 0, found);
            b.loadMem(T, firstSlot);
            b.jump(JumpOp.JEQ, T, 0, back()); // a later search: earlier matches were tried, the others may differ
            if (stream) {
                b.jump(JumpOp.JNE, MODE, 0, back());
            }
            b.ja(fail);
            b.bind(found);
        } else {
            b.jump(JumpOp.JSLT, 0, 0, back());
        }
        levels.add(l);
        b.aluReg(AluOp.MOV, T, 0).alu(AluOp.RSH, T, 32);
        if (anchor) {
            b.storeMem(l.start, T);
        }
        b.alu(AluOp.ADD, T, 1).storeMem(l.next, T);
        b.aluReg(AluOp.MOV, CURSOR, 0).alu32(AluOp.MOV, T, 0xffffffffL).aluReg(AluOp.AND, CURSOR, T);
        b.alu(AluOp.MOV, T, 0).storeMem(firstSlot, T);
        if (stream) {
            b.loadMem(MAX_END, l.maxBefore);
            max(MAX_END, CURSOR);
        }
        if (anchor) {
            anchorCheck(l);
        }
    }

    /** r0 = regex {@code re} from register {@code from}, anchored when {@code first}, up to the limit. */
    private void regex(int re, int from, int first) {
        b.alu(AluOp.MOV, 1, re).aluReg(AluOp.MOV, 2, from).alu(AluOp.MOV, 3, first).aluReg(AluOp.MOV, 4, LIMIT)
                .call(Helpers.REGEX);
    }

    private void dataAt(DataAt d) throws TooComplex {
        Label present = b.newLabel();
        Label absent = b.newLabel();
        if (d.relative()) {
            if (!d.at().isVariable() && d.at().constant() == 0) {
                if (d.negated()) {
                    throw new TooComplex("isdataat:!0,relative never holds");
                }
                return;
            }
            // N bytes remain after the cursor: byte cursor + N - 1 exists (a variable N of 0 always holds)
            Label some = b.newLabel();
            if (d.at().isVariable()) {
                value(LO, d.at());
                b.jump(JumpOp.JNE, LO, 0, some);
                b.ja(d.negated() ? back() : present);
                b.bind(some);
            }
            b.aluReg(AluOp.MOV, T, CURSOR);
            addValue(T, d.at(), LO);
            b.alu(AluOp.SUB, T, 1);
        } else {
            value(T, d.at());
            if (stream) {
                b.aluReg(AluOp.SUB, T, BASE);
            }
        }
        b.jump(JumpOp.JSLT, T, 0, absent);
        b.jumpReg(JumpOp.JSGE, T, LIMIT, absent);
        b.ja(present);
        b.bind(absent);
        if (!d.negated()) {
            b.ja(back());
        }
        Label done = b.newLabel();
        if (d.negated()) {
            b.ja(done);
        }
        b.bind(present);
        if (d.negated()) {
            b.ja(back());
        }
        b.bind(done);
    }

    /** T = where an offset counts from: the cursor, or the buffer's start (in a stream, its stream offset 0). */
    private void origin(boolean relative) {
        if (relative) {
            b.aluReg(AluOp.MOV, T, CURSOR);
        } else {
            b.alu(AluOp.MOV, T, 0);
            if (stream) {
                b.aluReg(AluOp.SUB, T, BASE);
            }
        }
    }

    /** T = the index a byte keyword reads at (cursor-relative or absolute); fails when the bytes pass the limit. */
    private void readAt(ByteRead r) throws TooComplex {
        origin(r.relative());
        addValue(T, r.offset(), LO);
        b.jump(JumpOp.JSLT, T, 0, back());
        b.aluReg(AluOp.MOV, LO, T).alu(AluOp.ADD, LO, r.nbytes());
        b.jumpReg(JumpOp.JSGT, LO, LIMIT, back());
        if (r.nbytes() == 0 && r.binary()) {
            b.alu(AluOp.MOV, 0, 0); // byte_jump's 0 bytes (from_end): nothing read, the number is 0
            return;
        }
        if (r.nbytes() == 0) {
            // a string of 0 bytes is the rest of the buffer (at most the helper's 20 characters): r2 = its length
            Label fits = b.newLabel();
            b.aluReg(AluOp.MOV, 2, LIMIT).aluReg(AluOp.SUB, 2, T).jump(JumpOp.JSLE, 2, STRING_CHARS, fits)
                    .alu(AluOp.MOV, 2, STRING_CHARS).bind(fits).alu(AluOp.OR, 2, (long) r.base() << 8);
        } else {
            b.alu(AluOp.MOV, 2, r.nbytes() | (long) r.base() << 8 | (r.littleEndian() ? 0x10000L : 0));
        }
        b.aluReg(AluOp.MOV, 1, T);
        constant(3, r.bitmask());
        b.call(Helpers.BYTE_READ);
        if (!(r.binary() && r.nbytes() == 8)) {
            b.jump(JumpOp.JEQ, 0, -1, back());
        }
    }

    private void byteTest(ByteTest t) throws TooComplex {
        readAt(t.read());
        value(2, t.value());
        Label holds = b.newLabel();
        Label fails = back();
        switch (t.operator()) {
            case "<" -> b.jumpReg(JumpOp.JLT, 0, 2, holds);
            case ">" -> b.jumpReg(JumpOp.JGT, 0, 2, holds);
            case "=" -> b.jumpReg(JumpOp.JEQ, 0, 2, holds);
            case "<=" -> b.jumpReg(JumpOp.JLE, 0, 2, holds);
            case ">=" -> b.jumpReg(JumpOp.JGE, 0, 2, holds);
            case "&" -> b.jumpReg(JumpOp.JSET, 0, 2, holds);
            case "^" -> b.aluReg(AluOp.XOR, 0, 2).jump(JumpOp.JNE, 0, 0, holds);
            default -> throw new TooComplex("byte_test operator '" + t.operator() + "'");
        }
        if (t.negated()) {
            Label done = b.newLabel();
            b.ja(done).bind(holds).ja(fails).bind(done);
        } else {
            b.ja(fails).bind(holds);
        }
    }

    /** r0 = r0 * multiplier, rounded up to a multiple of {@code align} (a power of two; 0 for none). */
    private void scale(long multiplier, int align) {
        if (multiplier != 1 && multiplier != 0) {
            b.aluReg(AluOp.MOV, LO, 0);
            constant(0, multiplier);
            b.aluReg(AluOp.MUL, 0, LO);
        }
        if (align > 1) {
            b.alu(AluOp.ADD, 0, align - 1).alu(AluOp.AND, 0, -align);
        }
    }

    private void byteJump(ByteJump j) throws TooComplex {
        ByteRead r = j.read();
        readAt(r);
        scale(j.multiplier(), j.align() ? 4 : 0);
        if (j.fromBeginning()) {
            b.alu(AluOp.MOV, T, 0);
        } else if (j.fromEnd()) {
            b.aluReg(AluOp.MOV, T, LIMIT);
        } else {
            b.alu(AluOp.ADD, T, r.nbytes());
        }
        b.aluReg(AluOp.ADD, T, 0);
        if (j.postOffset() != 0) {
            constant(LO, j.postOffset());
            b.aluReg(AluOp.ADD, T, LO);
        }
        b.jump(JumpOp.JSLT, T, 0, back());
        b.jumpReg(JumpOp.JSGT, T, LIMIT, back());
        b.aluReg(AluOp.MOV, CURSOR, T);
    }

    private int variable(int index) throws TooComplex {
        Integer s = varSlot.get(index);
        if (s == null) {
            s = slot();
            varSlot.put(index, s);
        }
        return s;
    }

    private void byteExtract(ByteExtract e) throws TooComplex {
        varNames.put(e.variable(), e.name());
        readAt(e.read());
        scale(e.multiplier(), e.align());
        b.storeMem(variable(e.variable()), 0);
        b.aluReg(AluOp.MOV, CURSOR, T).alu(AluOp.ADD, CURSOR, e.read().nbytes());
    }

    private void byteMath(ByteMath m) throws TooComplex {
        varNames.put(m.variable(), m.name());
        readAt(m.read());
        value(2, m.rvalue());
        switch (m.operator()) {
            case "+" -> b.aluReg(AluOp.ADD, 0, 2);
            case "-" -> b.aluReg(AluOp.SUB, 0, 2);
            case "*" -> b.aluReg(AluOp.MUL, 0, 2);
            case "/" -> b.jump(JumpOp.JEQ, 2, 0, back()).aluReg(AluOp.DIV, 0, 2);
            case "<<" -> b.aluReg(AluOp.LSH, 0, 2);
            case ">>" -> b.aluReg(AluOp.RSH, 0, 2);
            default -> throw new TooComplex("byte_math operator '" + m.operator() + "'");
        }
        b.storeMem(variable(m.variable()), 0);
    }

    /**
     * {@code base64_decode} and its {@code base64_data} chain: decodes {@code [start, min(start + bytes, limit))},
     * start being the offset from the buffer's start (a stream offset in a stream) or from the cursor; an offset at or
     * past the limit fails, as in Suricata. The decoded bytes are selected and the data chain runs over them as a
     * packet chain of its own (cursor 0, no stream reporting), sharing the byte variables and the scratch slots; on
     * its success and on its failure the buffer is selected again and the limit restored, so that what follows (the
     * stream's reporting, retries of earlier items) sees the buffer as it was.
     */
    private void base64(Base64Decode d) throws TooComplex {
        origin(d.relative());
        if (d.offset() != 0) {
            constant(LO, d.offset());
            b.aluReg(AluOp.ADD, T, LO);
        }
        b.jump(JumpOp.JSLT, T, 0, back()); // a stream offset before the window: nothing can be decided here
        b.jumpReg(JumpOp.JSGE, T, LIMIT, back());
        b.aluReg(AluOp.MOV, HI, T).alu(AluOp.ADD, HI, d.bytes());
        min(HI, LIMIT);
        int limit = slot();
        b.storeMem(limit, LIMIT);
        b.aluReg(AluOp.MOV, 1, T).aluReg(AluOp.MOV, 2, HI).call(Helpers.BASE64_DECODE);
        b.jump(JumpOp.JSLT, 0, 0, back());
        b.note("base64_data");
        Label undo = b.newLabel();
        ChainCompiler data = new ChainCompiler(b, strings, false, rule, undo, varSlot, varNames);
        data.slots = slots;
        data.emitChain(d.data());
        slots = data.slots;
        Label done = b.newLabel();
        b.call(Helpers.BASE64_RESTORE).loadMem(LIMIT, limit).ja(done);
        b.bind(undo);
        b.call(Helpers.BASE64_RESTORE).loadMem(LIMIT, limit).ja(back());
        b.bind(done);
    }

    private void bsize(Bsize s) {
        UintTest t = s.test();
        b.loadMeta(T, MetaField.BUF_LEN);
        Label out = back();
        switch (t.op()) {
            case EQ -> b.jump(JumpOp.JNE, T, t.a(), out);
            case NE -> b.jump(JumpOp.JEQ, T, t.a(), out);
            case LT -> b.jump(JumpOp.JGE, T, t.a(), out);
            case LE -> b.jump(JumpOp.JGT, T, t.a(), out);
            case GT -> b.jump(JumpOp.JLE, T, t.a(), out);
            case GE -> b.jump(JumpOp.JLT, T, t.a(), out);
            default -> b.jump(JumpOp.JLE, T, t.a(), out).jump(JumpOp.JGE, T, t.b(), out);
        }
    }
}
