package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suricata's own TCP overlap vectors, played through {@link TcpStream} for every policy and initial sequence number
 * they cover. The facts (segments, their order, the policy and Suricata's stream after every step) come from
 * OISF/suricata {@code src/tests/stream-tcp-list.c}: the {@code Overlap<Policy>}, {@code Overlap<Policy>Before},
 * {@code Overlap<Policy>Same} and {@code Overlap<Policy>After} cases that {@code StreamTcpReassembleTest01} (BSD) to
 * {@code StreamTcpReassembleTest06} (LAST) run at ISNs 0, 1, UINT_MAX and UINT_MAX - 10, and
 * {@code StreamTcpReassembleTest30} to {@code 32}. Each step is written {@code "RSEQ PAYLOAD STREAM"}: the segment's
 * sequence number relative to the ISN (1 is the first byte after the SYN), its payload, and Suricata's buffer after
 * it, '.' for a byte not received yet.
 *
 * <p>Suricata's tests never let the stream be inspected, so every byte they send stays replaceable to the end. Judo
 * delivers in-order bytes as they arrive and never changes them afterwards ({@link OverlapPolicy}), so {@link #held}
 * plays each vector one byte later, behind a hole that stays open: every byte then waits, as in Suricata's test, and
 * the stream must be Suricata's after every step. {@link #asSent} plays the vectors at their own sequence numbers;
 * only the vectors that overlap the in-order first segment differ from Suricata's, and {@link #inOrderBytesAreFinal}
 * pins what Judo keeps there.
 *
 * <p>Suricata runs these vectors for six policies. The other names fall into those families by Suricata's own
 * overlap rules (the policy lists in stream-tcp-list.c's overlap handling, and stream-tcp.c reading bsd-right as bsd):
 * windows, win2003, hpux10, irix, macos and bsd-right replace as bsd; hpux11 as solaris; first keeps old bytes as
 * vista does.
 */
class SuricataOverlapVectorsTest {
    static final long[] ISNS = {0L, 1L, 0xffffffffL, 0xffffffffL - 10};

    /** One segment and Suricata's stream after it. */
    record Step(int rseq, String payload, String expected) {
        static Step parse(String text) {
            String[] f = text.split(" ");
            return new Step(Integer.parseInt(f[0]), f[1], f[2]);
        }
    }

    /** A Suricata test case: its name, the policy it runs with, the ISNs it runs at, and its steps. */
    record Vector(String name, OverlapPolicy policy, long[] isns, List<Step> steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The policies that resolve every overlap as the named one does (Suricata groups them so). */
    static final Map<OverlapPolicy, Set<OverlapPolicy>> FAMILIES = Map.of(
            OverlapPolicy.BSD, EnumSet.of(OverlapPolicy.BSD, OverlapPolicy.BSD_RIGHT, OverlapPolicy.WINDOWS,
                    OverlapPolicy.WIN2003, OverlapPolicy.HPUX10, OverlapPolicy.IRIX, OverlapPolicy.MACOS),
            OverlapPolicy.VISTA, EnumSet.of(OverlapPolicy.VISTA, OverlapPolicy.FIRST),
            OverlapPolicy.SOLARIS, EnumSet.of(OverlapPolicy.SOLARIS, OverlapPolicy.HPUX11),
            OverlapPolicy.LINUX, EnumSet.of(OverlapPolicy.LINUX),
            OverlapPolicy.OLD_LINUX, EnumSet.of(OverlapPolicy.OLD_LINUX),
            OverlapPolicy.LAST, EnumSet.of(OverlapPolicy.LAST));

    /** The first nine segments of every composite case: no overlap yet, holes at 0, 4, 10, 12 and 13. */
    static final String[] COMPOSITE_START = {
        "2 AAA .AAA",
        "6 BB .AAA.BB",
        "8 CCC .AAA.BBCCC",
        "12 D .AAA.BBCCC.D",
        "15 EE .AAA.BBCCC.D..EE",
        "17 FFF .AAA.BBCCC.D..EEFFF",
        "20 GG .AAA.BBCCC.D..EEFFFGG",
        "22 HH .AAA.BBCCC.D..EEFFFGGHH",
        "24 I .AAA.BBCCC.D..EEFFFGGHHI"};

    /** Every policy's Before case but vista's: segments that start before held ones replace them. */
    static final String[] BEFORE_REPLACES = {
        "3 B ..B",
        "9 D ..B.....D",
        "12 EE ..B.....D..EE",
        "2 AA .AA.....D..EE",
        "1 JJJJ JJJJ....D..EE",
        "8 LLL JJJJ...LLL.EE",
        "11 MMM JJJJ...LLLMMM"};

    /** The Same case of bsd and vista: a segment starting where a held one starts never replaces it. */
    static final String[] SAME_KEEPS = {
        "1 CCC CCC",
        "15 HH CCC...........HH",
        "17 II CCC...........HHII",
        "1 KKK CCC...........HHII",
        "1 LLLL CCCL..........HHII",
        "15 P CCCL..........HHII",
        "15 QQ CCCL..........HHII"};

    /** The Same case of old-linux and solaris: a same-start segment replaces unless it ends first. */
    static final String[] SAME_REPLACES_UNLESS_SHORTER = {
        "1 CCC CCC",
        "15 HH CCC...........HH",
        "17 II CCC...........HHII",
        "1 KKK KKK...........HHII",
        "1 LLLL LLLL..........HHII",
        "15 P LLLL..........HHII",
        "15 QQ LLLL..........QQII"};

    /** The After case of bsd, vista, linux and old-linux: a segment starting inside a held one never replaces it. */
    static final String[] AFTER_KEEPS = {
        "1 AA AA",
        "16 FFF AA.............FFF",
        "19 GG AA.............FFFGG",
        "2 JJ AAJ............FFFGG",
        "20 O AAJ............FFFGG",
        "17 N AAJ............FFFGG"};

    static final List<Vector> VECTORS = new ArrayList<>();

    private static void add(String name, OverlapPolicy policy, String[]... parts) {
        add(name, policy, ISNS, parts);
    }

    private static void add(String name, OverlapPolicy policy, long[] isns, String[]... parts) {
        List<Step> steps = new ArrayList<>();
        for (String[] part : parts) {
            for (String step : part) {
                steps.add(Step.parse(step));
            }
        }
        VECTORS.add(new Vector(name, policy, isns, steps));
    }

    static {
        // StreamTcpReassembleTest01: BSD.
        add("OverlapBSD", OverlapPolicy.BSD, COMPOSITE_START, new String[] {
            "3 JJJJ .AAAJJBCCC.D..EEFFFGGHHI",
            "8 KKK .AAAJJBCCC.D..EEFFFGGHHI",
            "11 LLL .AAAJJBCCCLLL.EEFFFGGHHI",
            "14 MMM .AAAJJBCCCLLLMMMFFFGGHHI",
            "18 N .AAAJJBCCCLLLMMMFFFGGHHI",
            "21 O .AAAJJBCCCLLLMMMFFFGGHHI",
            "22 P .AAAJJBCCCLLLMMMFFFGGHHI",
            "24 QQ .AAAJJBCCCLLLMMMFFFGGHHIQ",
            "1 0 0AAAJJBCCCLLLMMMFFFGGHHIQ"});
        add("OverlapBSDBefore", OverlapPolicy.BSD, BEFORE_REPLACES);
        add("OverlapBSDSame", OverlapPolicy.BSD, SAME_KEEPS);
        add("OverlapBSDAfter", OverlapPolicy.BSD, AFTER_KEEPS);
        // StreamTcpReassembleTest02: VISTA.
        add("OverlapVISTA", OverlapPolicy.VISTA, COMPOSITE_START, new String[] {
            "3 JJJJ .AAAJBBCCC.D..EEFFFGGHHI",
            "8 KKK .AAAJBBCCC.D..EEFFFGGHHI",
            "11 LLL .AAAJBBCCCLDL.EEFFFGGHHI",
            "14 MMM .AAAJBBCCCLDLMEEFFFGGHHI",
            "18 N .AAAJBBCCCLDLMEEFFFGGHHI",
            "21 O .AAAJBBCCCLDLMEEFFFGGHHI",
            "22 P .AAAJBBCCCLDLMEEFFFGGHHI",
            "24 QQ .AAAJBBCCCLDLMEEFFFGGHHIQ",
            "1 0 0AAAJBBCCCLDLMEEFFFGGHHIQ"});
        add("OverlapVISTABefore", OverlapPolicy.VISTA, new String[] {
            "3 B ..B",
            "9 D ..B.....D",
            "12 EE ..B.....D..EE",
            "2 AA .AB.....D..EE",
            "1 JJJJ JABJ....D..EE",
            "8 LLL JABJ...LDL.EE",
            "11 MMM JABJ...LDLMEE"});
        add("OverlapVISTASame", OverlapPolicy.VISTA, SAME_KEEPS);
        add("OverlapVISTAAfter", OverlapPolicy.VISTA, AFTER_KEEPS);
        // StreamTcpReassembleTest03: LINUX.
        add("OverlapLINUX", OverlapPolicy.LINUX, COMPOSITE_START, new String[] {
            "3 JJJJ .AAAJJBCCC.D..EEFFFGGHHI",
            "8 KKK .AAAJJBCCC.D..EEFFFGGHHI",
            "11 LLL .AAAJJBCCCLLL.EEFFFGGHHI",
            "14 MMM .AAAJJBCCCLLLMMMFFFGGHHI",
            "18 N .AAAJJBCCCLLLMMMFFFGGHHI",
            "21 O .AAAJJBCCCLLLMMMFFFGGHHI",
            "22 P .AAAJJBCCCLLLMMMFFFGGHHI",
            "24 QQ .AAAJJBCCCLLLMMMFFFGGHHQQ",
            "1 0 0AAAJJBCCCLLLMMMFFFGGHHQQ"});
        add("OverlapLINUXBefore", OverlapPolicy.LINUX, BEFORE_REPLACES);
        add("OverlapLINUXSame", OverlapPolicy.LINUX, new String[] {
            "1 CCC CCC",
            "15 HH CCC...........HH",
            "17 II CCC...........HHII",
            "1 KKK CCC...........HHII",
            "1 LLLL LLLL..........HHII",
            "15 P LLLL..........HHII",
            "15 QQ LLLL..........HHII"});
        add("OverlapLINUXAfter", OverlapPolicy.LINUX, AFTER_KEEPS);
        // StreamTcpReassembleTest04: OLD_LINUX.
        add("OverlapLINUXOLD", OverlapPolicy.OLD_LINUX, COMPOSITE_START, new String[] {
            "3 JJJJ .AAAJJBCCC.D..EEFFFGGHHI",
            "8 KKK .AAAJJBKKK.D..EEFFFGGHHI",
            "11 LLL .AAAJJBKKKLLL.EEFFFGGHHI",
            "14 MMM .AAAJJBKKKLLLMMMFFFGGHHI",
            "18 N .AAAJJBKKKLLLMMMFFFGGHHI",
            "21 O .AAAJJBKKKLLLMMMFFFGGHHI",
            "22 P .AAAJJBKKKLLLMMMFFFGGHHI",
            "24 QQ .AAAJJBKKKLLLMMMFFFGGHHQQ",
            "1 0 0AAAJJBKKKLLLMMMFFFGGHHQQ"});
        add("OverlapLINUXOLDBefore", OverlapPolicy.OLD_LINUX, BEFORE_REPLACES);
        add("OverlapLINUXOLDSame", OverlapPolicy.OLD_LINUX, SAME_REPLACES_UNLESS_SHORTER);
        add("OverlapLINUXOLDAfter", OverlapPolicy.OLD_LINUX, AFTER_KEEPS);
        // StreamTcpReassembleTest05: SOLARIS.
        add("OverlapSOLARIS", OverlapPolicy.SOLARIS, COMPOSITE_START, new String[] {
            "3 JJJJ .AJJJBBCCC.D..EEFFFGGHHI",
            "8 KKK .AJJJBBKKK.D..EEFFFGGHHI",
            "11 LLL .AJJJBBKKKLLL.EEFFFGGHHI",
            "14 MMM .AJJJBBKKKLLLMMMFFFGGHHI",
            "18 N .AJJJBBKKKLLLMMMFFFGGHHI",
            "21 O .AJJJBBKKKLLLMMMFFFGGHHI",
            "22 P .AJJJBBKKKLLLMMMFFFGGHHI",
            "24 QQ .AJJJBBKKKLLLMMMFFFGGHHQQ",
            "1 0 0AJJJBBKKKLLLMMMFFFGGHHQQ"});
        add("OverlapSOLARISBefore", OverlapPolicy.SOLARIS, BEFORE_REPLACES);
        add("OverlapSOLARISSame", OverlapPolicy.SOLARIS, SAME_REPLACES_UNLESS_SHORTER);
        add("OverlapSOLARISAfter", OverlapPolicy.SOLARIS, new String[] {
            "1 AA AA",
            "16 FFF AA.............FFF",
            "19 GG AA.............FFFGG",
            "2 JJ AJJ............FFFGG",
            "20 O AJJ............FFFGG",
            "17 N AJJ............FFFGG"});
        // StreamTcpReassembleTest06: LAST.
        add("OverlapLAST", OverlapPolicy.LAST, COMPOSITE_START, new String[] {
            "3 JJJJ .AJJJJBCCC.D..EEFFFGGHHI",
            "8 KKK .AJJJJBKKK.D..EEFFFGGHHI",
            "11 LLL .AJJJJBKKKLLL.EEFFFGGHHI",
            "14 MMM .AJJJJBKKKLLLMMMFFFGGHHI",
            "18 N .AJJJJBKKKLLLMMMFNFGGHHI",
            "21 O .AJJJJBKKKLLLMMMFNFGOHHI",
            "22 P .AJJJJBKKKLLLMMMFNFGOPHI",
            "24 QQ .AJJJJBKKKLLLMMMFNFGOPHQQ",
            "1 0 0AJJJJBKKKLLLMMMFNFGOPHQQ"});
        add("OverlapLASTBefore", OverlapPolicy.LAST, BEFORE_REPLACES);
        add("OverlapLASTSame", OverlapPolicy.LAST, new String[] {
            "1 CCC CCC",
            "15 HH CCC...........HH",
            "17 II CCC...........HHII",
            "1 KKK KKK...........HHII",
            "1 LLLL LLLL..........HHII",
            "15 P LLLL..........PHII",
            "15 QQ LLLL..........QQII"});
        add("OverlapLASTAfter", OverlapPolicy.LAST, new String[] {
            "1 AA AA",
            "16 FFF AA.............FFF",
            "19 GG AA.............FFFGG",
            "2 JJ AJJ............FFFGG",
            "20 O AJJ............FFFGO",
            "17 N AJJ............FNFGO"});
        // StreamTcpReassembleTest30 to 32 (BSD; Suricata runs them at ISN 9, 9 and 0).
        long[] withNine = {0L, 1L, 9L, 0xffffffffL, 0xffffffffL - 10};
        add("StreamTcpReassembleTest30", OverlapPolicy.BSD, withNine, new String[] {"3 BBB ..BBB", "1 AA AABBB"});
        add("StreamTcpReassembleTest31", OverlapPolicy.BSD, withNine, new String[] {"1 AA AA", "3 BBB AABBB"});
        String dots = ".".repeat(10);
        String a = "A".repeat(10);
        String b = "B".repeat(10);
        String c = "C".repeat(10);
        add("StreamTcpReassembleTest32", OverlapPolicy.BSD, new String[] {
            "11 " + a + " " + dots + a,
            "21 " + b + " " + dots + a + b,
            "41 " + c + " " + dots + a + b + dots + c,
            "6 " + "a".repeat(20) + " " + ".".repeat(5) + "a".repeat(20) + "B".repeat(5) + dots + c,
            "1 " + "x".repeat(50) + " " + "x".repeat(50)});
    }

    /** Every (vector, policy of its family, ISN). */
    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Vector v : VECTORS) {
            for (OverlapPolicy p : FAMILIES.get(v.policy())) {
                for (long isn : v.isns()) {
                    all.add(Arguments.of(v, p, isn));
                }
            }
        }
        return all.stream();
    }

    /** Each vector with every byte held (one byte later, behind an open hole): Suricata's stream after every step. */
    @ParameterizedTest(name = "{0} {1} isn {2}")
    @MethodSource("cases")
    void held(Vector v, OverlapPolicy policy, long isn) {
        for (int k = 0; k < v.steps().size(); k++) {
            assertEquals("." + v.steps().get(k).expected(), play(v, k, policy, isn, 1),
                    v + " " + policy.text() + " isn " + isn + " step " + (k + 1));
        }
    }

    /**
     * The vectors Suricata and Judo agree on as sent, in-order bytes delivered at once: all but the Same and After
     * cases of the policies that let a later segment replace the in-order first one.
     */
    @ParameterizedTest(name = "{0} {1} isn {2}")
    @MethodSource("cases")
    void asSent(Vector v, OverlapPolicy policy, long isn) {
        if (replacesInOrderBytes(v, policy)) {
            return; // inOrderBytesAreFinal
        }
        for (int k = 0; k < v.steps().size(); k++) {
            assertEquals(v.steps().get(k).expected(), play(v, k, policy, isn, 0),
                    v + " " + policy.text() + " isn " + isn + " step " + (k + 1));
        }
    }

    private static boolean replacesInOrderBytes(Vector v, OverlapPolicy policy) {
        Set<OverlapPolicy> replacing = v.name().endsWith("Same")
                ? EnumSet.of(OverlapPolicy.LINUX, OverlapPolicy.OLD_LINUX, OverlapPolicy.SOLARIS, OverlapPolicy.HPUX11,
                        OverlapPolicy.LAST)
                : v.name().endsWith("After")
                ? EnumSet.of(OverlapPolicy.SOLARIS, OverlapPolicy.HPUX11, OverlapPolicy.LAST)
                : EnumSet.noneOf(OverlapPolicy.class);
        return replacing.contains(policy);
    }

    /**
     * Where Suricata replaces bytes of the in-order first segment (still held in its test), Judo has delivered them:
     * they stand, and only the held bytes follow the policy.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "OverlapLINUXSame,    linux,     CCCL..........HHII",
        "OverlapLINUXOLDSame, old-linux, CCCL..........QQII",
        "OverlapSOLARISSame,  solaris,   CCCL..........QQII",
        "OverlapSOLARISSame,  hpux11,    CCCL..........QQII",
        "OverlapLASTSame,     last,      CCCL..........QQII",
        "OverlapSOLARISAfter, solaris,   AAJ............FFFGG",
        "OverlapSOLARISAfter, hpux11,    AAJ............FFFGG",
        "OverlapLASTAfter,    last,      AAJ............FNFGO"})
    void inOrderBytesAreFinal(String name, String policy, String expected) {
        Vector v = VECTORS.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        OverlapPolicy p = OverlapPolicy.named(policy);
        for (long isn : ISNS) {
            assertEquals(expected, play(v, v.steps().size() - 1, p, isn, 0), name + " " + policy + " isn " + isn);
        }
    }

    /**
     * Beyond the vectors, Suricata's way of resolving overlaps with held data as a model: every held segment is kept
     * with its extent, and a new segment's byte replaces a held one only where the new segment wins against every
     * held segment under that byte (a byte nothing covers yet is simply taken). Judo keeps one extent per stretch
     * instead, the winner's; random overlapping segments, all held behind a hole, must give the model's bytes for
     * every policy at every ISN.
     */
    @Property(tries = 200)
    void everyHeldSegmentCountsAsInSuricata(@ForAll long seed) {
        Random r = new Random(seed);
        int count = 1 + r.nextInt(12);
        int[][] segments = new int[count][];
        byte[] letters = new byte[count]; // three letters only: many overlaps repeat the bytes they overlap
        for (int i = 0; i < count; i++) {
            int start = 1 + r.nextInt(40);
            segments[i] = new int[] {start, start + 1 + r.nextInt(12)};
            letters[i] = (byte) ('a' + r.nextInt(3));
        }
        for (OverlapPolicy policy : OverlapPolicy.values()) {
            byte[] model = new byte[64];
            List<int[]> held = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int[] n = segments[i];
                for (int at = n[0]; at < n[1]; at++) {
                    boolean covered = false;
                    boolean wins = true;
                    for (int[] o : held) {
                        if (o[0] <= at && at < o[1]) {
                            covered = true;
                            wins &= policy.newWins(n[0], n[1], o[0], o[1]);
                        }
                    }
                    if (!covered || wins) {
                        model[at] = letters[i];
                    }
                }
                held.add(n);
            }
            int end = 0;
            for (int[] n : segments) {
                end = Math.max(end, n[1]);
            }
            String expected = new String(model, 0, end, StandardCharsets.ISO_8859_1).replace('\0', '.');
            for (long isn : ISNS) {
                Collect c = new Collect();
                TcpStream s = new TcpStream(null, 0, StreamConfig.defaults().withPolicy(policy));
                s.syn(isn);
                for (int i = 0; i < count; i++) {
                    byte[] b = new byte[segments[i][1] - segments[i][0]];
                    Arrays.fill(b, letters[i]);
                    s.segment((isn + 1 + segments[i][0]) & 0xffffffffL, b, 0, b.length, c);
                }
                s.flush(c);
                assertEquals(expected, c.text(0).replace('\0', '.'),
                        "seed " + seed + " " + policy.text() + " isn " + isn);
            }
        }
    }

    /** The transcription's own check: each expected stream is as long as the data sent so far reaches. */
    @Test
    void expectedStreamsSpanTheSegmentsSent() {
        for (Vector v : VECTORS) {
            int end = 0;
            for (Step st : v.steps()) {
                end = Math.max(end, st.rseq() - 1 + st.payload().length());
                assertEquals(end, st.expected().length(), v + " rseq " + st.rseq());
            }
        }
    }

    /**
     * Plays steps 0 to {@code last} of {@code v} into a fresh stream, {@code shift} bytes later than sent, and flushes
     * it: the stream as Suricata's test reads its buffer at that step ('.' where nothing arrived).
     */
    private static String play(Vector v, int last, OverlapPolicy policy, long isn, int shift) {
        Collect c = new Collect();
        TcpStream s = new TcpStream(null, 0, StreamConfig.defaults().withPolicy(policy));
        s.syn(isn);
        for (int i = 0; i <= last; i++) {
            Step st = v.steps().get(i);
            byte[] b = st.payload().getBytes(StandardCharsets.ISO_8859_1);
            s.segment((isn + st.rseq() + shift) & 0xffffffffL, b, 0, b.length, c);
        }
        s.flush(c);
        return c.text(0).replace('\0', '.');
    }
}
