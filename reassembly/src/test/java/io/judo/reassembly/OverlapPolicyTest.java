package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every policy against every way a new segment N can overlap a waiting segment O = [10, 20): the nine extents
 * below, at four initial sequence numbers. The expected winners (T: N's bytes, F: O's) are the rule table in
 * {@link OverlapPolicy}'s documentation (Suricata's target-based rules after Novak and Sturges), written out by hand.
 */
class OverlapPolicyTest {
    /** N's extents: same start shorter, equal, longer; before O ending inside, at its end, beyond; after O likewise. */
    static final int[][] N = {{10, 15}, {10, 20}, {10, 25}, {5, 15}, {5, 20}, {5, 25}, {12, 18}, {12, 20}, {12, 25}};

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "last,      TTTTTTTTT",
        "first,     FFFFFFFFF",
        "vista,     FFFFFFFFF",
        "bsd,       FFFTTTFFF",
        "bsd-right, FFFTTTFFF",
        "hpux10,    FFFTTTFFF",
        "irix,      FFFTTTFFF",
        "windows,   FFFTTTFFF",
        "win2003,   FFFTTTFFF",
        "macos,     FFFTTTFFF",
        "linux,     FFTTTTFFF",
        "old-linux, FTTTTTFFF",
        "solaris,   FTTFTTFFT",
        "hpux11,    FTTFTTFFT"})
    void winnersFollowTheTable(String name, String winners) {
        OverlapPolicy policy = OverlapPolicy.named(name);
        for (long isn : new long[] {0L, 1L, 0xffffffffL, 0xffffffffL - 10}) {
            for (int c = 0; c < N.length; c++) {
                int ns = N[c][0];
                int ne = N[c][1];
                boolean newWins = winners.charAt(c) == 'T';
                char[] expected = new char[Math.max(20, ne)];
                Arrays.fill(expected, '.');
                for (int i = 10; i < 20; i++) {
                    expected[i] = 'O';
                }
                for (int i = ns; i < ne; i++) {
                    boolean overlap = i >= 10 && i < 20;
                    expected[i] = !overlap || newWins ? 'N' : 'O';
                }
                Collect sink = new Collect();
                TcpStream s = new TcpStream(null, 0, StreamConfig.defaults().withPolicy(policy));
                s.syn(isn);
                send(s, isn, 10, "O".repeat(10), sink);
                send(s, isn, ns, "N".repeat(ne - ns), sink);
                send(s, isn, 0, ".".repeat(Math.min(ns, 10)), sink);
                s.flush(sink);
                assertEquals(new String(expected), sink.text(0).replace('\0', '.'),
                        name + " case " + c + " N=[" + ns + "," + ne + ") isn " + isn);
            }
        }
    }

    private static void send(TcpStream s, long isn, long offset, String text, Collect c) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length > 0) {
            s.segment((isn + 1 + offset) & 0xffffffffL, b, 0, b.length, c);
        }
    }
}
