package io.judo.vm.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.AluOp;
import io.judo.vm.JumpOp;
import io.judo.vm.asm.Assembler;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Every ALU operation and conditional jump, 64- and 32-bit, with a register and with an immediate, on values at the
 * edges of both widths: the JIT's bytecode gives what the interpreter gives. (Random programs rarely meet these
 * edges: an unsigned comparison with a negative immediate, a 32-bit signed order across 2^31, a shift by 63.)
 */
class JitOperatorTest {
    private static final long[] VALUES = {0, 1, 5, 31, 32, 63, 64, -1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE,
        0xffffffffL, 0x80000000L, 0x1_0000_0001L, Long.MAX_VALUE, Long.MIN_VALUE, 0x7fff_ffff_0000_0005L};
    private static final int[] IMMEDIATES = {0, 1, 5, 31, 32, 63, 64, -1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE};

    /** Sets {@code reg} to any 64-bit value with 32-bit immediates: high half, shift, or in the zero-extended low. */
    private static String set(int reg, long v) {
        return "    mov r" + reg + ", " + (int) (v >>> 32) + "\n    lsh r" + reg + ", 32\n    mov r9, " + (int) v
                + "\n    lsh r9, 32\n    rsh r9, 32\n    or r" + reg + ", r9\n";
    }

    private static long[] both(String body) throws Exception {
        VerifiedProgram v = Verifier.verify(Assembler.assemble(".default pass\n" + body, "op"));
        JitCompiler.Result jit = JitCompiler.compile(v, new HelperTable());
        assertTrue(jit.compiled(), jit.fallbackReason());
        PacketContext a = new PacketContext().bind(ByteBuffer.wrap(new byte[60]), 0, 60, 60);
        PacketContext b = new PacketContext().bind(ByteBuffer.wrap(new byte[60]), 0, 60, 60);
        new Interpreter(v, new HelperTable()).run(a);
        jit.runner().run(b);
        return new long[] {a.tag(), b.tag()};
    }

    private static void same(String what, String body) throws Exception {
        long[] r = both(body);
        assertEquals(r[0], r[1], what);
    }

    @Test
    void aluOperations() throws Exception {
        int checked = 0;
        for (AluOp op : AluOp.values()) {
            for (String width : new String[] {"", "32"}) {
                StringBuilder s = new StringBuilder("    mov r0, 0\n");
                int n = 0;
                for (long a : VALUES) {
                    for (long b : VALUES) { // register operand
                        s.append(set(1, a)).append(set(2, b)).append("    ").append(op.mnemonic()).append(width)
                                .append(" r1, r2\n    mul r0, 3\n    add r0, r1\n");
                        n++;
                    }
                    for (int imm : IMMEDIATES) {
                        if (imm == 0 && (op == AluOp.DIV || op == AluOp.MOD)
                                || op.ordinal() >= AluOp.LSH.ordinal() && (imm < 0 || imm >= (width.isEmpty() ? 64 : 32))) {
                            continue; // the verifier refuses a constant zero divisor and constant shifts out of range
                        }
                        s.append(set(1, a)).append("    ").append(op.mnemonic()).append(width).append(" r1, ")
                                .append(imm).append("\n    mul r0, 3\n    add r0, r1\n");
                        n++;
                    }
                }
                s.append("    stm tag, r0\n    ret pass\n");
                same(op.mnemonic() + width, s.toString());
                checked += n;
            }
        }
        assertTrue(checked > 10_000, "cases: " + checked);
    }

    /** Integer sets as the JIT writes them: compares for small sets (each range's ends), a search for large ones. */
    @Test
    void setTests() throws Exception {
        String[] sets = {"{ 80 }", "{ 20-30, 443 }", "{ 0-1024 }", "{ 1, 3, 5, 7, 9, 11, 13, 15, 17-20 }",
            "{ 1, 3, 5, 7, 9, 11, 13, 15, 17-20, 100-200 }"};
        for (String set : sets) {
            StringBuilder s = new StringBuilder(".set s int " + set + "\n    mov r0, 0\n");
            int label = 0;
            for (long v : new long[] {-1, 0, 1, 2, 3, 16, 17, 19, 20, 21, 29, 30, 31, 79, 80, 81, 99, 100, 200, 201,
                442, 443, 444, 1023, 1024, 1025, 65535, Integer.MAX_VALUE, Long.MIN_VALUE}) {
                s.append(set(1, v)).append("    mul r0, 3\n    jin r1, @s, t").append(label)
                        .append("\n    add r0, 1\nt").append(label++).append(":\n");
            }
            s.append("    stm tag, r0\n    ret pass\n");
            same(set, s.toString());
        }
    }

    /**
     * Address-set tests as the JIT writes them — compares for IPv4 sets of few ranges, the search for larger sets
     * and IPv6 — on addresses at range edges, IPv6, ARP (no IP header: the failure edge) and truncated frames.
     */
    @Test
    void addressTests() throws Exception {
        String[] sets = {"{ 10.0.0.0/8 }", "{ 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 }",
            "{ 0.0.0.0/0, !10.0.0.0/8 }", "{ 10.0.0.0/8, 2001:db8::/32 }",
            "{ 1.0.0.0/24, 2.0.0.0/24, 3.0.0.0/24, 4.0.0.0/24, 5.0.0.0/24, 6.0.0.0/24, 7.0.0.0/24, 8.0.0.0/24, "
                + "9.0.0.0/24 }"};
        String[] addresses = {"9.255.255.255", "10.0.0.0", "10.255.255.255", "11.0.0.0", "172.15.255.255",
            "172.16.0.0", "172.31.255.255", "172.32.0.0", "192.168.0.1", "0.0.0.0", "255.255.255.255", "5.0.0.9",
            "9.0.1.0"};
        java.util.List<byte[]> packets = new java.util.ArrayList<>();
        for (String a : addresses) {
            packets.add(io.judo.packet.build.PacketBuilder.ethernet().ipv4(a, addresses[(a.length() * 7)
                    % addresses.length]).tcp(1, 2).build());
        }
        packets.add(io.judo.packet.build.PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db9::1").tcp(1, 2)
                .build());
        packets.add(io.judo.packet.build.PacketBuilder.ethernet().arp(false, 1, new byte[6], "10.0.0.1", new byte[6],
                "10.0.0.2").build());
        byte[] whole = packets.get(0);
        packets.add(java.util.Arrays.copyOf(whole, 20));
        for (String set : sets) {
            String program = ".set s cidr " + set + "\n    mov r0, 0\n    mul r0, 3\n    jaddr src, @s, a\n"
                    + "    add r0, 1\na:  mul r0, 3\n    jaddr dst, @s, b\n    add r0, 1\nb:  stm tag, r0\n"
                    + "    ret pass\n";
            VerifiedProgram v = Verifier.verify(Assembler.assemble(".default drop\n" + program, "addr"));
            JitCompiler.Result jit = JitCompiler.compile(v, new HelperTable());
            assertTrue(jit.compiled(), jit.fallbackReason());
            Interpreter interp = new Interpreter(v, new HelperTable());
            for (byte[] pkt : packets) {
                for (boolean decoded : new boolean[] {true, false}) {
                    PacketContext a = context(pkt, decoded);
                    PacketContext b = context(pkt, decoded);
                    int ra = interp.run(a);
                    int rb = jit.runner().run(b);
                    assertEquals(ra + "/" + a.tag(), rb + "/" + b.tag(), set + " on " + java.util.HexFormat.of()
                            .formatHex(pkt));
                }
            }
        }
    }

    private static PacketContext context(byte[] pkt, boolean decoded) {
        if (!decoded) {
            return new PacketContext().bind(ByteBuffer.wrap(pkt), 0, pkt.length, pkt.length);
        }
        io.judo.packet.decode.PacketView view = new io.judo.packet.decode.PacketDecoder().decode(ByteBuffer.wrap(pkt),
                0, pkt.length, pkt.length, io.judo.packet.decode.LinkType.ETHERNET,
                new io.judo.packet.decode.PacketView());
        return new PacketContext().bind(view);
    }

    @Test
    void conditionalJumps() throws Exception {
        for (JumpOp op : JumpOp.values()) {
            for (String width : new String[] {"", "32"}) {
                StringBuilder s = new StringBuilder("    mov r0, 0\n");
                int label = 0;
                for (long a : VALUES) {
                    for (long b : VALUES) {
                        s.append(set(1, a)).append(set(2, b)).append("    mul r0, 3\n    ").append(op.mnemonic())
                                .append(width).append(" r1, r2, t").append(label).append("\n    add r0, 1\nt")
                                .append(label++).append(":\n");
                    }
                    for (int imm : IMMEDIATES) {
                        s.append(set(1, a)).append("    mul r0, 3\n    ").append(op.mnemonic()).append(width)
                                .append(" r1, ").append(imm).append(", t").append(label).append("\n    add r0, 1\nt")
                                .append(label++).append(":\n");
                    }
                }
                s.append("    stm tag, r0\n    ret pass\n");
                same(op.mnemonic() + width, s.toString());
            }
        }
    }
}
