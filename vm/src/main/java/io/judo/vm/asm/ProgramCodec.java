package io.judo.vm.asm;

import io.judo.vm.Program;
import io.judo.vm.RuleRegion;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import io.judo.vm.pool.PatternDb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary program file ({@code .jvm}): magic {@code JUDOVM} and a format version, then the default verdict, the
 * pools, the rule regions and the instruction words, all big-endian. {@code judo asm} writes it; {@code judo disasm}
 * and {@code judo verify} read it.
 */
public final class ProgramCodec {
    private static final byte[] MAGIC = {'J', 'U', 'D', 'O', 'V', 'M', 0, 1};
    private static final int LIMIT = Program.MAX_INSNS;

    private ProgramCodec() {
    }

    /** True when the bytes start with the program file's magic. */
    public static boolean isProgramFile(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC);
    }

    public static byte[] encode(Program p) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(p.defaultVerdict());
            out.writeInt(p.strings().size());
            for (int i = 0; i < p.strings().size(); i++) {
                out.writeUTF(p.strings().name(i));
                out.writeInt(p.strings().get(i).length);
                out.write(p.strings().get(i));
            }
            out.writeInt(p.intSets().size());
            for (int i = 0; i < p.intSets().size(); i++) {
                IntRangeSet s = p.intSets().get(i);
                out.writeUTF(p.intSets().name(i));
                out.writeInt(s.ranges());
                for (int k = 0; k < s.ranges(); k++) {
                    out.writeLong(s.low(k));
                    out.writeLong(s.high(k));
                }
            }
            out.writeInt(p.cidrSets().size());
            for (int i = 0; i < p.cidrSets().size(); i++) {
                out.writeUTF(p.cidrSets().name(i));
                List<CidrSet.Entry> entries = p.cidrSets().get(i).entries();
                out.writeInt(entries.size());
                for (CidrSet.Entry e : entries) {
                    out.writeByte(e.address().length);
                    out.write(e.address());
                    out.writeByte(e.prefix());
                    out.writeBoolean(e.negated());
                }
            }
            out.writeInt(p.patternDbs().size());
            for (int i = 0; i < p.patternDbs().size(); i++) {
                out.writeUTF(p.patternDbs().name(i));
                out.writeInt(p.patternDbs().get(i).patterns());
            }
            out.writeInt(p.regions().size());
            for (RuleRegion r : p.regions()) {
                out.writeLong(r.ruleId());
                out.writeInt(r.start());
                out.writeInt(r.end());
            }
            out.writeInt(p.length());
            for (int pc = 0; pc < p.length(); pc++) {
                out.writeLong(p.insn(pc));
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a program file. The result still has to pass the verifier.
     *
     * @throws AsmException when the bytes are not a well-formed program file
     */
    public static Program decode(byte[] bytes) {
        if (!isProgramFile(bytes)) {
            throw new AsmException("not a judo program file (bad magic)");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length,
                    bytes.length - MAGIC.length));
            ProgramBuilder b = new ProgramBuilder();
            b.defaultVerdict(in.readInt());
            for (int i = 0, n = count(in); i < n; i++) {
                String name = in.readUTF();
                byte[] v = new byte[count(in)];
                in.readFully(v);
                b.addString(name, v);
            }
            for (int i = 0, n = count(in); i < n; i++) {
                String name = in.readUTF();
                List<long[]> ranges = new ArrayList<>();
                for (int k = 0, m = count(in); k < m; k++) {
                    ranges.add(new long[] {in.readLong(), in.readLong()});
                }
                b.addIntSet(name, IntRangeSet.of(ranges));
            }
            for (int i = 0, n = count(in); i < n; i++) {
                String name = in.readUTF();
                List<CidrSet.Entry> entries = new ArrayList<>();
                for (int k = 0, m = count(in); k < m; k++) {
                    int len = in.readUnsignedByte();
                    if (len != 4 && len != 16) {
                        throw new AsmException("corrupt program file: address length " + len);
                    }
                    byte[] a = new byte[len];
                    in.readFully(a);
                    int prefix = in.readUnsignedByte();
                    if (prefix > len * 8) {
                        throw new AsmException("corrupt program file: prefix length " + prefix);
                    }
                    entries.add(new CidrSet.Entry(a, prefix, in.readBoolean()));
                }
                b.addCidrSet(name, CidrSet.of(entries));
            }
            for (int i = 0, n = count(in); i < n; i++) {
                String name = in.readUTF();
                b.addPatternDb(name, count(in));
            }
            List<RuleRegion> regions = new ArrayList<>();
            for (int i = 0, n = count(in); i < n; i++) {
                regions.add(new RuleRegion(in.readLong(), in.readInt(), in.readInt()));
            }
            long[] code = new long[count(in)];
            for (int pc = 0; pc < code.length; pc++) {
                code[pc] = in.readLong();
            }
            if (in.available() > 0) {
                throw new AsmException("corrupt program file: " + in.available() + " bytes after the code");
            }
            Program pools = b.build();
            return new Program(code, regions, pools.defaultVerdict(), pools.strings(), pools.intSets(),
                    pools.cidrSets(), pools.patternDbs());
        } catch (EOFException e) {
            throw new AsmException("corrupt program file: cut short");
        } catch (IOException e) {
            throw new AsmException("corrupt program file: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new AsmException("corrupt program file: " + e.getMessage());
        }
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > LIMIT) {
            throw new AsmException("corrupt program file: count " + n);
        }
        return n;
    }
}
