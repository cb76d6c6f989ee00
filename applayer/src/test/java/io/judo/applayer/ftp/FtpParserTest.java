package io.judo.applayer.ftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-checked vectors: commands and their buffers, reply pairing, multi-line replies, data channels, limits. */
class FtpParserTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Recorder run(FtpConfig config, String... flights) {
        Recorder r = new Recorder();
        FtpParser p = new FtpParser(config, r);
        for (String f : flights) {
            int dir = f.charAt(0) == 'C' ? 0 : 1;
            byte[] bytes = b(f.substring(2));
            p.data(dir, bytes, 0, bytes.length);
        }
        p.end(0);
        p.end(1);
        return r;
    }

    static Recorder run(String... flights) {
        return run(FtpConfig.defaults(), flights);
    }

    @Test
    void loginPairsEachCommandWithItsReply() {
        Recorder r = run("S 220 (vsFTPd 3.0.3)\r\n", "C user anonymous\r\n", "S 331 Please specify the password.\r\n",
            "C PASS guest@\r\n", "S 230 Login successful.\r\n", "C SYST\r\n", "S 215 UNIX Type: L8\r\n",
            "C XFOO bar\r\n", "S 500 Unknown command.\r\n", "C QUIT\r\n", "S 221 Goodbye.\r\n");
        // ftp.command is the table's name (upper case even for "user"); an unknown verb has neither buffer
        assertEquals(List.of("USER|anonymous", "PASS|guest@", "SYST|-", "-|-", "QUIT|-"), r.commands);
        assertEquals(List.of(
            "tx 0 null cmd=- data=null reply=[(vsFTPd 3.0.3)] codes=[220] code=220 received=true port=0 mode=null",
            "tx 1 user anonymous cmd=USER data=anonymous reply=[Please specify the password.] codes=[331] code=331"
                + " received=true port=0 mode=null",
            "tx 2 PASS guest@ cmd=PASS data=guest@ reply=[Login successful.] codes=[230] code=230 received=true"
                + " port=0 mode=null",
            "tx 3 SYST cmd=SYST data=null reply=[UNIX Type: L8] codes=[215] code=215 received=true port=0 mode=null",
            "tx 4 XFOO bar cmd=- data=null reply=[Unknown command.] codes=[500] code=500 received=true port=0"
                + " mode=null",
            "tx 5 QUIT cmd=QUIT data=null reply=[Goodbye.] codes=[221] code=221 received=true port=0 mode=null"),
            r.log);
    }

    @Test
    void bareLineFeedsTrailingSpaceAndArgumentsWithSpaces() {
        Recorder r = run("S 220 hi\n", "C CWD /a dir/with  spaces  \n", "S 250 ok\n", "C NOOP\r\n", "S 200 ok\n");
        assertEquals(List.of("CWD|/a dir/with  spaces", "NOOP|-"), r.commands);
    }

    @Test
    void multiLineRepliesAreOneReplyAndOnlyTheirOwnCodeClosesThem() {
        Recorder r = run("S 220-Welcome\r\n220-second line\r\n220 ready\r\n", "C FEAT\r\n",
            "S 211-Features:\r\n EPRT\r\n 211 not the end (leading space)\r\n211-still\r\n211 End\r\n",
            "C HELP\r\n", "S 214-a\r\n200 inner line with another code\r\n214 b\r\n");
        assertEquals("tx 0 null cmd=- data=null reply=[Welcome, second line, ready] codes=[220, 220, 220] code=220"
            + " received=true port=0 mode=null", r.log.get(0));
        assertEquals("tx 1 FEAT cmd=- data=null reply=[Features:,  EPRT,  211 not the end (leading space), still, End]"
            + " codes=[211, -1, -1, 211, 211] code=211 received=true port=0 mode=null", r.log.get(1));
        assertEquals("tx 2 HELP cmd=HELP data=null reply=[a, inner line with another code, b] codes=[214, 200, 214]"
            + " code=214 received=true port=0 mode=null", r.log.get(2));
    }

    @Test
    void preliminaryRepliesKeepTheTransactionOpenAndPipelinedCommandsPairInOrder() {
        Recorder r = run("S 120 wait\r\n220 now\r\n", "C TYPE I\r\nSIZE f\r\n", "S 200 binary\r\n213 12\r\n",
            "C RETR f\r\n", "S 150 opening\r\n226 done\r\n");
        assertEquals("tx 0 null cmd=- data=null reply=[wait, now] codes=[120, 220] code=220 received=true port=0"
            + " mode=null", r.log.get(0));
        assertTrue(r.log.get(1).startsWith("tx 1 TYPE I cmd=TYPE data=I reply=[binary]"), r.log.get(1));
        assertTrue(r.log.get(2).startsWith("tx 2 SIZE f cmd=SIZE data=f reply=[12]"), r.log.get(2));
        assertTrue(r.log.get(3).startsWith("tx 3 RETR f cmd=RETR data=f reply=[opening, done] codes=[150, 226]"
            + " code=226"), r.log.get(3));
    }

    @Test
    void passiveModeAnnouncesTheServersAddressAndTheTransferItsDirection() {
        Recorder r = run("S 220 hi\r\n", "C PASV\r\n", "S 227 Entering Passive Mode (192,168,1,2,195,80).\r\n",
            "C RETR /pub/file.txt\r\n", "S 150 here\r\n226 ok\r\n", "C EPSV\r\n",
            "S 229 Entering Extended Passive Mode (|||40001|)\r\n", "C STOR up.bin\r\n", "S 150 go\r\n226 ok\r\n",
            "C PASV\r\n", "S 227 Entering Passive Mode 10,0,0,1,0,21\r\n", "C LIST\r\n", "S 150 x\r\n226 y\r\n");
        assertEquals("channel passive 192.168.1.2:50000 by PASV", r.log.get(1));
        assertTrue(r.log.get(2).contains("port=50000 mode=passive"), r.log.get(2));
        assertEquals("transfer passive 192.168.1.2:50000 RETR /pub/file.txt down", r.log.get(3));
        assertEquals("channel passive *:40001 by EPSV", r.log.get(5));
        assertEquals("transfer passive *:40001 STOR up.bin up", r.log.get(7));
        assertEquals("channel passive 10.0.0.1:21 by PASV", r.log.get(9));
        assertEquals("transfer passive 10.0.0.1:21 LIST down", r.log.get(11));
        assertArrayEquals(b("up.bin"), r.channels.get(1).fileName());
        assertNull(r.channels.get(2).fileName());
    }

    @Test
    void activeModeNeedsTheServersYes() {
        Recorder r = run("S 220 hi\r\n", "C PORT 10,1,2,3,4,1\r\n", "S 200 PORT command successful\r\n",
            "C RETR a\r\n", "S 150 x\r\n226 y\r\n", "C EPRT |2|2001:db8::1|5282|\r\n", "S 200 ok\r\n",
            "C APPE b\r\n", "S 150 x\r\n226 y\r\n", "C PORT 10,1,2,3,4,2\r\n", "S 500 Illegal PORT command.\r\n",
            "C RETR c\r\n", "S 425 Use PORT or PASV first.\r\n", "C EPRT |1|10.9.8.7|2000|\r\n", "S 200 ok\r\n");
        assertEquals("channel active 10.1.2.3:1025 by PORT", r.log.get(1));
        assertEquals("transfer active 10.1.2.3:1025 RETR a down", r.log.get(3));
        assertEquals("channel active 2001:db8:0:0:0:0:0:1:5282 by EPRT", r.log.get(5));
        assertEquals("transfer active 2001:db8:0:0:0:0:0:1:5282 APPE b up", r.log.get(7));
        // the refused PORT announces nothing, so the RETR after it transfers nothing
        assertTrue(r.log.get(9).startsWith("tx 5 PORT 10,1,2,3,4,2") && r.log.get(9).contains("port=0"));
        assertTrue(r.log.get(10).startsWith("tx 6 RETR c"), r.log.get(10));
        assertEquals("channel active 10.9.8.7:2000 by EPRT", r.log.get(11));
    }

    @Test
    void malformedAnnouncementsAnnounceNothing() {
        for (String port : new String[] {"1,2,3", "1,2,3,4,0,0", "256,1,1,1,1,1", "1,2,3,4,5,6x", "a,b,c,d,e,f", ""}) {
            Recorder r = run("S 220 hi\r\n", "C PORT " + port + "\r\n", "S 200 ok\r\n");
            assertFalse(r.log.stream().anyMatch(l -> l.startsWith("channel")), port);
        }
        for (String reply : new String[] {"227 (1,2,3,4,5)", "227 nothing", "229 (|||0|)", "229 (||40001|)",
            "229 (|||99999|)", "229 ("}) {
            String cmd = reply.startsWith("227") ? "PASV" : "EPSV";
            Recorder r = run("S 220 hi\r\n", "C " + cmd + "\r\n", "S " + reply + "\r\n");
            assertFalse(r.log.stream().anyMatch(l -> l.startsWith("channel")), reply);
        }
        for (String eprt : new String[] {"|3|1.2.3.4|5|", "|1|1.2.3|5|", "|2|example.com|5|", "|1|1.2.3.4|", "x"}) {
            Recorder r = run("S 220 hi\r\n", "C EPRT " + eprt + "\r\n", "S 200 ok\r\n");
            assertFalse(r.log.stream().anyMatch(l -> l.startsWith("channel")), eprt);
        }
    }

    @Test
    void authTlsAcceptedStopsTheParserAndRefusedGoesOn() {
        Recorder r = run("S 220 hi\r\n", "C AUTH TLS\r\n\u0016\u0003\u0001binary\r\nUSER x\r\n", "S 234 go\r\n\u0016more");
        assertEquals(List.of("AUTH TLS|-"), r.commands);
        assertTrue(r.log.contains("tls"), r.log.toString());
        Recorder refused = run("S 220 hi\r\n", "C auth tls\r\nUSER x\r\n", "S 530 no\r\n331 pw\r\n");
        assertEquals(List.of("AUTH TLS|-", "USER|x"), refused.commands);
        assertTrue(refused.log.get(2).startsWith("tx 2 USER x cmd=USER data=x reply=[pw]"), refused.log.toString());
        Recorder ssl = run("S 220 hi\r\n", "C AUTH SSL\r\n", "S 234 go\r\n");
        assertEquals(List.of("-|-"), ssl.commands); // not in Suricata's table, so no buffers (and no TLS hand-off)
    }

    @Test
    void longLinesAreCutAndRaiseSuricatasEvents() {
        FtpConfig c = FtpConfig.defaults().withLimits(16, 256, 64);
        Recorder r = run(c, "S 220 hi\r\n", "C USER " + "x".repeat(40) + "\r\nNOOP\r\n",
            "S 331 " + "y".repeat(40) + "\r\n200 ok\r\n");
        assertEquals(List.of("USER|xxxxxxxxxxx", "NOOP|-"), r.commands);
        assertTrue(r.log.contains("event 0 request_command_too_long tx 1"), r.log.toString());
        assertTrue(r.log.contains("event 1 response_command_too_long tx 1"), r.log.toString());
        // exactly the limit, with CRLF or LF, is not cut
        Recorder exact = run(c, "S 220 hi\r\n", "C USER " + "x".repeat(11) + "\r\nUSER " + "z".repeat(11) + "\n");
        assertEquals(List.of("USER|xxxxxxxxxxx", "USER|zzzzzzzzzzz"), exact.commands);
        assertFalse(exact.log.stream().anyMatch(l -> l.contains("too_long")), exact.log.toString());
    }

    @Test
    void tooManyWaitingCommandsAreNotKept() {
        FtpConfig c = FtpConfig.defaults().withLimits(4096, 3, 64);
        Recorder r = run(c, "C NOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\n");
        assertEquals(5, r.commands.size()); // every command is read; the oldest two are done without their replies
        assertTrue(r.log.get(0).equals("event 0 too_many_transactions (connection)"), r.log.toString());
        assertTrue(r.log.get(1).startsWith("tx 0 NOOP") && r.log.get(1).contains("received=false"), r.log.toString());
        // done at the end, without a reply
        assertTrue(r.log.get(r.log.size() - 1).contains("received=false"));
    }

    @Test
    void gapsResumeAtTheNextLineAndStrayLinesAreEvents() {
        Recorder r = new Recorder();
        FtpParser p = new FtpParser(FtpConfig.defaults(), r);
        byte[] s = b("220 hi\r\n");
        p.data(1, s, 0, s.length);
        byte[] c = b("USER a");
        p.data(0, c, 0, c.length);
        p.gap(0, 10);
        c = b("lost\r\nNOOP\r\n");
        p.data(0, c, 0, c.length);
        s = b("hello there\r\n200 ok\r\n");
        p.data(1, s, 0, s.length);
        p.end(0);
        p.end(1);
        assertEquals(List.of("NOOP|-"), r.commands);
        assertTrue(r.log.contains("event 0 stream_gap (connection)"), r.log.toString());
        assertTrue(r.log.contains("event 1 invalid_reply tx 1"), r.log.toString());
        assertTrue(r.log.get(r.log.size() - 1).startsWith("tx 1 NOOP cmd=NOOP data=null reply=[hello there, ok]"));
    }

    @Test
    void aResetParserIsFresh() {
        Recorder r = new Recorder();
        FtpParser p = new FtpParser(FtpConfig.defaults(), r);
        byte[] c = b("USER a\r\nPASV\r\n");
        p.data(0, c, 0, c.length);
        p.reset();
        byte[] s = b("220 hi\r\n");
        p.data(1, s, 0, s.length);
        p.end(0);
        p.end(1);
        assertEquals(1, p.transactions());
        assertEquals("tx 0 null cmd=- data=null reply=[hi] codes=[220] code=220 received=true port=0 mode=null",
            r.log.get(0));
    }
}
