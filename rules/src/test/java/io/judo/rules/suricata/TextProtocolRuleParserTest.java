package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.interp.Helpers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocols Judo detects but does not parse (SMTP, FTP, SSH): their header protocols and app-layer-protocol names
 * are a TCP flow of that protocol, their rules read the packet data and the stream, and a rule reading a buffer their
 * parser would fill is skipped by name instead of run on another layer's buffer.
 */
class TextProtocolRuleParserTest {
    private static final RuleParser PARSER = new RuleParser(Variables.defaults(), Classifications.empty());

    private static SuricataRule parse(String header, String options) {
        return PARSER.parse("alert " + header + " any any -> any any (" + options + " sid:1;)", "t.rules", 1);
    }

    @Test
    void headerProtocolsAreATcpFlowOfThatProtocol() {
        for (String[] p : new String[][] {{"smtp", "" + Helpers.APP_PROTO_SMTP}, {"ftp", "" + Helpers.APP_PROTO_FTP},
                {"ssh", "" + Helpers.APP_PROTO_SSH}, {"ftp-data", "" + Helpers.APP_PROTO_FTP_DATA}}) {
            SuricataRule r = parse(p[0], "flow:established,to_server; content:\"x\";");
            assertEquals(SuricataRule.Proto.TCP, r.proto(), p[0]);
            assertEquals(List.of(new SuricataRule.AppProto(Integer.parseInt(p[1]), false)), r.appProtos(), p[0]);
            assertEquals(CompiledRuleSet.Hook.STREAM, RuleSetCompiler.hookOf(r), "packet data: the stream hook");
            assertEquals(List.of(new SuricataRule.AppProto(Integer.parseInt(p[1]), true)),
                    parse("tcp", "app-layer-protocol:!" + p[0] + "; content:\"x\";").appProtos());
            assertEquals(p[0], Helpers.appProtoName(Integer.parseInt(p[1])));
        }
    }

    @Test
    void buffersOfTheirParsersAreSkippedByName() {
        assertEquals("http.uri on smtp", assertThrows(UnsupportedKeyword.class,
                () -> parse("smtp", "http.uri; content:\"MZ\";")).keyword());
        // SMTP has a parser now: its envelope buffers and file.data (the mail's files) load
        assertEquals(io.judo.vm.Buffer.FILE_DATA, parse("smtp", "file.data; content:\"MZ\";")
                .transactionInspections().get(0).buffer());
        assertEquals(io.judo.vm.Buffer.SMTP_RCPT_TO, parse("smtp", "smtp.rcpt_to; content:\"@\";")
                .transactionInspections().get(0).buffer());
        assertEquals("http.uri on ftp", assertThrows(UnsupportedKeyword.class,
                () -> parse("tcp", "app-layer-protocol:ftp; http.uri; content:\"x\";")).keyword());
        assertEquals("http.uri on ssh", assertThrows(UnsupportedKeyword.class,
                () -> parse("ssh", "http.uri; content:\"x\";")).keyword());
        // SSH has a parser now: its own buffers (and the older spellings) load
        assertEquals(io.judo.vm.Buffer.SSH_PROTO, parse("ssh", "ssh_proto; content:\"2.0\";").transactionInspections()
                .get(0).buffer());
        assertEquals(io.judo.vm.Buffer.SSH_HASSH_SERVER, parse("ssh", "ssh.hassh.server; content:\"a\";")
                .transactionInspections().get(0).buffer());
        // FTP has a parser now: ftp.command and ftp.command_data load on ftp rules, ftpbounce makes a rule FTP's
        assertEquals(io.judo.vm.Buffer.FTP_COMMAND_DATA, parse("ftp", "ftp.command_data; content:\"anonymous\";")
                .transactionInspections().get(0).buffer());
        SuricataRule bounce = parse("tcp", "content:\"PORT\"; nocase; ftpbounce; pcre:\"/^PORT/smi\";");
        assertEquals(List.of(new SuricataRule.AppProto(Helpers.APP_PROTO_FTP, false)), bounce.appProtos());
        assertEquals(io.judo.vm.Buffer.FTP_BOUNCE, bounce.transactionInspections().get(0).buffer());
        assertEquals(CompiledRuleSet.Hook.HTTP, RuleSetCompiler.hookOf(bounce), "the transaction hook");
        assertThrows(RuntimeException.class, () -> parse("tcp", "ftpbounce:1;"));
        // ftpdata_command: an ftp-data rule testing its data connection's transfer command (retr or stor only)
        SuricataRule stor = parse("ftp-data", "ftpdata_command:stor;");
        assertTrue(stor.transactionInspections().stream().anyMatch(i -> i.buffer() == io.judo.vm.Buffer.FTPDATA_COMMAND));
        assertTrue(parse("tcp", "ftpdata_command: RETR ;").appProtos().stream()
                .anyMatch(a -> a.id() == io.judo.vm.interp.Helpers.APP_PROTO_FTP_DATA && !a.negated()));
        assertThrows(RuntimeException.class, () -> parse("ftp-data", "ftpdata_command:list;"));
        assertThrows(RuntimeException.class, () -> parse("ftp-data", "ftpdata_command;"));
        assertEquals(io.judo.vm.Buffer.FILE_DATA, parse("ftp-data", "file.data; content:\"MZ\";")
                .transactionInspections().get(0).buffer());
        assertEquals("http.uri on ftp-data", assertThrows(UnsupportedKeyword.class,
                () -> parse("ftp-data", "http.uri; content:\"x\";")).keyword());
    }
}
