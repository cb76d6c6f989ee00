package io.judo.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.decode.LinkType;
import io.judo.rules.cbpf.CbpfImporter;
import io.judo.rules.pcap.FilterCompiler;
import io.judo.vm.Program;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterCompilerTest {
    /** Filter text to program listing, pinned. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp port 80 and not host 10.0.0.1|tcp-port-80.disasm",
        "tcp[tcpflags] & tcp-syn != 0|tcp-syn.disasm",
        "vlan 100 and ip6 net 2001:db8::/32|vlan-ip6-net.disasm",
        "tcp dst port 22 or 25 or 80 or 443 or 8080|tcp-dst-ports.disasm"})
    void listingsArePinned(String expr, String file) throws Exception {
        Program p = FilterCompiler.compile(expr, LinkType.ETHERNET);
        Verifier.verify(p);
        String listing = "; " + expr + "\n" + Disassembler.disassemble(p);
        Golden.pin(file, listing);
        // ... and after the optimizer (tcpdump agrees with both: TcpdumpDifferentialTest runs the optimized one)
        io.judo.vm.opt.Optimizer.Result o = io.judo.vm.opt.Optimizer.run(p);
        Verifier.verify(o.program());
        Golden.pin(file.replace(".disasm", ".opt.disasm"), "; " + expr + "\n; optimized: " + p.length() + " -> "
                + o.program().length() + " instructions; passes " + String.join(", ", o.applied()) + "\n"
                + Disassembler.disassemble(o.program()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tcp port 80 and frob|17|unknown word 'frob'",
        "tcp port|9|expected a value after 'port'",
        "port 99999|6|out of range",
        "host 10.0.0.300|6|not an address",
        "ip[0] > |8|unexpected end",
        "(tcp|5|expected ')'",
        "tcp and|8|unexpected end",
        "ip[2:3] = 1|6|data size must be 1, 2 or 4",
        "gateway router|1|not supported",
        "ip[0] / 0 = 1|7|division by zero",
        "ip[0] << 32 = 1|7|shift by more than 31 bits",
        "tcp $ 1|5|unexpected character",
        "ip6 host 10.0.0.1|10|an IPv4 address with 'ip6'",
        "icmp port 80|11|not valid"})
    void syntaxErrorsNameTheColumn(String expr, int column, String message) {
        SyntaxError e = assertThrows(SyntaxError.class, () -> FilterCompiler.compile(expr, LinkType.ETHERNET));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(column, e.column(), e.display());
        String[] lines = e.display().split("\n");
        assertEquals(column + 4, lines[2].length(), "caret under column " + column + ":\n" + e.display());
    }

    @Test
    void linkLayerPrimitivesNeedEthernet() {
        SyntaxError e = assertThrows(SyntaxError.class, () -> FilterCompiler.compile("vlan 10", LinkType.RAW));
        assertTrue(e.getMessage().contains("does not apply to link type RAW"), e.getMessage());
        assertThrows(SyntaxError.class, () -> FilterCompiler.compile("ether host 02:00:00:00:00:01",
                LinkType.LINUX_SLL));
        assertThrows(SyntaxError.class, () -> FilterCompiler.compile("tcp", 147));
    }

    @Test
    void emptyExpressionSelectsEverything() throws Exception {
        Program p = FilterCompiler.compile("", LinkType.ETHERNET);
        Verifier.verify(p);
        assertEquals("    ret pass, 1\n", Disassembler.disassemble(p));
    }

    @Test
    void classicBpfErrors() {
        assertThrows(SyntaxError.class, () -> CbpfImporter.importText("2\n6 0 0 1\n"));
        assertThrows(SyntaxError.class, () -> CbpfImporter.importText("x\n6 0 0 1\n"));
        SyntaxError jump = assertThrows(SyntaxError.class, () -> CbpfImporter.importText("2\n21 5 0 1\n6 0 0 0\n"));
        assertTrue(jump.getMessage().contains("past the end"), jump.getMessage());
        SyntaxError div = assertThrows(SyntaxError.class, () -> CbpfImporter.importText("2\n52 0 0 0\n6 0 0 1\n"));
        assertTrue(div.getMessage().contains("division by constant zero"), div.getMessage());
        SyntaxError last = assertThrows(SyntaxError.class, () -> CbpfImporter.importText("1\n0 0 0 1\n"));
        assertTrue(last.getMessage().contains("must be a return"), last.getMessage());
    }
}
